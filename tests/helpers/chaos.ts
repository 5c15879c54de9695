import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { readHandlerConfig } from '../../lambda/aws/config.ts';
import { createHandler, type PublishResponse } from '../../lambda/aws/publish-handler.ts';
import { createCloudFrontClient } from '../../lambda/delivery/cloudfront.ts';
import { createSchedulerClient } from '../../lambda/delivery/next-change-schedule.ts';
import { runPublish } from '../../lambda/publish/publish-run.ts';
import { S3OutputStore, S3RecordStore, S3StateStore } from '../../lambda/stores/s3.ts';
import { type Fault, startConditionalWriteProxy } from './conditional-write-proxy.ts';
import { checkFeedFile } from './feed-checks.ts';
import { testSiteJson } from './local-publisher.ts';
import { placements } from './published.ts';
import { etagOn, readBucket, s3rverClient, s3rverCredentials, startS3Server } from './s3-server.ts';
import { seeded } from './seeded.ts';

/**
 * An operator's worst day, run for real: records uploaded, edited and deleted at random moments
 * while the real handler, in two environments at once, works through an SQS-like queue of S3
 * event notifications (duplicated, reordered, redelivered after a failure, dead-lettered after
 * five), over an S3-compatible server behind a proxy that enforces conditional writes and
 * injects S3's and the network's faults. Then the faults stop, the dead-letter queue is
 * redriven, and the published files are checked against the invariants and against a
 * from-scratch publish of the final content.
 */
export interface ChaosOptions {
  readonly seed: number;
  readonly uploads: number;
  readonly edits: number;
  readonly deletes: number;
  /** Share of the publisher's requests that get a fault while faults are on. */
  readonly faultRate: number;
  /** Share of event notifications delivered twice. */
  readonly duplicateRate?: number;
  /** Environments taking batches from the queue at once. */
  readonly environments?: number;
  /** Most messages handed to one invocation. */
  readonly batchSize?: number;
  /**
   * A storm from halfway through the uploads: every request fails until this many messages have
   * failed five times and gone to the dead-letter queue (or a minute has passed), however slow
   * the machine.
   */
  readonly storm?: { readonly deadLetters: number };
  /** Share of delete events never delivered: only the reconcile at the end can find them. */
  readonly lostDeleteRate?: number;
  /** Published files an operator deletes from the feeds bucket at random moments of the run. */
  readonly operatorDeletes?: number;
}

export interface ChaosFigures {
  readonly operations: number;
  readonly requests: number;
  readonly faults: Readonly<Record<Fault['kind'] | 'total', number>>;
  readonly invocations: number;
  readonly failedMessages: number;
  readonly deadLettered: number;
  readonly redriven: number;
  readonly leftInQueue: number;
  /** Live articles missing from the main set or their category's set. */
  readonly lost: number;
  /** Live articles in more than one page of a set. */
  readonly duplicated: number;
  /** Old versions, deleted articles, or articles that left a category, still in its set. */
  readonly stale: number;
  /** Files that do not parse or break a format's rules, seen during the run or at its end. */
  readonly broken: number;
  /** Files unlike a from-scratch publish of the final content (missing, extra or different). */
  readonly differing: readonly string[];
  /** Delete events never delivered, and feed files an operator deleted. */
  readonly lostDeletes: number;
  readonly filesDeletedByOperator: number;
  readonly seconds: number;
}

const maxReceiveCount = 5;
const categories = ['World', 'Business', 'Science'];
const now = new Date('2026-06-01T00:00:00Z');

