import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { readHandlerConfig } from '../../../lambda/aws/config.ts';
import { createHandler } from '../../../lambda/aws/publish-handler.ts';
import { createTelemetry } from '../../../lambda/aws/telemetry.ts';
import { createCloudFrontClient } from '../../../lambda/delivery/cloudfront.ts';
import { createSchedulerClient } from '../../../lambda/delivery/next-change-schedule.ts';
import { runPublish } from '../../../lambda/publish/publish-run.ts';
import { S3OutputStore, S3RecordStore, S3StateStore } from '../../../lambda/stores/s3.ts';
import { createSqsClient } from '../../../lambda/stores/sqs.ts';
import { startConditionalWriteProxy } from '../../helpers/conditional-write-proxy.ts';
import { type RecordedRequest, startRecordingServer } from '../../helpers/recording-server.ts';
import {
  etagOn,
  readBucket,
  type S3TestServer,
  s3rverClient,
  startS3Server,
} from '../../helpers/s3-server.ts';
import { contentRoot } from '../../helpers/sample.ts';

let server: S3TestServer;
let services: Awaited<ReturnType<typeof startRecordingServer>>;
const now = new Date('2026-01-01T00:00:00Z');
const local = { region: 'us-east-1', credentials: { accessKeyId: 'TEST', secretAccessKey: 'TEST' } };

/** Answers SendMessageBatch as SQS does (AWS JSON protocol, with the MD5 the SDK checks). */
function answerAsSqs(request: RecordedRequest, response: import('node:http').ServerResponse): void {
  if (request.headers['x-amz-target'] === 'AmazonSQS.SendMessageBatch') {
    const { Entries } = JSON.parse(request.body) as { Entries: { Id: string; MessageBody: string }[] };
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    response.end(
      JSON.stringify({
        Successful: Entries.map((entry) => ({
          Id: entry.Id,
          MessageId: `m-${entry.Id}`,
          MD5OfMessageBody: createHash('md5').update(entry.MessageBody).digest('hex'),
        })),
        Failed: [],
      }),
    );
    return;
  }
  response.writeHead(204);
  response.end();
}

beforeAll(async () => {
  server = await startS3Server();
  services = await startRecordingServer(answerAsSqs);
  for (const bucket of ['content', 'feeds', 'state', 'feeds-one', 'state-one'])
    await server.createBucket(bucket);
  const entries = await readdir(contentRoot, { recursive: true, withFileTypes: true });
  for (const entry of entries.filter((candidate) => candidate.isFile())) {
    const path = join(entry.parentPath, entry.name);
    const key = relative(contentRoot, path);
    await server.client.send(
      new PutObjectCommand({ Bucket: 'content', Key: key, Body: await readFile(path) }),
    );
  }
  for (let index = 0; index < 60; index += 1) {
    await server.client.send(
      new PutObjectCommand({
        Bucket: 'content',
        Key: `articles/generated/${index}.json`,
        Body: JSON.stringify({
          title: `Generated ${index}`,
          date: new Date(Date.UTC(2023, 0, 1) + index * 9 * 86_400_000).toISOString(),
          categories: ['World'],
          content_text: `Story ${index}.`,
        }),
      }),
    );
  }
});

afterAll(async () => {
  await services?.close();
  await server?.close();
});

const bucketFiles = (bucket: string) => readBucket(server.client, bucket);

