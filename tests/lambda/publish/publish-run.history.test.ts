import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runPublish } from '../../../lambda/publish/publish-run.ts';
import type { RecordTrigger } from '../../../lambda/publish/record-step.ts';
import { S3OutputStore, S3RecordStore, S3StateStore } from '../../../lambda/stores/s3.ts';
import {
  type Fault,
  type ProxiedRequest,
  startConditionalWriteProxy,
} from '../../helpers/conditional-write-proxy.ts';
import { testSiteJson } from '../../helpers/local-publisher.ts';
import { placements } from '../../helpers/published.ts';
import {
  etagOn,
  readBucket,
  type S3TestServer,
  s3rverClient,
  startS3Server,
} from '../../helpers/s3-server.ts';

// The four ways the history was lost before the state redesign, each caused for real over an
// S3-compatible server behind a proxy that enforces S3's conditional writes and injects faults.

let server: S3TestServer;
let proxy: Awaited<ReturnType<typeof startConditionalWriteProxy>>;
let injector: ((request: ProxiedRequest) => Fault | undefined | Promise<Fault | undefined>) | undefined;
let buckets = 0;

const now = new Date('2026-01-01T00:00:00Z');
const record = (title: string, date: string) =>
  JSON.stringify({ title, date, categories: ['World'], content_text: `${title}.` });

beforeAll(async () => {
  server = await startS3Server();
  proxy = await startConditionalWriteProxy(server.endpoint, {
    currentEtag: etagOn(server.client),
    fault: (request) => injector?.(request),
  });
});

beforeEach(() => {
  injector = undefined;
});

afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

/** Fresh content, feeds and state buckets, the content seeded with six monthly stories. */
async function createSite() {
  buckets += 1;
  const names = { content: `content-${buckets}`, feeds: `feeds-${buckets}`, state: `state-${buckets}` };
  for (const bucket of Object.values(names)) await server.createBucket(bucket);
  const put = (key: string, body: string) =>
    server.client.send(new PutObjectCommand({ Bucket: names.content, Key: key, Body: body }));
  await put('site.json', JSON.stringify({ ...testSiteJson, maxItems: 2, archivePeriod: 'month' }));
  for (let month = 1; month <= 6; month += 1) {
    await put(`articles/${month}.json`, record(`Story ${month}`, `2025-0${month}-15T00:00:00Z`));
  }
  /** A publisher: its own client (named in the user agent, so faults can pick it) over these buckets. */
  const publish = (
    options: { as?: string; changes?: RecordTrigger[]; feeds?: string; state?: string } = {},
  ) => {
    const client = s3rverClient(proxy.endpoint, { customUserAgent: options.as ?? 'publisher' });
    return runPublish({
      records: new S3RecordStore(client, { bucket: names.content, prefix: '' }, { clockMarginMs: 0 }),
      output: new S3OutputStore(client, { bucket: options.feeds ?? names.feeds, prefix: '' }),
      state: new S3StateStore(client, { bucket: options.state ?? names.state, prefix: '' }),
      now,
      changes: options.changes,
    }).finally(() => client.destroy());
  };
  /** What a from-scratch publish of the content as it is now writes. */
  const fromScratch = async () => {
    buckets += 1;
    const feeds = `scratch-feeds-${buckets}`;
    const state = `scratch-state-${buckets}`;
    await server.createBucket(feeds);
    await server.createBucket(state);
    await publish({ feeds, state });
    return readBucket(server.client, feeds);
  };
  return { names, put, publish, fromScratch, files: () => readBucket(server.client, names.feeds) };
}

const isFrom = (request: ProxiedRequest, publisher: string) =>
  String(request.headers['user-agent'] ?? '').includes(publisher);

/**
 * The publish of one record's event fails because the server answers 500 to one request; then
 * the same message is delivered again, with no fault.
 */
async function failThenRedeliver(
  site: Awaited<ReturnType<typeof createSite>>,
  key: string,
  failing: { method: string; key: string },
): Promise<void> {
  injector = (request) =>
    request.method === failing.method && request.key === failing.key
      ? { kind: 'status', status: 500 }
      : undefined;
  const event = [{ key }];
  await expect(site.publish({ changes: event })).rejects.toThrow();
  injector = undefined;
  await site.publish({ changes: event });
}