export async function runChaos(options: ChaosOptions): Promise<ChaosFigures> {
  const started = performance.now();
  const random = seeded(options.seed);
  const server = await startS3Server();
  let faultsOn = true;
  let faultRate = options.faultRate;
  let requests = 0;
  const proxy = await startConditionalWriteProxy(server.endpoint, {
    currentEtag: etagOn(server.client),
    fault: () => {
      requests += 1;
      if (!faultsOn || random() >= faultRate) return undefined;
      const pick = random();
      if (pick < 0.3) return { kind: 'status', status: 503 };
      if (pick < 0.5) return { kind: 'status', status: 500 };
      if (pick < 0.6) return { kind: 'reset-before' };
      if (pick < 0.75) return { kind: 'reset-after' };
      return { kind: 'delay', ms: Math.floor(random() * 400) };
    },
  });
  try {
    for (const bucket of ['content', 'feeds', 'state', 'scratch-feeds', 'scratch-state'])
      await server.createBucket(bucket);
    const put = (key: string, body: string) =>
      server.client.send(new PutObjectCommand({ Bucket: 'content', Key: key, Body: body }));
    await put('site.json', JSON.stringify({ ...testSiteJson, maxItems: 10, archivePeriod: 'month' }));

    const config = readHandlerConfig({
      CONTENT_BUCKET: 'content',
      FEEDS_BUCKET: 'feeds',
      STATE_BUCKET: 'state',
      FEED_BASE_URL: 'https://feeds.example.com/',
    });
    const unused = 'http://127.0.0.1:9';
    const local = { region: 'us-east-1', credentials: s3rverCredentials };
    const environments = Array.from({ length: options.environments ?? 2 }, (_, index) =>
      createHandler({
        config,
        s3: s3rverClient(proxy.endpoint, { customUserAgent: `environment-${index}` }),
        cloudFront: createCloudFrontClient(unused, local),
        scheduler: createSchedulerClient(unused, local),
        telemetry: quietTelemetry(),
        clock: () => now,
      }),
    );
    // The publish after the deploy, before any record exists; faults already on.
    for (let attempt = 0; ; attempt += 1) {
      try {
        await environments[0]?.({});
        break;
      } catch (error) {
        if (attempt >= 20) throw error;
      }
    }

    const queue = new SimulatedQueue(random);
    /** Each live record's latest title and category. */
    const expected = new Map<string, { title: string; category: string }>();
    let sequencer = 0;
    let broken = 0;
    const notify = (eventName: string, key: string, eTag?: string) => {
      sequencer += 1;
      const body = JSON.stringify({
        Records: [
          {
            eventName,
            s3: { object: { key, eTag, sequencer: sequencer.toString(16).toUpperCase().padStart(16, '0') } },
          },
        ],
      });
      queue.send(body);
      if (random() < (options.duplicateRate ?? 0.1)) queue.send(body);
    };

    const operations = plan(options, random);
    const operatorAt = new Set(
      Array.from({ length: options.operatorDeletes ?? 0 }, () => Math.floor(random() * operations.length)),
    );
    let lostDeletes = 0;
    let filesDeletedByOperator = 0;
    const stormAt = options.storm ? Math.floor(operations.length / 2) : -1;
    const uploading = (async () => {
      for (const [index, operation] of operations.entries()) {
        if (index === stormAt && options.storm) {
          faultRate = 1;
          const wanted = options.storm.deadLetters;
          const until = performance.now() + 60_000;
          const calm = setInterval(() => {
            if (queue.deadLetters.length < wanted && performance.now() < until) return;
            faultRate = options.faultRate;
            clearInterval(calm);
          }, 50);
        }
        await pause(random() * 15);
        if (operatorAt.has(index)) {
          // An operator's `aws s3 rm` of a published file, straight to the bucket.
          const listing = await server.client.send(new ListObjectsV2Command({ Bucket: 'feeds' }));
          const published = (listing.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
          const victim = published[Math.floor(random() * published.length)];
          if (victim) {
            await server.client.send(new DeleteObjectCommand({ Bucket: 'feeds', Key: victim }));
            filesDeletedByOperator += 1;
          }
        }
        const key = `articles/${operation.record}.json`;
        if (operation.kind === 'delete') {
          await server.client.send(new DeleteObjectCommand({ Bucket: 'content', Key: key }));
          expected.delete(key);
          if (random() < (options.lostDeleteRate ?? 0)) lostDeletes += 1;
          else notify('ObjectRemoved:Delete', key);
          continue;
        }
        const title = `Record ${operation.record} version ${operation.version}`;
        const date = new Date(Date.UTC(2024, 0, 1) + Math.floor(random() * 700) * 86_400_000);
        const category = categories[Math.floor(random() * categories.length)] ?? 'World';
        const response = await put(
          key,
          JSON.stringify({
            title,
            date: date.toISOString(),
            categories: [category],
            content_text: `${title}.`,
          }),
        );
        expected.set(key, { title, category });
        notify('ObjectCreated:Put', key, response.ETag?.replace(/"/g, ''));
      }
    })();

    let invocations = 0;
    let failedMessages = 0;
    let uploadsDone = false;
    const work = async (handler: (typeof environments)[number]) => {
      for (;;) {
        const batch = queue.receive(options.batchSize ?? 10);
        if (batch.length === 0) {
          if (uploadsDone && queue.idle()) return;
          await pause(10);
          continue;
        }
        invocations += 1;
        let response: PublishResponse;
        try {
          response = await handler({ Records: batch.map(({ messageId, body }) => ({ messageId, body })) });
        } catch {
          response = { batchItemFailures: batch.map(({ messageId }) => ({ itemIdentifier: messageId })) };
        }
        const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
        failedMessages += failed.size;
        queue.settle(batch, failed);
        if (invocations % 10 === 0)
          broken += await countBroken(server.client, ['rss.xml', 'atom.xml', 'feed.json']);
      }
    };
    const workers = environments.map(work);

    await uploading;
    uploadsDone = true;
    await Promise.all(workers);
    const deadLettered = queue.deadLetters.length;

    // Faults stop; what was dead-lettered goes back once, as an operator's redrive does.
    faultsOn = false;
    const redriven = queue.redrive();
    await Promise.all(environments.map(work));
    // The scheduled reconcile: finds what no event told of, and heals the bucket.
    await environments[0]?.({ source: 'aws.events', 'detail-type': 'Scheduled Event' } as object);

    const files = await readBucket(server.client, 'feeds');
    const scratchClient = s3rverClient(server.endpoint);
    await runPublish({
      records: new S3RecordStore(scratchClient, { bucket: 'content', prefix: '' }),
      output: new S3OutputStore(scratchClient, { bucket: 'scratch-feeds', prefix: '' }),
      state: new S3StateStore(scratchClient, { bucket: 'scratch-state', prefix: '' }),
      now,
      siteOverrides: { feedBaseUrl: config.feedBaseUrl },
    });
    scratchClient.destroy();
    const scratch = await readBucket(server.client, 'scratch-feeds');
    const differing = [...new Set([...files.keys(), ...scratch.keys()])]
      .filter((path) => files.get(path) !== scratch.get(path))
      .sort();

    if (process.env.CHAOS_DUMP) {
      const { mkdirSync, writeFileSync } = await import('node:fs');
      for (const path of differing) {
        for (const [name, map] of [
          ['got', files],
          ['want', scratch],
        ] as const) {
          const target = `${process.env.CHAOS_DUMP}/${name}/${path}`;
          mkdirSync(target.slice(0, target.lastIndexOf('/')), { recursive: true });
          writeFileSync(target, map.get(path) ?? '<absent>');
        }
      }
    }
    const invariants = checkInvariants(files, [...expected.values()]);
    const faults = { 'reset-before': 0, 'reset-after': 0, status: 0, delay: 0, total: proxy.faults.length };
    for (const fault of proxy.faults) faults[fault.fault] += 1;
    for (const [path, body] of files) if (checkFeedFile(path, body).length > 0) broken += 1;
    return {
      operations: operations.length,
      requests,
      faults,
      invocations,
      failedMessages,
      deadLettered,
      redriven,
      leftInQueue: queue.size(),
      ...invariants,
      broken,
      differing,
      lostDeletes,
      filesDeletedByOperator,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await proxy.close();
    await server.close();
  }
}

/**
 * In the main set and in each category's set: live articles in no page of the set (lost), in
 * more than one (duplicated), and titles published there that are not live there (stale: an
 * older version, a deleted article, or one that left the category).
 */
function checkInvariants(
  files: ReadonlyMap<string, string>,
  live: readonly { title: string; category: string }[],
): { lost: number; duplicated: number; stale: number } {
  const sets = [
    { pages: /^(archive\/[^/]+\/)?feed\.json$/, titles: live.map((entry) => entry.title) },
    ...categories.map((category) => ({
      pages: new RegExp(`^categories/${category.toLowerCase()}/(archive/[^/]+/)?feed\\.json$`),
      titles: live.filter((entry) => entry.category === category).map((entry) => entry.title),
    })),
  ];
  const totals = { lost: 0, duplicated: 0, stale: 0 };
  for (const set of sets) {
    const found = placements(files, set.pages);
    const wanted = new Set(set.titles);
    totals.lost += set.titles.filter((title) => !found.has(title)).length;
    totals.duplicated += [...found.values()].filter((count) => count > 1).length;
    totals.stale += [...found.keys()].filter((title) => !wanted.has(title)).length;
  }
  return totals;
}

interface Operation {
  readonly kind: 'upload' | 'delete';
  readonly record: number;
  readonly version: number;
}

/** Uploads of new records, with edits and deletes of records already uploaded mixed in. */
function plan(options: ChaosOptions, random: () => number): Operation[] {
  const operations: Operation[] = [];
  const versions = new Map<number, number>();
  let edits = options.edits;
  let deletes = options.deletes;
  let next = 0;
  while (next < options.uploads || edits > 0 || deletes > 0) {
    const existing = [...versions.keys()];
    const roll = random();
    if (existing.length > 0 && edits > 0 && (roll < 0.15 || next >= options.uploads)) {
      const record = existing[Math.floor(random() * existing.length)] ?? 0;
      const version = (versions.get(record) ?? 1) + 1;
      versions.set(record, version);
      operations.push({ kind: 'upload', record, version });
      edits -= 1;
    } else if (existing.length > 0 && deletes > 0 && (roll > 0.85 || next >= options.uploads)) {
      const record = existing[Math.floor(random() * existing.length)] ?? 0;
      versions.delete(record);
      operations.push({ kind: 'delete', record, version: 0 });
      deletes -= 1;
    } else if (next < options.uploads) {
      versions.set(next, 1);
      operations.push({ kind: 'upload', record: next, version: 1 });
      next += 1;
    } else {
      break;
    }
  }
  return operations;
}

interface Message {
  readonly messageId: string;
  readonly body: string;
  receives: number;
  visibleAt: number;
}

/** Standard SQS as the publisher meets it: at least once, in no particular order. */
class SimulatedQueue {
  readonly deadLetters: Message[] = [];
  private readonly waiting: Message[] = [];
  private inFlight = 0;
  private sent = 0;

  constructor(private readonly random: () => number) {}

  send(body: string): void {
    this.sent += 1;
    this.waiting.push({ messageId: `message-${this.sent}`, body, receives: 0, visibleAt: 0 });
  }

  receive(most: number): Message[] {
    const clock = performance.now();
    const visible = this.waiting.filter((message) => message.visibleAt <= clock);
    const batch: Message[] = [];
    while (batch.length < most && visible.length > 0) {
      const [message] = visible.splice(Math.floor(this.random() * visible.length), 1);
      if (!message) break;
      this.waiting.splice(this.waiting.indexOf(message), 1);
      message.receives += 1;
      batch.push(message);
    }
    this.inFlight += batch.length > 0 ? 1 : 0;
    return batch;
  }

  /** Failed messages come back after a visibility timeout, or go to the dead-letter queue. */
  settle(batch: readonly Message[], failed: ReadonlySet<string>): void {
    this.inFlight -= 1;
    for (const message of batch) {
      if (!failed.has(message.messageId)) continue;
      if (message.receives >= maxReceiveCount) this.deadLetters.push(message);
      else {
        message.visibleAt = performance.now() + 20 + this.random() * 80;
        this.waiting.push(message);
      }
    }
  }

  redrive(): number {
    const count = this.deadLetters.length;
    for (const message of this.deadLetters.splice(0)) {
      message.receives = 0;
      message.visibleAt = 0;
      this.waiting.push(message);
    }
    return count;
  }

  idle(): boolean {
    return this.waiting.length === 0 && this.inFlight === 0;
  }

  size(): number {
    return this.waiting.length + this.deadLetters.length;
  }
}

/** Current feeds that do not parse or break their format's rules, read as a reader would now. */
async function countBroken(client: S3Client, paths: readonly string[]) {
  let broken = 0;
  for (const path of paths) {
    const object = await client
      .send(new GetObjectCommand({ Bucket: 'feeds', Key: path }))
      .catch(() => undefined);
    const body = await object?.Body?.transformToString();
    if (body !== undefined && checkFeedFile(path, body).length > 0) broken += 1;
  }
  return broken;
}

/** Logs nothing, and keeps metrics out of the test output. */
function quietTelemetry() {
  return {
    logger: new Logger({ serviceName: 'chaos', logLevel: 'SILENT' }),
    metrics: new QuietMetrics({ namespace: 'Chaos', serviceName: 'chaos' }),
  };
}

class QuietMetrics extends Metrics {
  override publishStoredMetrics(): this {
    this.clearMetrics();
    return this;
  }
}

function pause(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