describe('handler: a rebuild spread over the rebuild queue', () => {
  it('starts the rebuild, runs the steps SQS hands back, and ends with the files of a rebuild in one process', async () => {
    const handler = createHandler({
      config: readHandlerConfig({
        CONTENT_BUCKET: 'content',
        FEEDS_BUCKET: 'feeds',
        STATE_BUCKET: 'state',
        FEED_BASE_URL: 'https://feeds.example.com/',
        REBUILD_QUEUE_URL: `${services.url}/123456789012/rebuild`,
      }),
      s3: server.client,
      cloudFront: createCloudFrontClient(services.url, local),
      scheduler: createSchedulerClient(services.url, local),
      sqs: createSqsClient(services.url, local),
      telemetry: createTelemetry({ namespace: 'Test', service: 'test-stack' }),
      clock: () => now,
    });
    const sent = () =>
      services.requests
        .filter((request) => request.headers['x-amz-target'] === 'AmazonSQS.SendMessageBatch')
        .flatMap((request) => (JSON.parse(request.body) as { Entries: { MessageBody: string }[] }).Entries)
        .map((entry) => entry.MessageBody);

    await expect(handler({ source: 'aws.events' } as object)).resolves.toEqual({ batchItemFailures: [] });
    expect((await bucketFiles('feeds')).size).toBe(0);
    let handed = 0;
    for (let round = 0; handed < sent().length && round < 20; round += 1) {
      const bodies = sent().slice(handed);
      handed += bodies.length;
      for (const [index, body] of bodies.entries()) {
        const step = { Records: [{ messageId: `step-${round}-${index}`, body }] };
        await expect(handler(step)).resolves.toEqual({ batchItemFailures: [] });
      }
    }
    // Listed, read in one chunk, ids settled in 16 shares, the periods laid out and rendered (a
    // small archive: one group), the article pages a share at a time, then each feed set (the
    // main one and one per category).
    const phases = sent().map((body) => {
      const step = JSON.parse(body) as { kind: string; phase?: string };
      return step.phase ?? step.kind;
    });
    const pageSteps = phases.filter((phase) => phase === 'pages').length;
    expect(pageSteps).toBeGreaterThan(1);
    const setSteps = phases.filter((phase) => phase === 'sets').length;
    const categoryFeeds = [...(await bucketFiles('feeds')).keys()].filter((path) =>
      /^categories\/[^/]+\/rss\.xml$/.test(path),
    );
    expect(categoryFeeds.length).toBeGreaterThan(0);
    expect(setSteps).toBe(1 + categoryFeeds.length);
    expect(phases).toEqual([
      'rebuild-list',
      'read',
      'settle',
      'reduce',
      'render',
      ...Array<string>(pageSteps).fill('pages'),
      ...Array<string>(setSteps).fill('sets'),
    ]);

    await runPublish({
      records: new S3RecordStore(server.client, { bucket: 'content', prefix: '' }),
      output: new S3OutputStore(server.client, { bucket: 'feeds-one', prefix: '' }),
      state: new S3StateStore(server.client, { bucket: 'state-one', prefix: '' }),
      now,
      siteOverrides: { feedBaseUrl: 'https://feeds.example.com/' },
    });
    const fannedOut = await bucketFiles('feeds');
    expect(fannedOut.size).toBeGreaterThan(10);
    expect(fannedOut).toEqual(await bucketFiles('feeds-one'));
  });
});

/**
 * A deployment of its own with a rebuild queue: content, feeds and state buckets named after
 * `name`, `stories` records, a handler on a clock the test moves, and the rebuild steps it sent.
 */
