import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPreviewServer } from '../../../lambda/cli/file-server.ts';
import { buildPreview, memorySource } from '../../../lambda/cli/preview.ts';
import { createLocalPublisher, type LocalPublisher } from '../../helpers/local-publisher.ts';

let publisher: LocalPublisher;
let server: Server | undefined;

beforeEach(async () => {
  publisher = await createLocalPublisher();
  await publisher.write('articles/live.json', {
    title: 'Live story',
    date: '2025-01-01T00:00:00Z',
    content_text: 'x',
  });
  await publisher.write('articles/draft.json', {
    title: 'Draft story',
    date: '2025-01-02T00:00:00Z',
    draft: true,
    content_text: 'x',
  });
  await publisher.write('articles/later.json', {
    title: 'Embargoed story',
    date: '2099-01-01T00:00:00Z',
    content_text: 'x',
  });
});
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
  await publisher.close();
});

describe('serve --drafts', () => {
  it('shows drafts and embargoed articles from memory, with links at the preview address, and writes nothing', async () => {
    const origin = 'http://localhost:18080/';
    const preview = await buildPreview(publisher.content, origin, new Date('2026-01-01T00:00:00Z'));
    server = createPreviewServer(memorySource(() => ({ files: preview.files, builtAt: new Date() })));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const feed = (await (await fetch(`${base}feed.json`)).json()) as {
      items: { title: string }[];
      feed_url: string;
    };
    expect(feed.items.map((item: { title: string }) => item.title)).toEqual([
      'Embargoed story',
      'Draft story',
      'Live story',
    ]);
    expect(feed.feed_url).toBe(`${origin}feed.json`);
    expect((await fetch(`${base}missing.xml`)).status).toBe(404);
    // Nothing published, nothing remembered.
    expect((await publisher.files()).size).toBe(0);
  });
});
