import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSiteConfig } from '../../../lambda/core/site-config.ts';
import { runPublish } from '../../../lambda/publish/publish-run.ts';
import { resumeRebuildJob, runRebuildMessage, settleStepsFor } from '../../../lambda/publish/rebuild-job.ts';
import { FsOutputStore, FsRecordStore, FsStateStore } from '../../../lambda/stores/fs.ts';
import type { RebuildMessage } from '../../../lambda/stores/ports.ts';
import {
  createLocalPublisher,
  type LocalPublisher,
  readTree,
  testSiteJson,
} from '../../helpers/local-publisher.ts';
import { fixedNow } from '../../helpers/site.ts';

let fannedOut: LocalPublisher;
let inProcess: LocalPublisher;
const site = { ...testSiteJson, maxItems: 3, archivePeriod: 'month' };

beforeEach(async () => {
  fannedOut = await createLocalPublisher(site);
  inProcess = await createLocalPublisher(site);
});
afterEach(async () => {
  await fannedOut.close();
  await inProcess.close();
});

/** A queue that hands its messages over in a scrambled order, some of them twice, as SQS may. */
class SimulatedQueue {
  readonly messages: RebuildMessage[] = [];
  sent = 0;
  async send(messages: readonly RebuildMessage[]) {
    this.sent += messages.length;
    this.messages.push(...messages);
  }
  take(seed: number): RebuildMessage | undefined {
    if (this.messages.length === 0) return undefined;
    const [message] = this.messages.splice(seed % this.messages.length, 1);
    // Every third message is delivered once more, later.
    if (message && seed % 3 === 0 && !redelivered.has(message)) {
      redelivered.add(message);
      this.messages.push(message);
    }
    return message;
  }
}
const redelivered = new Set<RebuildMessage>();

async function writeRecords(publisher: LocalPublisher, count: number) {
  for (let index = 0; index < count; index += 1) {
    await publisher.write(`articles/${String(index).padStart(4, '0')}.json`, {
      title: `Story ${index}`,
      date: new Date(Date.UTC(2020, 0, 1) + index * 2 * 86_400_000).toISOString(),
      categories: [`Section ${index % 3}`],
      content_text: `Body ${index}.`,
      ...(index === 7 || index === 9 ? { id: 'tag:example.com,2024:shared' } : {}),
      ...(index === 11 ? { draft: true } : {}),
    });
  }
}

