import { readdir, readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join, relative } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readHandlerConfig } from '../../lambda/aws/config.ts';
import { createHandler } from '../../lambda/aws/publish-handler.ts';
import { createTelemetry } from '../../lambda/aws/telemetry.ts';
import { currentCaching } from '../../lambda/core/render/file-headers.ts';
import { createCloudFrontClient } from '../../lambda/delivery/cloudfront.ts';
import { createSchedulerClient } from '../../lambda/delivery/next-change-schedule.ts';
import { startConditionalWriteProxy } from '../helpers/conditional-write-proxy.ts';
import { type RecordedRequest, startRecordingServer } from '../helpers/recording-server.ts';
import { etagOn, type S3TestServer, s3rverClient, startS3Server } from '../helpers/s3-server.ts';
import { contentFeedFiles, contentRoot, sampleExpectations } from '../helpers/sample.ts';

let server: S3TestServer;
let proxy: Awaited<ReturnType<typeof startConditionalWriteProxy>>;
let services: Awaited<ReturnType<typeof startRecordingServer>>;
const functionArn = 'arn:aws:lambda:us-east-1:123456789012:function:publish';
// A run started through a version (the post-deploy trigger) still schedules the function itself.
const context = { invokedFunctionArn: `${functionArn}:7` };
const local = { region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } };

/** Answers as CloudFront, EventBridge Scheduler and a WebSub hub would, by path. */
function answerAsServices(request: RecordedRequest, response: ServerResponse): void {
  if (request.path.startsWith('/2020-05-31/distribution/')) {
    response.writeHead(201, { 'content-type': 'text/xml' });
    response.end(
      '<?xml version="1.0" encoding="UTF-8"?><Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Id>I1</Id><Status>InProgress</Status><CreateTime>2026-01-01T00:00:00Z</CreateTime></Invalidation>',
    );
  } else if (request.path.startsWith('/schedules/') && request.method === 'PUT') {
    response.writeHead(404, {
      'content-type': 'application/json',
      'x-amzn-errortype': 'ResourceNotFoundException',
    });
    response.end(JSON.stringify({ Message: 'Schedule next-visibility-change does not exist.' }));
  } else if (request.path.startsWith('/schedules/')) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({ ScheduleArn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/group/next' }),
    );
  } else {
    response.writeHead(204);
    response.end();
  }
}

async function uploadContentFolder(bucket: string, prefix: string): Promise<void> {
  const entries = await readdir(contentRoot, { recursive: true, withFileTypes: true });
  for (const entry of entries.filter((candidate) => candidate.isFile())) {
    const path = join(entry.parentPath, entry.name);
    await server.client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `${prefix}${relative(contentRoot, path)}`,
        Body: await readFile(path),
      }),
    );
  }
}

/** The environment of a deployed function, for buckets of its own. */
function environmentFor(id: number): Record<string, string> {
  return {
    CONTENT_BUCKET: `content-${id}`,
    CONTENT_PREFIX: 'content/',
    FEEDS_BUCKET: `feeds-${id}`,
    STATE_BUCKET: `state-${id}`,
    FEED_BASE_URL: 'https://feeds.example.com/',
    DISTRIBUTION_ID: 'E2EXAMPLE',
    HUB_URL: `${services.url}/hub`,
    SCHEDULE_GROUP: 'feeds',
    SCHEDULE_NAME: 'next-visibility-change',
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
  };
}

let worlds = 0;

/**
 * A deployment of its own: content, feeds and state buckets, the sample content uploaded, and a
 * handler over them (writing through the proxy that refuses what S3 would refuse). Published
 * once unless told otherwise, so each test starts from a published site and needs no other test.
 */
