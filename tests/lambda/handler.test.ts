import { readdir, readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join, relative } from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentCaching } from '../../lambda/core/render/feed-files.ts';
import type { PublishResponse } from '../../lambda/handler.ts';
import { startConditionalWriteProxy } from '../helpers/conditional-write-proxy.ts';
import { type RecordedRequest, startRecordingServer } from '../helpers/recording-server.ts';
import { etagOn, type S3TestServer, startS3Server } from '../helpers/s3-server.ts';
import { contentFeedFiles, contentRoot, sampleExpectations } from '../helpers/sample.ts';

let server: S3TestServer;
let proxy: Awaited<ReturnType<typeof startConditionalWriteProxy>>;
let handler: (event: object, context?: { invokedFunctionArn: string }) => Promise<PublishResponse>;
let services: Awaited<ReturnType<typeof startRecordingServer>>;
const functionArn = 'arn:aws:lambda:us-east-1:123456789012:function:publish';
// A run started through a version (the post-deploy trigger) still schedules the function itself.
const context = { invokedFunctionArn: `${functionArn}:7` };

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

async function getObject(key: string) {
  const response = await server.client.send(new GetObjectCommand({ Bucket: 'feeds-bucket', Key: key }));
  return {
    contentType: response.ContentType,
    cacheControl: response.CacheControl,
    body: await response.Body?.transformToString(),
  };
}

const sqsBatch = {
  Records: [{ messageId: 'message-1', eventSource: 'aws:sqs', body: '{"Records":[]}' }],
};

