import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPublish } from '../../../lambda/publish/publish-run.ts';
import { leaseKey, staleAfterMs } from '../../../lambda/publish/rebuild-lease.ts';
import { FsOutputStore, FsRecordStore, FsStateStore } from '../../../lambda/stores/fs.ts';
import type { RecordStore } from '../../../lambda/stores/ports.ts';
import { createLocalPublisher, feedTitles, type LocalPublisher } from '../../helpers/local-publisher.ts';
import { fixedNow } from '../../helpers/site.ts';

let publisher: LocalPublisher;
beforeEach(async () => {
  publisher = await createLocalPublisher();
  for (let index = 0; index < 5; index += 1) {
    await publisher.write(`articles/${index}.json`, {
      title: `Story ${index}`,
      date: new Date(Date.UTC(2025, index, 1)).toISOString(),
      content_text: 'x',
    });
  }
});
afterEach(async () => {
  await publisher.close();
});

/** The publisher's folder stores, with the record listing held at `gate` after its last page. */
function storesWithGate(gate?: () => Promise<void>) {
  const records = new FsRecordStore(publisher.content);
  let gated = false;
  const held: RecordStore = {
    clockMarginMs: records.clockMarginMs,
    readSiteConfig: () => records.readSiteConfig(),
    readRecord: (key) => records.readRecord(key),
    readTemplates: () => records.readTemplates(),
    async *listRecords() {
      yield* records.listRecords();
      if (gate && !gated) {
        gated = true;
        await gate();
      }
    },
  };
  return {
    records: held,
    output: new FsOutputStore(publisher.out),
    state: new FsStateStore(publisher.state),
    now: fixedNow,
  };
}

const titles = async () => feedTitles(await publisher.read('feed.json'));

describe('the rebuild lease', () => {
  it('lets one of two rebuilds started at once run; the other changes nothing and says which runs', async () => {
    let release: () => void = () => undefined;
    const listed = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reached: () => void = () => undefined;
    const atGate = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const first = runPublish({
      ...storesWithGate(() => {
        reached();
        return listed;
      }),
      rebuild: true,
    });
    await atGate;
    const second = await runPublish({ ...storesWithGate(), rebuild: true });
    expect(second.mode).toBe('rebuild-pending');
    expect(second.written).toEqual([]);
    expect(second.rebuildRunning?.startedAt).toBeDefined();
    release();
    expect((await first).mode).toBe('rebuild');
    expect(await titles()).toEqual(['Story 4', 'Story 3', 'Story 2', 'Story 1', 'Story 0']);
    expect(await readdir(join(publisher.state, 'records', 'articles'))).toHaveLength(5);
    expect(await publisher.readState(leaseKey)).toBeUndefined();
    // The state it left is whole: a deletion is followed.
    await publisher.remove('articles/4.json');
    await publisher.publish({ changes: [{ key: 'articles/4.json' }] });
    expect(await titles()).toEqual(['Story 3', 'Story 2', 'Story 1', 'Story 0']);
  });

  it('publishes what changed while a rebuild ran as soon as it ends', async () => {
    const result = await runPublish({
      ...storesWithGate(async () => {
        await publisher.write('articles/late.json', {
          title: 'Late',
          date: '2025-12-01T00:00:00Z',
          content_text: 'x',
        });
        await publisher.remove('articles/0.json');
      }),
      rebuild: true,
    });
    expect(result.mode).toBe('rebuild');
    expect(await titles()).toEqual(['Late', 'Story 4', 'Story 3', 'Story 2', 'Story 1']);
  });

  it.each([
    ['whose process is gone', { owner: 'this-host:999999' }, false, 'rebuild'],
    [
      'that made no progress for too long',
      { progressAt: new Date(Date.now() - staleAfterMs - 1000) },
      true,
      'rebuild',
    ],
    ['that is alive and progressing', { owner: 'this-host:1' }, true, 'rebuild-pending'],
  ])('treats a lease %s as it should', async (_, lease, alive, mode) => {
    const startedAt = new Date(Date.now() - 60_000).toISOString();
    await publisher.writeState(
      leaseKey,
      `${JSON.stringify({
        id: 'other',
        startedAt,
        ...lease,
        progressAt: 'progressAt' in lease ? lease.progressAt.toISOString() : startedAt,
      })}\n`,
    );
    const result = await runPublish({
      ...storesWithGate(),
      rebuild: true,
      clock: () => new Date(),
      owner: { name: 'this-host:2', isAlive: () => alive },
    });
    expect(result.mode).toBe(mode);
    expect((await titles()).length).toBe(mode === 'rebuild' ? 5 : 0);
  });
});