describe('a rebuild spread over a queue', () => {
  it('gives the same files and state as a rebuild in one process, whatever the order of its steps', async () => {
    await writeRecords(fannedOut, 1200);
    await writeRecords(inProcess, 1200);
    const stores = {
      records: new FsRecordStore(fannedOut.content),
      output: new FsOutputStore(fannedOut.out),
      state: new FsStateStore(fannedOut.state),
    };
    const queue = new SimulatedQueue();
    const started = await runPublish({ ...stores, now: fixedNow, rebuildQueue: queue });
    expect(started.mode).toBe('rebuild-started');
    const again = await runPublish({ ...stores, now: fixedNow, rebuildQueue: queue });
    expect(again.mode).toBe('rebuild-pending');
    const context = { ...stores, site: readSiteConfig(JSON.stringify(site)), now: fixedNow };
    let seed = 7;
    let steps = 0;
    for (let message = queue.take(seed); message; message = queue.take(seed)) {
      await runRebuildMessage(context, queue, message);
      seed = (seed * 1103515245 + 12345) % 2147483648;
      steps += 1;
    }
    expect(queue.sent).toBeGreaterThan(3);
    expect(steps).toBeGreaterThan(queue.sent);

    await inProcess.publish();
    expect(await fannedOut.files()).toEqual(await inProcess.files());
    // Article pages link their neighbours across the edges of the render groups too.
    const pages = [...(await fannedOut.files())].filter(([path]) => path.startsWith('articles/'));
    const links = new Map(
      pages.map(([, html]) => [
        /<h1>([^<]+)<\/h1>/.exec(html)?.[1],
        { older: /rel="prev">← ([^<]+)</.exec(html)?.[1], newer: /rel="next">([^<]+) →</.exec(html)?.[1] },
      ]),
    );
    const feedOrder = [...links.keys()].sort(
      (a, b) => Number(b?.replace('Story ', '')) - Number(a?.replace('Story ', '')),
    );
    expect(feedOrder.length).toBeGreaterThan(1000);
    feedOrder.forEach((title, index) => {
      expect(links.get(title)).toEqual({ newer: feedOrder[index - 1], older: feedOrder[index + 1] });
    });
    // Shard objects carry a tag each rebuild draws afresh; the ledger holds each folder's own file
    // times, and must name the same files with the same revisions.
    const untagged = (text: string) =>
      text.replace(/\b(\d+)-[0-9a-f]{8}\b/g, '$1-tag').replace(/"\d+-[\d.]+-[\d.]+",/g, '"file-tag",');
    const withoutJobs = (tree: Map<string, string>) =>
      new Map(
        [...tree]
          .filter(([key]) => !key.startsWith('rebuilds/'))
          .map(([key, text]) => [untagged(key), untagged(text)]),
      );
    expect(withoutJobs(await readTree(fannedOut.state))).toEqual(
      withoutJobs(await readTree(inProcess.state)),
    );
    expect(
      [...(await readTree(fannedOut.state)).keys()].filter((key) => key.startsWith('rebuilds/')),
    ).toEqual([]);

    // Once it is done, publishes go on as usual.
    await fannedOut.write('articles/0000.json', {
      title: 'Edited',
      date: '2020-01-01T00:00:00Z',
      content_text: 'x',
    });
    const after = await runPublish({
      ...stores,
      now: fixedNow,
      rebuildQueue: queue,
      changes: [{ key: 'articles/0000.json' }],
    });
    expect(after.mode).toBe('changes');
  }, 120_000);

  it.each(['settle', 'reduce', 'render'])(
    'goes on when the step that starts the %s phase dies after taking its lock, once resumed',
    async (phase) => {
      await writeRecords(fannedOut, 30);
      await writeRecords(inProcess, 30);
      const stores = {
        records: new FsRecordStore(fannedOut.content),
        output: new FsOutputStore(fannedOut.out),
        state: new FsStateStore(fannedOut.state),
      };
      const queue: RebuildMessage[] = [];
      let failed = false;
      // The queue refuses the first batch of the phase once: the step that starts it fails.
      const send = async (messages: readonly RebuildMessage[]) => {
        if (!failed && messages.some((message) => 'phase' in message && message.phase === phase)) {
          failed = true;
          throw new Error('SendMessageBatch failed');
        }
        queue.push(...messages);
      };
      await runPublish({ ...stores, now: fixedNow, rebuildQueue: { send } });
      const context = { ...stores, site: readSiteConfig(JSON.stringify(site)), now: fixedNow };
      const drain = async () => {
        for (let message = queue.shift(); message; message = queue.shift()) {
          await runRebuildMessage(context, { send }, message).catch(() => {
            // SQS hands a failed step back later; it is done, so it only tries to go on.
            if (message) queue.push(message);
          });
        }
      };
      await drain();
      expect(failed).toBe(true);
      expect(await fannedOut.files()).not.toEqual(await inProcess.publish().then(() => inProcess.files()));
      const lease = JSON.parse((await readTree(fannedOut.state)).get('rebuilds/current.json') ?? '{}') as {
        id: string;
      };
      expect(await resumeRebuildJob(context, { send }, lease.id)).toBe(true);
      await drain();
      expect(await fannedOut.files()).toEqual(await inProcess.files());
    },
    60_000,
  );
});

describe('what a rebuild keeps between its steps', () => {
  it('stops a step at an object of another shape, naming the object and the field', async () => {
    await writeRecords(fannedOut, 30);
    const stores = {
      records: new FsRecordStore(fannedOut.content),
      output: new FsOutputStore(fannedOut.out),
      state: new FsStateStore(fannedOut.state),
    };
    const queue: RebuildMessage[] = [];
    const send = async (messages: readonly RebuildMessage[]) => {
      queue.push(...messages);
    };
    await runPublish({ ...stores, now: fixedNow, rebuildQueue: { send } });
    const context = { ...stores, site: readSiteConfig(JSON.stringify(site)), now: fixedNow };
    let next = queue.shift();
    while (next && !('phase' in next && next.phase === 'render')) {
      await runRebuildMessage(context, { send }, next);
      next = queue.shift();
    }
    if (!next) throw new Error('the rebuild never reached its render phase');
    const planKey = `rebuilds/${next.job}/plan.json`;
    const plan = JSON.parse((await stores.state.read(planKey))?.text ?? '{}') as Record<string, unknown>;
    // As an earlier version might have left it: the revision as text.
    await writeFile(join(fannedOut.state, planKey), JSON.stringify({ ...plan, revision: '3' }));
    await expect(runRebuildMessage(context, { send }, next)).rejects.toThrow(
      new RegExp(
        `${planKey.replace(/[.]/g, '\\.')}: revision: Invalid type: Expected number but received "3"`,
      ),
    );
  });
});

describe('settling id claims', () => {
  it.each([
    [1, 1],
    [31, 1],
    [32, 2],
    [200, 7],
    [2000, 64],
    [5000, 64],
  ])('settles the claims of %i read chunks in %i steps', (chunks, steps) => {
    expect(settleStepsFor(chunks)).toBe(steps);
  });
});