async function deployment({ published = true } = {}) {
  worlds += 1;
  const environment = environmentFor(worlds);
  const buckets = {
    content: environment.CONTENT_BUCKET ?? '',
    feeds: environment.FEEDS_BUCKET ?? '',
    state: environment.STATE_BUCKET ?? '',
  };
  for (const bucket of Object.values(buckets)) await server.createBucket(bucket);
  await uploadContentFolder(buckets.content, 'content/');
  const handler = createHandler({
    config: readHandlerConfig(environment),
    s3: s3rverClient(proxy.endpoint),
    cloudFront: createCloudFrontClient(services.url, local),
    scheduler: createSchedulerClient(services.url, local),
    telemetry: createTelemetry({ namespace: 'Test', service: 'test-stack' }),
  });
  if (published) await handler(sqsBatch);
  const putRecord = (key: string, body: string | object) =>
    server.client.send(
      new PutObjectCommand({
        Bucket: buckets.content,
        Key: `content/${key}`,
        Body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );
  const getObject = async (key: string) => {
    const response = await server.client.send(new GetObjectCommand({ Bucket: buckets.feeds, Key: key }));
    return {
      contentType: response.ContentType,
      cacheControl: response.CacheControl,
      body: await response.Body?.transformToString(),
    };
  };
  const titles = async () =>
    (JSON.parse((await getObject('feed.json')).body ?? '{}') as { items: { title: string }[] }).items.map(
      (item) => item.title,
    );
  /** An SQS batch carrying the S3 event notifications of these records, as S3 would send them. */
  const eventsFor = (...keys: string[]) =>
    s3EventsFor(
      buckets.content,
      keys.map((key) => `content/${key}`),
    );
  return { handler, buckets, environment, putRecord, getObject, titles, eventsFor };
}

const sqsBatch = {
  Records: [{ messageId: 'message-1', eventSource: 'aws:sqs', body: '{"Records":[]}' }],
};

let sequence = 0x100;
async function s3EventsFor(bucket: string, keys: readonly string[]) {
  const records = await Promise.all(
    keys.map(async (key) => {
      const head = await server.client
        .send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
        .catch(() => undefined);
      sequence += 1;
      return {
        eventName: head ? 'ObjectCreated:Put' : 'ObjectRemoved:Delete',
        s3: {
          object: {
            key: encodeURIComponent(key).replace(/%2F/g, '/'),
            eTag: head?.ETag?.replace(/"/g, ''),
            sequencer: `00${sequence.toString(16).toUpperCase()}`,
          },
        },
      };
    }),
  );
  return {
    Records: [{ messageId: 'message-1', eventSource: 'aws:sqs', body: JSON.stringify({ Records: records }) }],
  };
}

beforeAll(async () => {
  services = await startRecordingServer(answerAsServices);
  server = await startS3Server();
  // The handler writes through a proxy that refuses unconditional or stale writes, as S3 and the bucket policy do.
  proxy = await startConditionalWriteProxy(server.endpoint, { currentEtag: etagOn(server.client) });
});

afterAll(async () => {
  await proxy?.close();
  await server?.close();
  await services?.close();
});

beforeEach(() => {
  services.requests.length = 0;
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('the Lambda entry point', () => {
  it('reads its environment once, at import, and publishes the content bucket into the feeds bucket', async () => {
    const { buckets } = await deployment({ published: false });
    for (const [name, value] of Object.entries({
      ...environmentFor(worlds),
      AWS_ENDPOINT_URL_S3: proxy.endpoint,
      AWS_ENDPOINT_URL_CLOUDFRONT: services.url,
      AWS_ENDPOINT_URL_SCHEDULER: services.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    }))
      vi.stubEnv(name, value);
    const { handler } = await import('../../lambda/handler.ts');
    await expect(handler(sqsBatch)).resolves.toEqual({ batchItemFailures: [] });
    const listing = await server.client.send(new ListObjectsV2Command({ Bucket: buckets.feeds }));
    expect(listing.Contents?.map((object) => object.Key).sort()).toEqual(contentFeedFiles);
  });

  it('fails at import, naming what is missing, when the environment is incomplete', async () => {
    vi.stubEnv('CONTENT_BUCKET', '');
    vi.stubEnv('FEEDS_BUCKET', 'feeds');
    vi.stubEnv('STATE_BUCKET', 'state');
    await expect(import('../../lambda/handler.ts')).rejects.toThrow(
      'missing environment variables: CONTENT_BUCKET',
    );
  });
});

describe('handler', () => {
  it('publishes the content bucket into the feeds bucket for an SQS batch', async () => {
    const { handler, buckets } = await deployment({ published: false });
    await expect(handler(sqsBatch)).resolves.toEqual({ batchItemFailures: [] });
    const listing = await server.client.send(new ListObjectsV2Command({ Bucket: buckets.feeds }));
    expect(listing.Contents?.map((object) => object.Key).sort()).toEqual(contentFeedFiles);
  });

  it.each([
    ['rss.xml', 'application/rss+xml; charset=utf-8', '<rss version="2.0"'],
    ['atom.xml', 'application/atom+xml; charset=utf-8', '<feed xmlns="http://www.w3.org/2005/Atom"'],
    ['feed.json', 'application/feed+json; charset=utf-8', '"version": "https://jsonfeed.org/version/1.1"'],
    ['index.html', 'text/html; charset=utf-8', '<!DOCTYPE html>'],
  ])('writes %s with its media type, caching and body', async (key, contentType, marker) => {
    const { getObject } = await deployment();
    const object = await getObject(key);
    expect(object.contentType).toBe(contentType);
    expect(object.cacheControl).toBe(currentCaching);
    expect(object.body).toContain(marker);
    expect(object.body).toContain(sampleExpectations.title);
  });

  it('uses the deployed feed URL over the one in site.json', async () => {
    const { getObject } = await deployment();
    expect((await getObject('rss.xml')).body).toContain(
      'href="https://feeds.example.com/rss.xml" rel="self"',
    );
  });

  it('publishes on a schedule event too, and writes nothing when nothing changed', async () => {
    const { handler, buckets } = await deployment();
    const before = proxy.log.length;
    await expect(
      handler({ source: 'aws.events', 'detail-type': 'Scheduled Event' } as object),
    ).resolves.toEqual({
      batchItemFailures: [],
    });
    const writes = proxy.log
      .slice(before)
      .filter(
        (entry) => ['PUT', 'DELETE'].includes(entry.method) && entry.path.startsWith(`/${buckets.feeds}/`),
      );
    expect(writes).toEqual([]);
  });

  it('heals the feeds bucket in the scheduled reconcile: deleted and overwritten files come back, others are left', async () => {
    const { handler, buckets, getObject } = await deployment();
    const rss = await getObject('rss.xml');
    const page = await getObject('categories/world/index.html');
    await server.client.send(new DeleteObjectCommand({ Bucket: buckets.feeds, Key: 'rss.xml' }));
    await server.client.send(
      new PutObjectCommand({ Bucket: buckets.feeds, Key: 'categories/world/index.html', Body: 'defaced' }),
    );
    await server.client.send(
      new PutObjectCommand({ Bucket: buckets.feeds, Key: 'robots.txt', Body: 'User-agent: *\n' }),
    );
    // A leftover of the publisher's own (its metadata says so) that the state no longer names.
    await server.client.send(
      new PutObjectCommand({
        Bucket: buckets.feeds,
        Key: 'archive/1999-01/rss.xml',
        Body: '<rss/>',
        Metadata: { revision: '1', sha256: 'x' },
      }),
    );
    const schedule = { source: 'aws.events', 'detail-type': 'Scheduled Event' } as object;
    await expect(handler(schedule)).resolves.toEqual({ batchItemFailures: [] });
    expect(await getObject('rss.xml')).toEqual(rss);
    expect(await getObject('categories/world/index.html')).toEqual(page);
    expect((await getObject('robots.txt')).body).toBe('User-agent: *\n');
    await expect(getObject('archive/1999-01/rss.xml')).rejects.toThrow();
    // The reconcile after that finds nothing to heal.
    const before = proxy.log.length;
    await handler(schedule);
    const writes = proxy.log
      .slice(before)
      .filter(
        (entry) => ['PUT', 'DELETE'].includes(entry.method) && entry.path.startsWith(`/${buckets.feeds}/`),
      );
    expect(writes).toEqual([]);
  });

  it.each([
    [
      'a failed scheduled publish, from the invocation dead-letter queue',
      '{"source":"feed-publisher.reconcile"}',
    ],
    ['a failed manual publish, from the invocation dead-letter queue', '{"source":"manual"}'],
  ])('reconciles when %s is redriven to the publish queue', async (_, body) => {
    const { handler, buckets, getObject } = await deployment();
    const rss = await getObject('rss.xml');
    await server.client.send(new DeleteObjectCommand({ Bucket: buckets.feeds, Key: 'rss.xml' }));
    await expect(handler({ Records: [{ messageId: 'redriven-1', body }] })).resolves.toEqual({
      batchItemFailures: [],
    });
    expect(await getObject('rss.xml')).toEqual(rss);
  });

  it('publishes an S3 event redriven from its dead-letter queue like any other', async () => {
    const { handler, putRecord, eventsFor, titles } = await deployment();
    await putRecord('articles/redriven.json', {
      title: 'Redriven',
      date: '2025-02-01T00:00:00Z',
      content_text: 'x',
    });
    const batch = await eventsFor('articles/redriven.json');
    await handler(batch);
    // Delivered again after its trip through the dead-letter queue: published once, changed nothing.
    await handler(batch);
    expect((await titles()).filter((title) => title === 'Redriven')).toHaveLength(1);
  });

  it.each([
    ['a new function version with the same site.json', {}, false],
    ['a changed site title', { title: 'Renamed Wire' }, true],
  ])(
    'after a deploy of %s, rebuilds only when rendering depends on what changed',
    async (_, change, rebuilds) => {
      const { buckets, environment } = await deployment();
      const site = JSON.parse(await readFile(join(contentRoot, 'site.json'), 'utf8')) as object;
      await server.client.send(
        new PutObjectCommand({
          Bucket: buckets.content,
          Key: 'content/site.json',
          Body: JSON.stringify({ ...site, ...change }),
        }),
      );
      // The deploy's new function version (its environment changes with the deployed content).
      const deployed = createHandler({
        config: readHandlerConfig({ ...environment, CONTENT_VERSION: 'next' }),
        s3: s3rverClient(proxy.endpoint),
        cloudFront: createCloudFrontClient(services.url, local),
        scheduler: createSchedulerClient(services.url, local),
        telemetry: createTelemetry({ namespace: 'Test', service: 'test-stack' }),
      });
      const before = proxy.log.length;
      await deployed({});
      const leases = proxy.log
        .slice(before)
        .filter(
          (entry) =>
            entry.method === 'PUT' && entry.path.split('?')[0] === `/${buckets.state}/rebuilds/current.json`,
        );
      expect(leases.length > 0).toBe(rebuilds);
    },
  );

  it('picks up a new record written to the content bucket', async () => {
    const { handler, putRecord, eventsFor, titles } = await deployment();
    await putRecord('articles/late-news.json', {
      title: 'Late news',
      date: '2025-01-02T03:04:05Z',
      content_text: 'Just in.',
    });
    await handler(await eventsFor('articles/late-news.json'));
    expect(await titles()).toContain('Late news');
  });

  it('keeps the last good version of a record that turns invalid, from its state in the state bucket', async () => {
    const { handler, putRecord, eventsFor, titles, buckets } = await deployment();
    await putRecord('articles/late-news.json', {
      title: 'Late news',
      date: '2025-01-02T03:04:05Z',
      content_text: 'Just in.',
    });
    await handler(await eventsFor('articles/late-news.json'));
    await putRecord('articles/late-news.json', '{ "title": ');
    await expect(handler(await eventsFor('articles/late-news.json'))).resolves.toEqual({
      batchItemFailures: [],
    });
    expect(await titles()).toContain('Late news');
    const state = await server.client.send(
      new GetObjectCommand({ Bucket: buckets.state, Key: 'records/articles/late-news.json' }),
    );
    const record = JSON.parse((await state.Body?.transformToString()) ?? '{}') as {
      article: { title: string };
      errors: { field: string; message: string }[];
    };
    expect(record.article.title).toBe('Late news');
    expect(record.errors.map((error) => error.field)).toEqual(['(file)']);
  });

  it('pings the hub for the feeds that changed and schedules the next embargo, invalidating nothing the short cache lifetime covers', async () => {
    const { handler, putRecord, eventsFor } = await deployment();
    services.requests.length = 0;
    await putRecord('articles/embargoed.json', {
      title: 'Later',
      date: '2099-01-02T03:04:05.250Z',
      content_text: 'Not yet.',
    });
    await putRecord('articles/sport.json', {
      title: 'Match',
      date: '2025-02-01T00:00:00Z',
      categories: ['Sport'],
      content_text: 'Won.',
    });
    await expect(
      handler(await eventsFor('articles/embargoed.json', 'articles/sport.json'), context),
    ).resolves.toEqual({ batchItemFailures: [] });

    // Current feeds are cached for five minutes; only archive pages (cached a day) are invalidated.
    expect(services.requests.filter((request) => request.path.includes('/invalidation'))).toEqual([]);

    const hubPings = services.requests
      .filter((request) => request.path === '/hub')
      .map((request) => new URLSearchParams(request.body));
    expect(hubPings.every((ping) => ping.get('hub.mode') === 'publish')).toBe(true);
    expect(hubPings.map((ping) => ping.get('hub.url')).sort()).toEqual([
      'https://feeds.example.com/atom.xml',
      'https://feeds.example.com/categories/sport/atom.xml',
      'https://feeds.example.com/categories/sport/feed.json',
      'https://feeds.example.com/categories/sport/rss.xml',
      'https://feeds.example.com/feed.json',
      'https://feeds.example.com/rss.xml',
    ]);

    const [update, create] = services.requests.filter((request) => request.path.startsWith('/schedules/'));
    expect(update?.method).toBe('PUT');
    expect(create?.method).toBe('POST');
    expect(create?.path).toBe('/schedules/next-visibility-change');
    expect(JSON.parse(create?.body ?? '{}')).toMatchObject({
      GroupName: 'feeds',
      ScheduleExpression: 'at(2099-01-02T03:05:00)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: functionArn,
        RoleArn: 'arn:aws:iam::123456789012:role/scheduler',
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
      },
    });
  });

  it('draws the pages with a template written to the bucket when its S3 event comes', async () => {
    const { handler, putRecord, eventsFor, getObject } = await deployment();
    await putRecord('templates/footer.liquid', '<footer class="newsroom">{{ site.title }}</footer>');
    await handler(await eventsFor('templates/footer.liquid'));
    expect((await getObject('index.html')).body).toContain('<footer class="newsroom">');
    // A broken edit keeps the page as it was, and the next record event still reports it.
    const before = (await getObject('index.html')).body;
    await putRecord('templates/footer.liquid', '<footer>{{ site.title | nofilter }}</footer>');
    await handler(await eventsFor('templates/footer.liquid'));
    expect((await getObject('index.html')).body).toBe(before);
  });

  it('reads only the record that changed, not the whole archive', async () => {
    const { handler, putRecord, eventsFor, titles, buckets } = await deployment();
    const key = 'articles/2024-05-31-grain-harvest.json';
    const { Body: body } = await server.client.send(
      new GetObjectCommand({ Bucket: buckets.content, Key: `content/${key}` }),
    );
    const record = JSON.parse((await body?.transformToString()) ?? '{}') as { title: string };
    await putRecord(key, { ...record, title: 'Grain harvest, updated' });
    const batch = await eventsFor(key);
    const before = proxy.log.length;
    await handler(batch, context);
    const requests = proxy.log.slice(before);
    const recordReads = requests.filter(
      (entry) => entry.method === 'GET' && entry.path.startsWith(`/${buckets.content}/content/articles/`),
    );
    expect(recordReads.map((entry) => entry.path.split('?')[0])).toEqual([
      `/${buckets.content}/content/${key}`,
    ]);
    expect(requests.filter((entry) => entry.path.includes('list-type=2'))).toEqual([]);
    expect(await titles()).toContain('Grain harvest, updated');
  });

  it.each([
    ['a duplicate of an event already handled', 0],
    ['an event older than the one the record state saw', -1],
  ])('writes nothing for %s', async (_case, shift) => {
    const { handler, putRecord, eventsFor, buckets } = await deployment();
    await putRecord('articles/sport.json', {
      title: 'Match',
      date: '2025-02-01T00:00:00Z',
      content_text: 'Won.',
    });
    const batch = await eventsFor('articles/sport.json');
    await handler(batch, context);
    const body = JSON.parse(batch.Records[0]?.body ?? '{}') as {
      Records: { s3: { object: { sequencer: string } } }[];
    };
    const event = body.Records[0];
    if (event) event.s3.object.sequencer = `00${(sequence + shift).toString(16).toUpperCase()}`;
    const replay = { Records: [{ messageId: 'message-1', body: JSON.stringify(body) }] };
    const before = proxy.log.length;
    await expect(handler(replay, context)).resolves.toEqual({ batchItemFailures: [] });
    const requests = proxy.log.slice(before);
    expect(requests.filter((entry) => ['PUT', 'DELETE'].includes(entry.method))).toEqual([]);
    expect(
      requests.filter((entry) => entry.path.startsWith(`/${buckets.content}/content/articles/`)),
    ).toEqual([]);
  });

  it('writes only conditionally, so the proxy that refuses what S3 would refuse never has to', async () => {
    const { handler, putRecord, eventsFor } = await deployment({ published: false });
    const before = proxy.log.length;
    await handler(sqsBatch);
    await putRecord('articles/sport.json', {
      title: 'Match',
      date: '2025-02-01T00:00:00Z',
      content_text: 'Won.',
    });
    await handler(await eventsFor('articles/sport.json'));
    const puts = proxy.log.slice(before).filter((entry) => entry.method === 'PUT');
    expect(puts.filter((entry) => entry.status !== 200)).toEqual([]);
    expect(puts.length).toBeGreaterThan(10);
  });

  it('invalidates nothing and pings nobody when nothing changed', async () => {
    const { handler, eventsFor } = await deployment();
    services.requests.length = 0;
    await handler(await eventsFor('articles/2024-05-31-grain-harvest.json'), context);
    expect(
      services.requests.filter(
        (request) => request.path.includes('/invalidation') || request.path === '/hub',
      ),
    ).toEqual([]);
  });

  it('reports every message as failed when the publish cannot run, and keeps what was published', async () => {
    const { handler, putRecord, getObject } = await deployment();
    await putRecord('site.json', '{ not json');
    await expect(handler(sqsBatch)).resolves.toEqual({
      batchItemFailures: [{ itemIdentifier: 'message-1' }],
    });
    expect((await getObject('rss.xml')).body).toContain(sampleExpectations.title);
  });
});
