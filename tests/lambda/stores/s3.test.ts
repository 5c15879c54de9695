import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPublish } from '../../../lambda/publish-run.ts';
import { S3OutputStore, S3RecordStore } from '../../../lambda/stores/s3.ts';
import { createS3Client } from '../../../lambda/stores/s3-client.ts';
import { WriteConflictError } from '../../../lambda/stores/store.ts';
import { startConditionalWriteProxy } from '../../helpers/conditional-write-proxy.ts';
import { type S3TestServer, startS3Server } from '../../helpers/s3-server.ts';

let server: S3TestServer;
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const clientFor = (endpoint: string) => createS3Client(endpoint, { region: 'us-east-1', credentials });
const currentEtag = async (bucket: string, key: string) => {
  try {
    return (await server.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ETag;
  } catch {
    return undefined;
  }
};
const file = (body: string) => ({
  path: 'rss.xml',
  contentType: 'application/rss+xml; charset=utf-8',
  cacheControl: 'max-age=300',
  body,
});

beforeAll(async () => {
  server = await startS3Server();
  await server.createBucket('content');
  for (const [key, body] of [
    [
      'site.json',
      JSON.stringify({
        title: 'T',
        description: 'D',
        siteUrl: 'https://e.com/',
        feedBaseUrl: 'https://f.e.com/',
      }),
    ],
    ['articles/a.json', JSON.stringify({ title: 'A', date: '2025-01-01T00:00:00Z', content_text: 'x' })],
  ]) {
    await server.client.send(new PutObjectCommand({ Bucket: 'content', Key: key, Body: body }));
  }
});

afterAll(async () => {
  await server?.close();
});

describe('S3OutputStore behind a proxy that enforces conditional writes', () => {
  it('makes every write conditional: create only if absent, replace only the version it read', async () => {
    await server.createBucket('feeds-a');
    const proxy = await startConditionalWriteProxy(server.endpoint, { currentEtag });
    const store = new S3OutputStore(clientFor(proxy.endpoint), { bucket: 'feeds-a', prefix: '' });
    expect(await store.write(file('one'))).toBe(true);
    expect(await store.write(file('one'))).toBe(false);
    expect(await store.write(file('two'))).toBe(true);
    expect(proxy.log.filter((entry) => entry.method === 'PUT').map((entry) => entry.status)).toEqual([
      200, 200,
    ]);
    await proxy.close();
  });

  it('refuses to overwrite a file another writer changed after it was read', async () => {
    await server.createBucket('feeds-b');
    let inject = false;
    const proxy = await startConditionalWriteProxy(server.endpoint, {
      currentEtag,
      beforePut: async (key) => {
        if (!inject) return;
        inject = false;
        await server.client.send(
          new PutObjectCommand({ Bucket: 'feeds-b', Key: key, Body: 'written by another publish' }),
        );
      },
    });
    const store = new S3OutputStore(clientFor(proxy.endpoint), { bucket: 'feeds-b', prefix: '' });
    await store.write(file('first'));
    inject = true;
    await expect(store.write(file('second'))).rejects.toBeInstanceOf(WriteConflictError);
    const current = await server.client.send(new GetObjectCommand({ Bucket: 'feeds-b', Key: 'rss.xml' }));
    expect(await current.Body?.transformToString()).toBe('written by another publish');
    await proxy.close();
  });

  it('starts a publish over from fresh state when it loses a conditional write, and then succeeds', async () => {
    await server.createBucket('feeds-c');
    let conflicts = 1;
    const proxy = await startConditionalWriteProxy(server.endpoint, {
      currentEtag,
      beforePut: async (key) => {
        if (key !== 'atom.xml' || conflicts === 0) return;
        conflicts -= 1;
        await server.client.send(
          new PutObjectCommand({ Bucket: 'feeds-c', Key: key, Body: 'a concurrent publish' }),
        );
      },
    });
    const client = clientFor(proxy.endpoint);
    const result = await runPublish({
      records: new S3RecordStore(client, { bucket: 'content', prefix: '' }),
      output: new S3OutputStore(client, { bucket: 'feeds-c', prefix: '' }),
      now: new Date('2026-01-01T00:00:00Z'),
    });
    expect(result.report.published).toBe(1);
    expect(proxy.log.filter((entry) => entry.status === 412)).toHaveLength(1);
    const atom = await server.client.send(new GetObjectCommand({ Bucket: 'feeds-c', Key: 'atom.xml' }));
    expect(await atom.Body?.transformToString()).toContain('<feed');
    await proxy.close();
  });

  it('writes the state only over the version it started from, and starts over when a publish ran meanwhile', async () => {
    await server.createBucket('feeds-e');
    let interfere = false;
    const proxy = await startConditionalWriteProxy(server.endpoint, {
      currentEtag,
      beforePut: async (key) => {
        if (!interfere || key !== 'rss.xml') return;
        interfere = false;
        // Another publish finishes between this run's reading of the state and its writing of it.
        const state = await server.client.send(
          new GetObjectCommand({ Bucket: 'feeds-e', Key: '_state/state.json' }),
        );
        const text = (await state.Body?.transformToString()) ?? '';
        await server.client.send(
          new PutObjectCommand({
            Bucket: 'feeds-e',
            Key: '_state/state.json',
            Body: text.replace(
              '"ids":{',
              '"ids":{"articles/x.json":{"id":"urn:x","since":"2026-01-01T00:00:00.000Z"},',
            ),
          }),
        );
      },
    });
    const client = clientFor(proxy.endpoint);
    const publish = (now: string) =>
      runPublish({
        records: new S3RecordStore(client, { bucket: 'content', prefix: '' }),
        output: new S3OutputStore(client, { bucket: 'feeds-e', prefix: '' }),
        now: new Date(now),
      });
    await publish('2026-01-01T00:00:00Z');
    await server.client.send(
      new PutObjectCommand({
        Bucket: 'content',
        Key: 'articles/b.json',
        Body: JSON.stringify({ title: 'B', date: '2025-01-02T00:00:00Z', content_text: 'y' }),
      }),
    );
    interfere = true;
    const before = proxy.log.length;
    const result = await publish('2026-01-02T00:00:00Z');
    expect(result.report.published).toBe(2);
    const log = proxy.log.slice(before);
    expect(log.filter((entry) => entry.status === 412).map((entry) => entry.path.split('?')[0])).toEqual([
      '/feeds-e/_state/state.json',
    ]);
    expect(
      log.filter((entry) => entry.method === 'GET' && entry.path.startsWith('/feeds-e/_state/state.json')),
    ).toHaveLength(2);
    await server.client.send(new DeleteObjectCommand({ Bucket: 'content', Key: 'articles/b.json' }));
    await proxy.close();
  });

  it('is refused outright by the bucket policy when it writes unconditionally', async () => {
    await server.createBucket('feeds-d');
    const proxy = await startConditionalWriteProxy(server.endpoint, { currentEtag });
    const blind = clientFor(proxy.endpoint);
    await expect(
      blind.send(new PutObjectCommand({ Bucket: 'feeds-d', Key: 'rss.xml', Body: 'x' })),
    ).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
    await proxy.close();
  });
});