let sequence = 0x100;
/** An SQS batch carrying the S3 event notifications of these content keys, as S3 would send them. */
async function eventsFor(...keys: string[]) {
  const records = await Promise.all(
    keys.map(async (key) => {
      const head = await server.client
        .send(new HeadObjectCommand({ Bucket: 'content-bucket', Key: key }))
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
  proxy = await startConditionalWriteProxy(server.endpoint, {
    currentEtag: etagOn(server.client),
  });
  await server.createBucket('content-bucket');
  await server.createBucket('feeds-bucket');
  await server.createBucket('state-bucket');
  await uploadContentFolder('content-bucket', 'content/');
  // The handler reads its environment once, at import, as in Lambda.
  Object.assign(process.env, {
    CONTENT_BUCKET: 'content-bucket',
    CONTENT_PREFIX: 'content/',
    FEEDS_BUCKET: 'feeds-bucket',
    STATE_BUCKET: 'state-bucket',
    FEED_BASE_URL: 'https://feeds.example.com/',
    AWS_ENDPOINT_URL_S3: proxy.endpoint,
    AWS_ENDPOINT_URL_CLOUDFRONT: services.url,
    AWS_ENDPOINT_URL_SCHEDULER: services.url,
    DISTRIBUTION_ID: 'E2EXAMPLE',
    HUB_URL: `${services.url}/hub`,
    SCHEDULE_GROUP: 'feeds',
    SCHEDULE_NAME: 'next-visibility-change',
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  });
  ({ handler } = await import('../../lambda/handler.ts'));
});

afterAll(async () => {
  await proxy?.close();
  await server?.close();
  await services?.close();
});

describe('handler', () => {
  it('publishes the content bucket into the feeds bucket for an SQS batch', async () => {
    await expect(handler(sqsBatch)).resolves.toEqual({ batchItemFailures: [] });
    const listing = await server.client.send(new ListObjectsV2Command({ Bucket: 'feeds-bucket' }));
    expect(listing.Contents?.map((object) => object.Key).sort()).toEqual(contentFeedFiles);
  });

  it.each([
    ['rss.xml', 'application/rss+xml; charset=utf-8', '<rss version="2.0"'],
    ['atom.xml', 'application/atom+xml; charset=utf-8', '<feed xmlns="http://www.w3.org/2005/Atom"'],
    ['feed.json', 'application/feed+json; charset=utf-8', '"version": "https://jsonfeed.org/version/1.1"'],
    ['index.html', 'text/html; charset=utf-8', '<!DOCTYPE html>'],
  ])('writes %s with its media type, caching and body', async (key, contentType, marker) => {
    const object = await getObject(key);
    expect(object.contentType).toBe(contentType);
    expect(object.cacheControl).toBe(currentCaching);
    expect(object.body).toContain(marker);
    expect(object.body).toContain(sampleExpectations.title);
  });

  it('uses the deployed feed URL over the one in site.json', async () => {
    expect((await getObject('rss.xml')).body).toContain(
      'href="https://feeds.example.com/rss.xml" rel="self"',
    );
  });

  it('publishes on a schedule event too, and writes nothing when nothing changed', async () => {
    const before = await getObject('atom.xml');
    await expect(handler({ source: 'aws.events', 'detail-type': 'Scheduled Event' })).resolves.toEqual({
      batchItemFailures: [],
    });
    expect(await getObject('atom.xml')).toEqual(before);
  });

  it('picks up a new record written to the content bucket', async () => {
    await server.client.send(
      new PutObjectCommand({
        Bucket: 'content-bucket',
        Key: 'content/articles/late-news.json',
        Body: JSON.stringify({ title: 'Late news', date: '2025-01-02T03:04:05Z', content_text: 'Just in.' }),
      }),
    );
    await handler(await eventsFor('content/articles/late-news.json'));
    const feed = JSON.parse((await getObject('feed.json')).body ?? '{}') as { items: { title: string }[] };
    expect(feed.items.map((item) => item.title)).toContain('Late news');
  });

  it('keeps the last good version of a record that turns invalid, from its state in the state bucket', async () => {
    await server.client.send(
      new PutObjectCommand({
        Bucket: 'content-bucket',
        Key: 'content/articles/late-news.json',
        Body: '{ "title": ',
      }),
    );
    await expect(handler(await eventsFor('content/articles/late-news.json'))).resolves.toEqual({
      batchItemFailures: [],
    });
    const feed = JSON.parse((await getObject('feed.json')).body ?? '{}') as { items: { title: string }[] };
    expect(feed.items.map((item) => item.title)).toContain('Late news');
    const state = await server.client.send(
      new GetObjectCommand({ Bucket: 'state-bucket', Key: 'records/articles/late-news.json' }),
    );
    const record = JSON.parse((await state.Body?.transformToString()) ?? '{}') as {
      article: { title: string };
      errors: unknown[];
    };
    expect(record.article.title).toBe('Late news');
    expect(record.errors).toHaveLength(1);
  });

  it('pings the hub for the feeds that changed and schedules the next embargo, invalidating nothing the short cache lifetime covers', async () => {
    services.requests.length = 0;
    await server.client.send(
      new PutObjectCommand({
        Bucket: 'content-bucket',
        Key: 'content/articles/embargoed.json',
        Body: JSON.stringify({ title: 'Later', date: '2099-01-02T03:04:05.250Z', content_text: 'Not yet.' }),
      }),
    );
    await server.client.send(
      new PutObjectCommand({
        Bucket: 'content-bucket',
        Key: 'content/articles/sport.json',
        Body: JSON.stringify({
          title: 'Match',
          date: '2025-02-01T00:00:00Z',
          categories: ['Sport'],
          content_text: 'Won.',
        }),
      }),
    );
    await expect(
      handler(await eventsFor('content/articles/embargoed.json', 'content/articles/sport.json'), context),
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

  it('reads only the record that changed, not the whole archive', async () => {
    await server.client.send(
      new PutObjectCommand({
        Bucket: 'content-bucket',
        Key: 'content/articles/sport.json',
        Body: JSON.stringify({
          title: 'Match, updated',
          date: '2025-02-01T00:00:00Z',
          categories: ['Sport'],
          content_text: 'Won 2-1.',
        }),
      }),
    );
    const batch = await eventsFor('content/articles/sport.json');
    const before = proxy.log.length;
    await handler(batch, context);
    const requests = proxy.log.slice(before);
    const recordReads = requests.filter(
      (entry) => entry.method === 'GET' && entry.path.startsWith('/content-bucket/content/articles/'),
    );
    expect(recordReads.map((entry) => entry.path.split('?')[0])).toEqual([
      '/content-bucket/content/articles/sport.json',
    ]);
    expect(requests.filter((entry) => entry.path.includes('list-type=2'))).toEqual([]);
    const feed = JSON.parse((await getObject('feed.json')).body ?? '{}') as { items: { title: string }[] };
    expect(feed.items.map((item) => item.title)).toContain('Match, updated');
  });

  it.each([
    ['a duplicate of an event already handled', 0],
    ['an event older than the one the record state saw', -1],
  ])('writes nothing for %s', async (_case, shift) => {
    const batch = await eventsFor('content/articles/sport.json');
    await handler(batch, context);
    const body = JSON.parse(batch.Records[0]?.body ?? '{}') as {
      Records: { s3: { object: { sequencer: string } } }[];
    };
    const event = body.Records[0];
    if (event) event.s3.object.sequencer = `00${(sequence + shift).toString(16).toUpperCase()}`;
    const replay = { Records: [{ ...batch.Records[0], body: JSON.stringify(body) }] };
    const before = proxy.log.length;
    await expect(handler(replay, context)).resolves.toEqual({ batchItemFailures: [] });
    const requests = proxy.log.slice(before);
    expect(requests.filter((entry) => ['PUT', 'DELETE'].includes(entry.method))).toEqual([]);
    expect(requests.filter((entry) => entry.path.startsWith('/content-bucket/content/articles/'))).toEqual(
      [],
    );
  });

  it('never wrote anything the conditional-write proxy refused', () => {
    expect(proxy.log.filter((entry) => entry.method === 'PUT' && entry.status !== 200)).toEqual([]);
    expect(proxy.log.filter((entry) => entry.method === 'PUT').length).toBeGreaterThan(10);
  });

  it('invalidates nothing and pings nobody when nothing changed', async () => {
    services.requests.length = 0;
    await handler(await eventsFor('content/articles/sport.json'), context);
    expect(
      services.requests.filter(
        (request) => request.path.includes('/invalidation') || request.path === '/hub',
      ),
    ).toEqual([]);
  });

  it('reports every message as failed when the publish cannot run', async () => {
    await server.client.send(
      new PutObjectCommand({ Bucket: 'content-bucket', Key: 'content/site.json', Body: '{ not json' }),
    );
    await expect(handler(sqsBatch)).resolves.toEqual({
      batchItemFailures: [{ itemIdentifier: 'message-1' }],
    });
    expect((await getObject('rss.xml')).body).toContain(sampleExpectations.title);
  });
});
