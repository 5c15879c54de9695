import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPreviewServer } from '../../../lambda/cli/file-server.ts';
import { requestLogWriter } from '../../../lambda/cli/serve.ts';
import { runPublish } from '../../../lambda/publish/publish-run.ts';
import { FsOutputStore, FsRecordStore, FsStateStore } from '../../../lambda/stores/fs.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { contentRoot } from '../../helpers/sample.ts';

let root: string;
let server: Server;
let base: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'serve-log-'));
  await runPublish({
    records: new FsRecordStore(contentRoot),
    output: new FsOutputStore(join(root, 'public')),
    state: new FsStateStore(join(root, '.publisher', 'public')),
    now: new Date('2026-01-01T00:00:00Z'),
  });
  server = createPreviewServer(join(root, 'public'), {
    accessLog: requestLogWriter(join(root, '.publisher', 'serve-logs')),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(root, { recursive: true, force: true });
});

describe('the request log of serve', () => {
  const get = (path: string, userAgent: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { headers: { 'user-agent': userAgent, ...headers } });

  it('is written in CloudFront’s format, so "stats" counts a preview as it counts the CDN', async () => {
    const first = await get('rss.xml', 'NetNewsWire (RSS Reader; https://netnewswire.com/)');
    await get('rss.xml', 'NetNewsWire (RSS Reader; https://netnewswire.com/)', {
      'if-none-match': first.headers.get('etag') ?? '',
    });
    await get('rss.xml', 'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 5 subscribers; )');
    await get('atom.xml', 'Reeder/5.0 CFNetwork/1410.0.3 Darwin/22.6.0');
    await get('nope/rss.xml', 'Reeder/5.0 CFNetwork/1410.0.3 Darwin/22.6.0');
    await get('', 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0');
    // Each line is appended once its answer has gone: give the last one a moment to land.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const today = new Date().toISOString().slice(0, 10);
    const log = await readFile(join(root, '.publisher', 'serve-logs', `serve-${today}.log`), 'utf8');
    expect(log.split('\n').slice(0, 2)).toEqual([
      '#Version: 1.0',
      expect.stringMatching(/^#Fields: date time x-edge-location sc-bytes c-ip cs-method /),
    ]);
    expect(log.trim().split('\n')).toHaveLength(2 + 6);
    const { code, stdout, stderr } = await runCli(['stats', '--out', join(root, 'public'), '--json']);
    expect(code, stderr).toBe(0);
    const [day] = (JSON.parse(stdout) as { days: { date: string; feeds: Record<string, unknown> }[] }).days;
    expect(day?.date).toBe(today);
    expect(day?.feeds).toEqual({
      '/atom.xml': expect.objectContaining({ requests: 1, readers: 1, apps: { Reeder: 1 } }),
      '/rss.xml': expect.objectContaining({
        requests: 3,
        notModified: 1,
        readers: 1,
        subscribers: { Feedly: 5 },
        apps: { NetNewsWire: 1 },
      }),
    });
  });
});
