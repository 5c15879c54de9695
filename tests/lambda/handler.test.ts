import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishResponse } from '../../lambda/handler.ts';
import { type S3TestServer, startS3Server } from '../helpers/s3-server.ts';
import { contentRoot, sampleExpectations } from '../helpers/sample.ts';

let server: S3TestServer;
let handler: (event: object) => Promise<PublishResponse>;

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

beforeAll(async () => {
  server = await startS3Server();
  await server.createBucket('content-bucket');
  await server.createBucket('feeds-bucket');
  await uploadContentFolder('content-bucket', 'content/');
  // The handler reads its environment once, at import, as in Lambda.
  Object.assign(process.env, {
    CONTENT_BUCKET: 'content-bucket',
    CONTENT_PREFIX: 'content/',
    FEEDS_BUCKET: 'feeds-bucket',
    FEED_BASE_URL: 'https://feeds.example.com/',
    AWS_ENDPOINT_URL_S3: server.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  });
  ({ handler } = await import('../../lambda/handler.ts'));
});

afterAll(async () => {
  await server?.close();
});

describe('handler', () => {
  it('publishes the content bucket into the feeds bucket for an SQS batch', async () => {
    await expect(handler(sqsBatch)).resolves.toEqual({ batchItemFailures: [] });
    const listing = await server.client.send(new ListObjectsV2Command({ Bucket: 'feeds-bucket' }));
    expect(listing.Contents?.map((object) => object.Key).sort()).toEqual([
      '_state/state.json',
      'atom.xml',
      ...['economy', 'transport', 'world'].flatMap((slug) =>
        ['atom.xml', 'feed.json', 'rss.xml'].map((name) => `categories/${slug}/${name}`),
      ),
      'feed.json',
      'index.html',
      'rss.xml',
    ]);
  });

  it.each([
    ['rss.xml', 'application/rss+xml; charset=utf-8', '<rss version="2.0"'],
    ['atom.xml', 'application/atom+xml; charset=utf-8', '<feed xmlns="http://www.w3.org/2005/Atom"'],
    ['feed.json', 'application/feed+json; charset=utf-8', '"version": "https://jsonfeed.org/version/1.1"'],
    ['index.html', 'text/html; charset=utf-8', '<!DOCTYPE html>'],
  ])('writes %s with its media type, caching and body', async (key, contentType, marker) => {
    const object = await getObject(key);
    expect(object.contentType).toBe(contentType);
    expect(object.cacheControl).toMatch(/max-age=\d+/);
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
    await handler(sqsBatch);
    const feed = JSON.parse((await getObject('feed.json')).body ?? '{}') as { items: { title: string }[] };
    expect(feed.items.map((item) => item.title)).toContain('Late news');
  });

  it('keeps the last good version of a record that turns invalid, from the state in the feeds bucket', async () => {
    await server.client.send(
      new PutObjectCommand({
        Bucket: 'content-bucket',
        Key: 'content/articles/late-news.json',
        Body: '{ "title": ',
      }),
    );
    await expect(handler(sqsBatch)).resolves.toEqual({ batchItemFailures: [] });
    const feed = JSON.parse((await getObject('feed.json')).body ?? '{}') as { items: { title: string }[] };
    expect(feed.items.map((item) => item.title)).toContain('Late news');
    const state = JSON.parse((await getObject('_state/state.json')).body ?? '{}') as { articles: object };
    expect(Object.keys(state.articles)).toContain('articles/late-news.json');
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
