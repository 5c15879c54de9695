import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { WriteConflictError } from '../../../lambda/stores/ports.ts';
import { S3OutputStore, S3RecordStore, S3StateStore } from '../../../lambda/stores/s3.ts';
import { startConditionalWriteProxy } from '../../helpers/conditional-write-proxy.ts';
import { type S3TestServer, s3rverClient, startS3Server } from '../../helpers/s3-server.ts';

let server: S3TestServer;
const clientFor = (endpoint: string) => s3rverClient(endpoint);
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
    onTestFinished(() => proxy.close());
    const store = new S3OutputStore(clientFor(proxy.endpoint), { bucket: 'feeds-a', prefix: '' });
    expect((await store.write(file('one'), 1)).written).toBe(true);
    expect((await store.write(file('one'), 1)).written).toBe(false);
    expect((await store.write(file('two'), 2)).written).toBe(true);
    expect(proxy.log.filter((entry) => entry.method === 'PUT').map((entry) => entry.status)).toEqual([
      200, 200,
    ]);
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
    onTestFinished(() => proxy.close());
    const store = new S3OutputStore(clientFor(proxy.endpoint), { bucket: 'feeds-b', prefix: '' });
    await store.write(file('first'), 1);
    inject = true;
    await expect(store.write(file('second'), 2)).rejects.toBeInstanceOf(WriteConflictError);
    const current = await server.client.send(new GetObjectCommand({ Bucket: 'feeds-b', Key: 'rss.xml' }));
    expect(await current.Body?.transformToString()).toBe('written by another publish');
  });

  it('never replaces or deletes a file rendered from a later revision', async () => {
    await server.createBucket('feeds-e');
    const proxy = await startConditionalWriteProxy(server.endpoint, { currentEtag });
    onTestFinished(() => proxy.close());
    const store = new S3OutputStore(clientFor(proxy.endpoint), { bucket: 'feeds-e', prefix: '' });
    expect((await store.write(file('from revision 7'), 7)).written).toBe(true);
    expect((await store.write(file('from revision 6'), 6)).written).toBe(false);
    expect(await store.delete('rss.xml', 6)).toBe(false);
    expect((await store.read('rss.xml'))?.text).toBe('from revision 7');
    expect(await store.delete('rss.xml', 7)).toBe(true);
    expect(await store.read('rss.xml')).toBeUndefined();
  });

  it('writes the same bytes again when a later revision renders them, so the file carries it', async () => {
    await server.createBucket('feeds-f');
    const proxy = await startConditionalWriteProxy(server.endpoint, { currentEtag });
    onTestFinished(() => proxy.close());
    const store = new S3OutputStore(clientFor(proxy.endpoint), { bucket: 'feeds-f', prefix: '' });
    await store.write(file('same'), 3);
    expect((await store.write(file('same'), 4)).written).toBe(true);
    expect((await store.write(file('older'), 3)).written).toBe(false);
    const head = await server.client.send(new HeadObjectCommand({ Bucket: 'feeds-f', Key: 'rss.xml' }));
    expect(head.Metadata?.revision).toBe('4');
  });

  it('deletes only the version it looked at', async () => {
    await server.createBucket('feeds-g');
    let inject = false;
    const proxy = await startConditionalWriteProxy(server.endpoint, {
      currentEtag,
      fault: async ({ method, key }) => {
        if (!inject || method !== 'DELETE') return undefined;
        inject = false;
        await server.client.send(
          new PutObjectCommand({ Bucket: 'feeds-g', Key: key, Body: 'written by another publish' }),
        );
        return undefined;
      },
    });
    onTestFinished(() => proxy.close());
    const store = new S3OutputStore(clientFor(proxy.endpoint), { bucket: 'feeds-g', prefix: '' });
    await store.write(file('first'), 1);
    inject = true;
    await expect(store.delete('rss.xml', 1)).rejects.toBeInstanceOf(WriteConflictError);
    expect((await store.read('rss.xml'))?.text).toBe('written by another publish');
  });

  it('is refused outright by the bucket policy when it writes unconditionally', async () => {
    await server.createBucket('feeds-d');
    const proxy = await startConditionalWriteProxy(server.endpoint, { currentEtag });
    onTestFinished(() => proxy.close());
    const blind = clientFor(proxy.endpoint);
    await expect(
      blind.send(new PutObjectCommand({ Bucket: 'feeds-d', Key: 'rss.xml', Body: 'x' })),
    ).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
  });
});

describe('S3StateStore', () => {
  it('creates only if absent and replaces only the version it read', async () => {
    await server.createBucket('state-a');
    const proxy = await startConditionalWriteProxy(server.endpoint, { currentEtag });
    onTestFinished(() => proxy.close());
    const store = new S3StateStore(clientFor(proxy.endpoint), { bucket: 'state-a', prefix: 'p/' });
    const first = await store.write('records/a', '{"n":1}', { version: undefined });
    await expect(store.write('records/a', '{"n":2}', { version: undefined })).rejects.toBeInstanceOf(
      WriteConflictError,
    );
    const second = await store.write('records/a', '{"n":2}', { version: first });
    await expect(store.write('records/a', '{"n":3}', { version: first })).rejects.toBeInstanceOf(
      WriteConflictError,
    );
    expect(await store.read('records/a')).toEqual({ text: '{"n":2}', version: second });
  });

  it('lists a prefix a page at a time, keyed relative to its own prefix', async () => {
    await server.createBucket('state-b');
    const store = new S3StateStore(server.client, { bucket: 'state-b', prefix: 'p/' });
    for (const key of ['records/b', 'records/a', 'ids/x'])
      await store.write(key, '{}', { version: undefined });
    const keys: string[] = [];
    for await (const page of store.list('records/')) keys.push(...page.map((entry) => entry.key));
    expect(keys).toEqual(['records/a', 'records/b']);
  });
});

describe('S3RecordStore', () => {
  it('lists records with their versions, and reads one with its version, or nothing once deleted', async () => {
    const store = new S3RecordStore(server.client, { bucket: 'content', prefix: '' });
    const listed = [];
    for await (const page of store.listRecords()) listed.push(...page);
    expect(listed.map((entry) => entry.key)).toEqual(['articles/a.json']);
    const read = await store.readRecord('articles/a.json');
    expect(read?.etag).toBe(listed[0]?.etag);
    expect(await store.readRecord('articles/missing.json')).toBeUndefined();
  });

  it('reads the site’s templates under templates/, by file name, and nothing that is not one', async () => {
    await server.createBucket('themed');
    for (const [key, body] of [
      ['news/templates/article.liquid', '<h1>{{ article.title }}</h1>'],
      ['news/templates/footer.liquid', '<footer></footer>'],
      ['news/templates/notes.txt', 'not a template'],
      ['news/templates/old/article.liquid', 'in a subfolder'],
      ['news/articles/a.json', '{}'],
    ]) {
      await server.client.send(new PutObjectCommand({ Bucket: 'themed', Key: key, Body: body }));
    }
    const store = new S3RecordStore(server.client, { bucket: 'themed', prefix: 'news/' });
    expect(await store.readTemplates()).toEqual({
      'article.liquid': '<h1>{{ article.title }}</h1>',
      'footer.liquid': '<footer></footer>',
    });
    const bare = new S3RecordStore(server.client, { bucket: 'content', prefix: '' });
    expect(await bare.readTemplates()).toEqual({});
  });
});
