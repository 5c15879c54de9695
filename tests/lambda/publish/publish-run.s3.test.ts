import { CopyObjectCommand, DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPublish } from '../../../lambda/publish/publish-run.ts';
import type { RecordTrigger } from '../../../lambda/publish/record-step.ts';
import { S3OutputStore, S3RecordStore, S3StateStore } from '../../../lambda/stores/s3.ts';
import { startConditionalWriteProxy } from '../../helpers/conditional-write-proxy.ts';
import { testSiteJson } from '../../helpers/local-publisher.ts';
import { placements } from '../../helpers/published.ts';
import {
  etagOn,
  readBucket,
  type S3TestServer,
  s3rverClient,
  startS3Server,
} from '../../helpers/s3-server.ts';

let server: S3TestServer;
let proxy: Awaited<ReturnType<typeof startConditionalWriteProxy>>;
/** Keys whose next PutObject waits, so another publish commits in between. */
const delayed = new Map<string, number>();

const now = new Date('2026-01-01T00:00:00Z');
const record = (title: string, date: string) =>
  JSON.stringify({ title, date, categories: ['World'], content_text: `${title}.` });

beforeAll(async () => {
  server = await startS3Server();
  proxy = await startConditionalWriteProxy(server.endpoint, {
    currentEtag: etagOn(server.client),
    beforePut: async (key) => {
      const wait = delayed.get(key);
      if (wait === undefined) return;
      delayed.delete(key);
      await new Promise((resolve) => setTimeout(resolve, wait));
    },
  });
  for (const bucket of ['content', 'feeds-a', 'state-a', 'feeds-b', 'state-b'])
    await server.createBucket(bucket);
  await put('site.json', JSON.stringify({ ...testSiteJson, maxItems: 2, archivePeriod: 'month' }));
  for (let month = 1; month <= 6; month += 1) {
    await put(`articles/${month}.json`, record(`Story ${month}`, `2025-0${month}-15T00:00:00Z`));
  }
});

afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

function put(key: string, body: string) {
  return server.client.send(new PutObjectCommand({ Bucket: 'content', Key: key, Body: body }));
}

function publish(feeds: string, stateBucket: string, changes?: RecordTrigger[]) {
  const client = s3rverClient(proxy.endpoint);
  return runPublish({
    records: new S3RecordStore(client, { bucket: 'content', prefix: '' }),
    output: new S3OutputStore(client, { bucket: feeds, prefix: '' }),
    state: new S3StateStore(client, { bucket: stateBucket, prefix: '' }),
    now,
    changes,
  });
}

const bucketFiles = (bucket: string) => readBucket(server.client, bucket);

describe('publishes that run at once', () => {
  it('never lose an article: each is in the current feed or exactly one archive page, as from scratch', async () => {
    await publish('feeds-a', 'state-a');
    // Four changes at once: two new stories and two backdated into archived months.
    await put('articles/7.json', record('Story 7', '2025-07-15T00:00:00Z'));
    await put('articles/8.json', record('Story 8', '2025-08-15T00:00:00Z'));
    await put('articles/0.json', record('Story 0', '2025-01-20T00:00:00Z'));
    await put('articles/3.json', record('Story 3, corrected', '2025-03-15T00:00:00Z'));
    // The first publish's commit of the main set waits until the second one has committed.
    delayed.set('sets/main/manifest.json', 400);
    const before = proxy.log.length;
    await Promise.all([
      publish('feeds-a', 'state-a', [{ key: 'articles/7.json' }, { key: 'articles/0.json' }]),
      new Promise((resolve) => setTimeout(resolve, 50)).then(() =>
        publish('feeds-a', 'state-a', [{ key: 'articles/8.json' }, { key: 'articles/3.json' }]),
      ),
    ]);
    const conflicts = proxy.log.slice(before).filter((entry) => entry.status === 412);
    expect(conflicts.length).toBeGreaterThan(0);

    const concurrent = await bucketFiles('feeds-a');
    const counts = placements(concurrent);
    expect([...counts.keys()].sort()).toEqual([
      'Story 0',
      'Story 1',
      'Story 2',
      'Story 3, corrected',
      'Story 4',
      'Story 5',
      'Story 6',
      'Story 7',
      'Story 8',
    ]);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);

    await publish('feeds-b', 'state-b');
    expect(concurrent).toEqual(await bucketFiles('feeds-b'));
  });

  it('lets the publish after a deploy succeed while a queued publish runs', async () => {
    await put('articles/9.json', record('Story 9', '2025-09-15T00:00:00Z'));
    delayed.set('sets/categories/world/manifest.json', 300);
    const [queued, afterDeploy] = await Promise.all([
      publish('feeds-a', 'state-a', [{ key: 'articles/9.json' }]),
      // The post-deploy trigger invokes with no records: a reconcile.
      new Promise((resolve) => setTimeout(resolve, 30)).then(() => publish('feeds-a', 'state-a')),
    ]);
    expect(queued.mode).toBe('changes');
    expect(afterDeploy.mode).toBe('reconcile');
    const counts = placements(await bucketFiles('feeds-a'));
    expect(counts.get('Story 9')).toBe(1);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
  });

  it('makes one S3-event publish of one edit read one record and list nothing', async () => {
    await put('articles/8.json', record('Story 8, updated', '2025-08-15T00:00:00Z'));
    const before = proxy.log.length;
    await publish('feeds-a', 'state-a', [{ key: 'articles/8.json' }]);
    const requests = proxy.log.slice(before);
    expect(requests.filter((entry) => entry.path.includes('list-type=2'))).toEqual([]);
    expect(
      requests.filter((entry) => entry.method === 'GET' && entry.path.startsWith('/content/articles/')),
    ).toHaveLength(1);
  });

  it('makes a reconcile with nothing changed write nothing', async () => {
    await publish('feeds-a', 'state-a');
    const before = proxy.log.length;
    const result = await publish('feeds-a', 'state-a');
    expect(result.written).toEqual([]);
    expect(proxy.log.slice(before).filter((entry) => ['PUT', 'DELETE'].includes(entry.method))).toEqual([]);
  });

  it('keeps the id of a record moved with CopyObject and DeleteObject, its events in separate publishes', async () => {
    await put('articles/move-me.json', record('Moving', '2025-09-15T00:00:00Z'));
    await publish('feeds-a', 'state-a', [{ key: 'articles/move-me.json' }]);
    const idOf = async () => {
      const feed = JSON.parse((await bucketFiles('feeds-a')).get('feed.json') ?? '{}') as {
        items: { id: string; title: string }[];
      };
      return feed.items.filter((item) => item.title === 'Moving').map((item) => item.id);
    };
    const before = await idOf();
    expect(before).toHaveLength(1);
    await server.client.send(
      new CopyObjectCommand({
        Bucket: 'content',
        CopySource: 'content/articles/move-me.json',
        Key: 'articles/2025/moved.json',
      }),
    );
    await server.client.send(new DeleteObjectCommand({ Bucket: 'content', Key: 'articles/move-me.json' }));
    await publish('feeds-a', 'state-a', [{ key: 'articles/move-me.json' }]);
    await publish('feeds-a', 'state-a', [{ key: 'articles/2025/moved.json' }]);
    expect(await idOf()).toEqual(before);
  });
});