async function rebuildDeployment(name: string, stories: number) {
  const buckets = { content: `content-${name}`, feeds: `feeds-${name}`, state: `state-${name}` };
  for (const bucket of Object.values(buckets)) await server.createBucket(bucket);
  const put = (key: string, body: string | object) =>
    server.client.send(
      new PutObjectCommand({
        Bucket: buckets.content,
        Key: key,
        Body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );
  await put('site.json', await readFile(join(contentRoot, 'site.json'), 'utf8'));
  for (let index = 0; index < stories; index += 1)
    await put(`articles/${index}.json`, {
      title: `Story ${index}`,
      date: new Date(Date.UTC(2024, index, 1)).toISOString(),
      content_text: 'x',
    });
  const time = { now };
  const world = {
    /** The handler's clock; set it to move time on. */
    set clock(value: Date) {
      time.now = value;
    },
    put,
    handler: createHandler({
      config: readHandlerConfig({
        CONTENT_BUCKET: buckets.content,
        FEEDS_BUCKET: buckets.feeds,
        STATE_BUCKET: buckets.state,
        FEED_BASE_URL: 'https://feeds.example.com/',
        REBUILD_QUEUE_URL: `${services.url}/123456789012/rebuild-${name}`,
      }),
      s3: server.client,
      cloudFront: createCloudFrontClient(services.url, local),
      scheduler: createSchedulerClient(services.url, local),
      sqs: createSqsClient(services.url, local),
      telemetry: createTelemetry({ namespace: 'Test', service: 'test-stack' }),
      clock: (): Date => time.now,
    }),
    /** Rebuild steps sent to the queue while `run` ran. */
    async stepsSentBy(run: () => Promise<unknown>): Promise<string[]> {
      const from = services.requests.length;
      await run();
      return services.requests
        .slice(from)
        .filter((request) => request.headers['x-amz-target'] === 'AmazonSQS.SendMessageBatch')
        .flatMap((request) => (JSON.parse(request.body) as { Entries: { MessageBody: string }[] }).Entries)
        .map((entry) => entry.MessageBody);
    },
    async titles(): Promise<string[]> {
      const feed = (await bucketFiles(buckets.feeds)).get('feed.json') ?? '{"items":[]}';
      return (JSON.parse(feed) as { items: { title: string }[] }).items.map((item) => item.title);
    },
    files: () => bucketFiles(buckets.feeds),
    /**
     * Hands each step to the handler, and the steps those send, until none is left; steps `lose`
     * answers true for are dropped, as a queue that lost them.
     */
    async drain(steps: readonly string[], lose?: (body: string) => boolean): Promise<number> {
      let handled = 0;
      for (let queue = [...steps]; queue.length > 0; handled += 1) {
        const [body = '', ...rest] = queue;
        if (lose?.(body)) {
          queue = rest;
          continue;
        }
        const sent = await world.stepsSentBy(() =>
          world.handler({ Records: [{ messageId: `step-${handled}`, body }] }),
        );
        queue = [...rest, ...sent];
      }
      return handled;
    },
  };
  return world;
}

const scheduled = { source: 'aws.events' } as object;

describe('handler: events during a rebuild', () => {
  it('publishes a record written while the rebuild ran as the rebuild ends, with no further invocation', async () => {
    const world = await rebuildDeployment('two', 5);
    const steps = await world.stepsSentBy(() => world.handler(scheduled));
    expect(steps).toHaveLength(1);

    await world.put('articles/late.json', { title: 'Late', date: '2024-12-01T00:00:00Z', content_text: 'x' });
    const event = {
      Records: [
        { eventName: 'ObjectCreated:Put', s3: { object: { key: 'articles/late.json', sequencer: '01' } } },
      ],
    };
    await world.handler({ Records: [{ messageId: 'event-1', body: JSON.stringify(event) }] });
    expect((await world.files()).size).toBe(0);

    // The rebuild's steps run; its last one ends with a reconcile.
    await world.drain(steps);
    expect(await world.titles()).toEqual(['Late', 'Story 4', 'Story 3', 'Story 2', 'Story 1', 'Story 0']);
  });
});

describe('handler: a rebuild that stopped making progress', () => {
  it.each([
    ['the listing', 'rebuild-list'],
    ['a read', 'read'],
    ['a share of the id claims', 'settle'],
    ['a group of periods laid out', 'reduce'],
    ['a group of periods rendered', 'render'],
    ['a share of the article pages', 'pages'],
  ])(
    'is resumed where it stopped (%s lost) by the next reconcile, not started over; a redriven step changes nothing',
    async (_, kind) => {
      const world = await rebuildDeployment(`lost-${kind}`, 3);
      const phaseOf = (body: string) => {
        const step = JSON.parse(body) as { kind: string; phase?: string };
        return step.phase ?? step.kind;
      };
      let lost: string | undefined;
      // Every step runs but the first of its kind, which is lost.
      await world.drain(await world.stepsSentBy(() => world.handler(scheduled)), (body) => {
        if (lost !== undefined || phaseOf(body) !== kind) return false;
        lost = body;
        return true;
      });
      expect(lost).toBeDefined();
      expect(await world.titles()).toEqual([]);
      // A reconcile soon after waits for the rebuild; one 16 minutes later resumes it.
      world.clock = new Date(now.getTime() + 60_000);
      expect(await world.stepsSentBy(() => world.handler(scheduled))).toEqual([]);
      world.clock = new Date(now.getTime() + 16 * 60_000);
      const resent = await world.stepsSentBy(() => world.handler(scheduled));
      expect(resent).toEqual([lost]);
      await world.drain(resent);
      expect(await world.titles()).toEqual(['Story 2', 'Story 1', 'Story 0']);
      // The same step redriven from the rebuild dead-letter queue after the job ended does nothing.
      const files = await world.files();
      await expect(
        world.handler({ Records: [{ messageId: 'redriven-step', body: lost ?? '' }] }),
      ).resolves.toEqual({
        batchItemFailures: [],
      });
      expect(await world.files()).toEqual(files);
    },
  );
});

describe("handler: logs and metrics under Lambda's JSON log format", () => {
  it('writes each metric line as top-level EMF, with the stack as its service dimension', async () => {
    const handler = createHandler({
      config: readHandlerConfig({ CONTENT_BUCKET: 'content', FEEDS_BUCKET: 'feeds', STATE_BUCKET: 'state' }),
      s3: server.client,
      cloudFront: createCloudFrontClient(services.url, local),
      scheduler: createSchedulerClient(services.url, local),
      telemetry: createTelemetry({ namespace: 'FeedPublisherTest', service: 'stack-a' }),
      clock: () => now,
    });
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const originals = { log: console.log, info: console.info, warn: console.warn, error: console.error };
    // What the Node.js runtime does to console output under the JSON log format.
    for (const level of ['log', 'info', 'warn', 'error'] as const) {
      console[level] = (...args: unknown[]) =>
        lines.push(
          JSON.stringify({
            timestamp: now.toISOString(),
            level: level === 'log' ? 'INFO' : level.toUpperCase(),
            requestId: 'request-1',
            message: args.map(String).join(' '),
          }),
        );
    }
    process.stdout.write = ((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    }) as typeof process.stdout.write;
    try {
      await handler({ source: 'aws.events' } as object);
      await handler({ Records: [{ messageId: 'broken', body: 'not an event' }] });
    } finally {
      process.stdout.write = write;
      Object.assign(console, originals);
    }
    const metricLines = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => typeof line._aws === 'object');
    const names = metricLines.flatMap((line) =>
      (
        line._aws as {
          CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
        }
      ).CloudWatchMetrics.flatMap((metric) => {
        expect(metric.Namespace).toBe('FeedPublisherTest');
        expect(metric.Dimensions).toEqual([['service']]);
        return metric.Metrics.map((entry) => entry.Name);
      }),
    );
    expect(names).toEqual(
      expect.arrayContaining(['InvalidRecords', 'PublishedArticles', 'FilesWritten', 'DeliveryErrors']),
    );
    expect(metricLines.every((line) => line.service === 'stack-a')).toBe(true);
    expect(lines.some((line) => line.includes('\\"_aws\\"'))).toBe(false);
  });
});

/** The handler publishing the shared content bucket into its own feeds and state buckets. */
function handlerPublishingTo(feeds: string, state: string, env: Record<string, string> = {}) {
  return createHandler({
    config: readHandlerConfig({
      CONTENT_BUCKET: 'content',
      FEEDS_BUCKET: feeds,
      STATE_BUCKET: state,
      FEED_BASE_URL: 'https://feeds.example.com/',
      ...env,
    }),
    s3: server.client,
    cloudFront: createCloudFrontClient(services.url, local),
    scheduler: createSchedulerClient(services.url, local),
    telemetry: createTelemetry({ namespace: 'Test', service: 'test-stack' }),
    clock: () => now,
  });
}

describe('handler: CloudFront invalidations', () => {
  it('invalidates exactly the archive page an edit of an archived article rewrote', async () => {
    for (const bucket of ['feeds-edit', 'state-edit']) await server.createBucket(bucket);
    const handler = handlerPublishingTo('feeds-edit', 'state-edit', { DISTRIBUTION_ID: 'E2EXAMPLE' });
    await handler({ source: 'aws.events' } as object);
    await server.client.send(
      new PutObjectCommand({
        Bucket: 'content',
        Key: 'articles/generated/0.json',
        Body: JSON.stringify({
          title: 'Generated 0, corrected',
          date: '2023-01-01T00:00:00Z',
          content_text: 'Fixed.',
        }),
      }),
    );
    services.requests.length = 0;
    const event = {
      Records: [
        {
          messageId: 'edit',
          body: JSON.stringify({
            Records: [
              {
                eventName: 'ObjectCreated:Put',
                s3: { object: { key: 'articles/generated/0.json', sequencer: '01' } },
              },
            ],
          }),
        },
      ],
    };
    await expect(handler(event)).resolves.toEqual({ batchItemFailures: [] });
    const invalidations = services.requests.filter((request) => request.path.includes('/invalidation'));
    expect(invalidations).toHaveLength(1);
    const paths = [...(invalidations[0]?.body.matchAll(/<Path>([^<]+)<\/Path>/g) ?? [])]
      .map((match) => match[1])
      .sort();
    expect(paths).toEqual([
      '/archive/2023-01/atom.xml',
      '/archive/2023-01/feed.json',
      '/archive/2023-01/index.html',
      '/archive/2023-01/rss.xml',
      '/categories/world/archive/2023-01/atom.xml',
      '/categories/world/archive/2023-01/feed.json',
      '/categories/world/archive/2023-01/index.html',
      '/categories/world/archive/2023-01/rss.xml',
    ]);
  });
});

describe('handler: a message of the wrong shape', () => {
  it('fails that message alone, and publishes what the others name', async () => {
    for (const bucket of ['feeds-shape', 'state-shape']) await server.createBucket(bucket);
    const handler = handlerPublishingTo('feeds-shape', 'state-shape');
    await handler({ source: 'aws.events' } as object);
    await server.client.send(
      new PutObjectCommand({
        Bucket: 'content',
        Key: 'articles/shape.json',
        Body: JSON.stringify({ title: 'Shape', date: '2025-12-31T00:00:00Z', content_text: 'x' }),
      }),
    );
    const event = {
      Records: [
        {
          messageId: 'bad-step',
          body: JSON.stringify({ kind: 'rebuild-step', job: 'j', phase: 'paint', n: 0 }),
        },
        { messageId: 'bad-event', body: JSON.stringify({ Records: [{ s3: { object: { key: 7 } } }] }) },
        {
          messageId: 'good',
          body: JSON.stringify({
            Records: [
              {
                eventName: 'ObjectCreated:Put',
                s3: { object: { key: 'articles/shape.json', sequencer: '02' } },
              },
            ],
          }),
        },
      ],
    };
    await expect(handler(event)).resolves.toEqual({
      batchItemFailures: [{ itemIdentifier: 'bad-step' }, { itemIdentifier: 'bad-event' }],
    });
    const feed = (await bucketFiles('feeds-shape')).get('feed.json') ?? '';
    expect(feed).toContain('"title": "Shape"');
    await server.client.send(new DeleteObjectCommand({ Bucket: 'content', Key: 'articles/shape.json' }));
  });
});

describe('handler: records a deploy staged', () => {
  it('creates each staged record only where none exists, and never overwrites one written to the bucket', async () => {
    for (const bucket of ['content-import', 'feeds-import', 'state-import'])
      await server.createBucket(bucket);
    const put = (key: string, body: object) =>
      server.client.send(
        new PutObjectCommand({ Bucket: 'content-import', Key: key, Body: JSON.stringify(body) }),
      );
    await put('site.json', {
      title: 'Imported Wire',
      description: 'D',
      siteUrl: 'https://www.example.com/',
      feedBaseUrl: 'https://feeds.example.com/',
    });
    const story = (title: string) => ({ title, date: '2025-01-01T00:00:00Z', content_text: `${title}.` });
    await put('articles/kept.json', story('Edited in the bucket'));
    await put('import/articles/kept.json', story('As in the repository'));
    await put('import/articles/new.json', story('New from the repository'));
    // s3rver ignores If-None-Match; the proxy enforces it as S3 does.
    const proxy = await startConditionalWriteProxy(server.endpoint, { currentEtag: etagOn(server.client) });
    onTestFinished(() => proxy.close());
    const handler = createHandler({
      config: readHandlerConfig({
        CONTENT_BUCKET: 'content-import',
        FEEDS_BUCKET: 'feeds-import',
        STATE_BUCKET: 'state-import',
        IMPORT_PREFIX: 'import/',
      }),
      s3: s3rverClient(proxy.endpoint),
      cloudFront: createCloudFrontClient(services.url, local),
      scheduler: createSchedulerClient(services.url, local),
      telemetry: createTelemetry({ namespace: 'Test', service: 'test-stack' }),
      clock: () => now,
    });
    // A null event (a bare manual invoke) is a full publish.
    await expect(handler(null)).resolves.toEqual({ batchItemFailures: [] });
    const content = await readBucket(server.client, 'content-import');
    expect([...content.keys()].sort()).toEqual(['articles/kept.json', 'articles/new.json', 'site.json']);
    expect(content.get('articles/kept.json')).toContain('Edited in the bucket');
    const feed = (await readBucket(server.client, 'feeds-import')).get('feed.json') ?? '';
    expect(feed).toContain('Edited in the bucket');
    expect(feed).toContain('New from the repository');
    expect(feed).not.toContain('As in the repository');
  });
});
