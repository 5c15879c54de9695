import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPreviewServer } from '../../../lambda/cli/file-server.ts';
import { headersForPath } from '../../../lambda/core/render/feed-files.ts';
import { runPublish } from '../../../lambda/publish/publish-run.ts';
import { FsOutputStore, FsRecordStore, FsStateStore } from '../../../lambda/stores/fs.ts';
import { contentRoot } from '../../helpers/sample.ts';
import { makeRecord, makeSite, planRecords } from '../../helpers/site.ts';

let out: string;
let server: Server;
let base: string;
const logged: string[] = [];

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'serve-'));
  await runPublish({
    records: new FsRecordStore(contentRoot),
    output: new FsOutputStore(out),
    state: new FsStateStore(`${out}-state`),
    now: new Date('2026-01-01T00:00:00Z'),
  });
  server = createPreviewServer(out, { log: (line) => logged.push(line) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(out, { recursive: true, force: true });
  await rm(`${out}-state`, { recursive: true, force: true });
});

describe('the local preview server', () => {
  it.each([
    ['rss.xml', 'application/rss+xml; charset=utf-8'],
    ['atom.xml', 'application/atom+xml; charset=utf-8'],
    ['feed.json', 'application/feed+json; charset=utf-8'],
    ['categories/world/atom.xml', 'application/atom+xml; charset=utf-8'],
    ['', 'text/html; charset=utf-8'],
  ])('serves /%s with its media type, Cache-Control, ETag and security headers', async (path, type) => {
    const response = await fetch(`${base}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300, stale-while-revalidate=60');
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers 304 to a matching If-None-Match and to an If-Modified-Since at or after the change', async () => {
    const first = await fetch(`${base}rss.xml`);
    const etag = first.headers.get('etag') ?? '';
    const lastModified = first.headers.get('last-modified') ?? '';
    expect((await fetch(`${base}rss.xml`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${base}rss.xml`, { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
    expect((await fetch(`${base}rss.xml`, { headers: { 'if-modified-since': lastModified } })).status).toBe(
      304,
    );
    expect(
      (await fetch(`${base}rss.xml`, { headers: { 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' } }))
        .status,
    ).toBe(200);
  });

  it('lets web readers fetch JSON Feed across origins', async () => {
    expect((await fetch(`${base}feed.json`)).headers.get('access-control-allow-origin')).toBe('*');
  });

  it.each(['_state/state.json', '..%2f..%2fetc%2fpasswd', 'missing.xml', 'articles/a.json'])(
    'never serves /%s',
    async (path) => {
      expect((await fetch(`${base}${path}`)).status).toBe(404);
    },
  );
});

describe('headersForPath', () => {
  it('gives every published file the headers its S3 object gets', () => {
    const site = makeSite({ maxItems: 2 });
    const records = Array.from({ length: 5 }, (_, index) =>
      makeRecord(`articles/${index}.json`, {
        title: `T${index}`,
        date: `2025-0${index + 1}-01`,
        content_text: 'x',
        categories: ['Мир'],
      }),
    );
    const { files } = planRecords(records, { site });
    expect(files.some((file) => file.path.startsWith('archive/'))).toBe(true);
    for (const file of files) {
      expect(headersForPath(file.path)).toEqual({
        contentType: file.contentType,
        cacheControl: file.cacheControl,
      });
    }
  });

  it('answers 304 to a weak If-None-Match of the same tag', async () => {
    const first = await fetch(`${base}rss.xml`);
    const etag = first.headers.get('etag') ?? '';
    const again = await fetch(`${base}rss.xml`, { headers: { 'if-none-match': `W/${etag}` } });
    expect(again.status).toBe(304);
    const other = await fetch(`${base}rss.xml`, { headers: { 'if-none-match': 'W/"0000"' } });
    expect(other.status).toBe(200);
  });

  it('serves a category folder its page, and logs a line per request', async () => {
    logged.length = 0;
    const response = await fetch(`${base}categories/world/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<h1>Example Wire: World</h1>');
    await fetch(`${base}missing.xml`);
    expect(logged.map((line) => line.replace(/ \d+ ms$/, ''))).toEqual([
      'GET /categories/world/ 200',
      'GET /missing.xml 404',
    ]);
  });
});