describe('the published history under races and faults', () => {
  it('keeps the files of a publish that started from a newer state, even when the older one fails right after writing', async () => {
    const site = await createSite();
    await site.publish();
    let releaseOlder = () => {};
    const olderHeld = new Promise<void>((resolve) => {
      releaseOlder = resolve;
    });
    let olderFails = false;
    let olderWriting = false;
    injector = async (request) => {
      if (!isFrom(request, 'older')) return undefined;
      // The older publish has committed its state; its file writes wait until the newer one is done.
      if (request.bucket === site.names.feeds) {
        olderWriting = true;
        await olderHeld;
      }
      // Then it dies before it can look at the state again (a timeout, a crash).
      if (olderFails && request.bucket === site.names.state) return { kind: 'status', status: 500 };
      return undefined;
    };
    await site.put('articles/6.json', record('Story 6, second version', '2025-06-15T00:00:00Z'));
    const older = site.publish({ as: 'older', changes: [{ key: 'articles/6.json' }] });
    // Let the older publish reach its file writes.
    for (let wait = 0; wait < 250 && !olderWriting; wait += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await site.put('articles/6.json', record('Story 6, third version', '2025-06-15T00:00:00Z'));
    expect(olderWriting).toBe(true);
    await site.publish({ as: 'newer', changes: [{ key: 'articles/6.json' }] });
    olderFails = true;
    releaseOlder();
    await expect(older).rejects.toThrow();

    const files = await site.files();
    expect([...files.values()].filter((body) => body.includes('second version'))).toEqual([]);
    expect(files).toEqual(await site.fromScratch());
  });

  it('takes a record deleted between the listing and its reading as deleted, and publishes the rest', async () => {
    const site = await createSite();
    await site.publish();
    await site.put('articles/7.json', record('Story 7', '2025-07-15T00:00:00Z'));
    await site.put('articles/5.json', record('Story 5, edited', '2025-05-15T00:00:00Z'));
    injector = async (request) => {
      if (
        request.method === 'GET' &&
        request.bucket === site.names.content &&
        request.key === 'articles/5.json'
      ) {
        await server.client.send(
          new DeleteObjectCommand({ Bucket: site.names.content, Key: 'articles/5.json' }),
        );
      }
      return undefined;
    };
    const result = await site.publish();
    expect(result.report.errors).toEqual([]);
    expect(result.report.published).toBe(6);
    const files = await site.files();
    expect([...files.values()].filter((body) => body.includes('Story 5'))).toEqual([]);
    expect(files).toEqual(await site.fromScratch());
  });

  it('takes out a record read just before it was deleted, when its deletion was handled first', async () => {
    const site = await createSite();
    await site.publish();
    const created = await site.put('articles/brief.json', record('A brief life', '2025-07-01T00:00:00Z'));
    let paused = () => {};
    const readerPaused = new Promise<void>((resolve) => {
      paused = resolve;
    });
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let bodyRead = false;
    injector = async (request) => {
      if (!isFrom(request, 'reader')) return undefined;
      if (bodyRead) {
        paused();
        await released;
      } else if (request.bucket === site.names.content && request.key === 'articles/brief.json') {
        bodyRead = true;
      }
      return undefined;
    };
    // The upload's event is handled by one publish, which reads the record and stalls; the
    // record is deleted, and its deletion's event is handled by another publish meanwhile.
    const reader = site.publish({
      as: 'reader',
      changes: [{ key: 'articles/brief.json', etag: created.ETag, sequencer: '0A' }],
    });
    await readerPaused;
    await server.client.send(
      new DeleteObjectCommand({ Bucket: site.names.content, Key: 'articles/brief.json' }),
    );
    await site.publish({ as: 'deleter', changes: [{ key: 'articles/brief.json', sequencer: '0B' }] });
    release();
    await reader;

    const files = await site.files();
    expect([...files.values()].filter((body) => body.includes('A brief life'))).toEqual([]);
    expect(files).toEqual(await site.fromScratch());
  });

  it('leaves nothing a newer version cannot clean up when a publish dies after changing one set', async () => {
    const site = await createSite();
    const story = (category: string, title: string) =>
      JSON.stringify({
        title,
        date: '2025-03-10T00:00:00Z',
        categories: [category],
        content_text: `${title}.`,
      });
    await site.put('articles/moving.json', story('Science', 'Moving story, first version'));
    await site.publish();
    await site.put('articles/moving.json', story('Business', 'Moving story, second version'));
    let setsCommitted = 0;
    injector = (request) => {
      if (!isFrom(request, 'dying') || request.bucket !== site.names.state) return undefined;
      // After its first set commits, every request the publish makes fails: it dies there.
      if (setsCommitted > 0) return { kind: 'status', status: 500 };
      if (request.method === 'PUT' && request.key.endsWith('manifest.json')) setsCommitted += 1;
      return undefined;
    };
    await expect(site.publish({ as: 'dying', changes: [{ key: 'articles/moving.json' }] })).rejects.toThrow();
    expect(setsCommitted).toBe(1);
    // A third version arrives before the dead publish's message is handed out again.
    await site.put('articles/moving.json', story('World', 'Moving story, third version'));
    await site.publish({ as: 'newer', changes: [{ key: 'articles/moving.json' }] });

    const files = await site.files();
    expect([...files.keys()].filter((path) => /^categories\/(science|business)\//.test(path))).toEqual([]);
    expect([...files.values()].filter((body) => /first version|second version/.test(body))).toEqual([]);
    expect(files).toEqual(await site.fromScratch());
  });

  it('finishes the pages a failed publish left unwritten when its message comes again, neighbours included', async () => {
    const site = await createSite();
    await site.publish();
    await site.put('articles/older.json', record('Story from November', '2024-11-15T00:00:00Z'));
    // The page whose older neighbour appears cannot be written this time.
    await failThenRedeliver(site, 'articles/older.json', { method: 'PUT', key: 'archive/2025-01/atom.xml' });

    const files = await site.files();
    expect(files.get('archive/2025-01/atom.xml')).toContain('archive/2024-11/atom.xml');
    expect(files).toEqual(await site.fromScratch());
  });

  it('removes the page a failed publish could not remove when its message comes again', async () => {
    const site = await createSite();
    await site.publish();
    await server.client.send(new DeleteObjectCommand({ Bucket: site.names.content, Key: 'articles/1.json' }));
    await failThenRedeliver(site, 'articles/1.json', { method: 'DELETE', key: 'archive/2025-01/rss.xml' });

    const files = await site.files();
    expect([...files.keys()].filter((path) => path.startsWith('archive/2025-01/'))).toEqual([]);
    expect(files).toEqual(await site.fromScratch());
  });

  it('puts an article dated before every archived page into its own period, in exactly one file', async () => {
    const site = await createSite();
    await site.publish();
    await site.put('articles/old.json', record('Story from 2023', '2023-03-01T00:00:00Z'));
    await site.publish({ changes: [{ key: 'articles/old.json' }] });
    const files = await site.files();
    expect(
      JSON.parse(files.get('archive/2023-03/feed.json') ?? '{}').items.map(
        (item: { title: string }) => item.title,
      ),
    ).toEqual(['Story from 2023']);
    expect(placements(files)).toEqual(
      new Map(
        ['Story 6', 'Story 5', 'Story 4', 'Story 3', 'Story 2', 'Story 1', 'Story from 2023'].map((title) => [
          title,
          1,
        ]),
      ),
    );
    expect(files).toEqual(await site.fromScratch());
  });

  it('never returns with writes in flight when one of them fails', async () => {
    const site = await createSite();
    await site.publish();
    await site.put('articles/7.json', record('Story 7', '2025-07-15T00:00:00Z'));
    injector = (request) => {
      if (request.method !== 'PUT' || request.bucket !== site.names.feeds) return undefined;
      // One file can never be written; the others are slow.
      return request.key === 'atom.xml' ? { kind: 'status', status: 500 } : { kind: 'delay', ms: 1500 };
    };
    await expect(site.publish({ changes: [{ key: 'articles/7.json' }] })).rejects.toThrow();
    expect(proxy.inFlight()).toBe(0);
  });
});
