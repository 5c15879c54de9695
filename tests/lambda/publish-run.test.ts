import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPublish } from '../../lambda/publish-run.ts';
import { FsOutputStore, FsRecordStore } from '../../lambda/stores/fs.ts';
import { contentFeedFiles, contentRoot } from '../helpers/sample.ts';

let out: string;
beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), 'feeds-'));
});
afterEach(async () => {
  await rm(out, { recursive: true, force: true });
});

const publishContent = (now: Date) =>
  runPublish({ records: new FsRecordStore(contentRoot), output: new FsOutputStore(out), now });

async function snapshot(folder: string) {
  const names = (await readdir(folder, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(folder.length + 1))
    .sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      bytes: await readFile(join(folder, name)),
      modified: (await stat(join(folder, name))).mtimeMs,
    })),
  );
}

describe('runPublish', () => {
  it('publishes content/ into the three feeds and the subscribe page', async () => {
    const result = await publishContent(new Date('2026-01-01T00:00:00Z'));
    expect([...result.written].sort()).toEqual(contentFeedFiles);
    expect(result.report.published).toBe(3);
    expect(result.report.errors).toEqual([]);
  });

  it('reads the JSON and Markdown sample records whole', async () => {
    await publishContent(new Date('2026-01-01T00:00:00Z'));
    const feed = JSON.parse(await readFile(join(out, 'feed.json'), 'utf8')) as {
      items: Record<string, unknown>[];
    };
    const byTitle = Object.fromEntries(feed.items.map((item) => [item.title, item]));
    expect(byTitle['Night trains return to the northern line']).toMatchObject({
      url: 'https://www.example.com/transport/night-trains-return',
      authors: [{ name: 'Lee Min-jun' }],
      tags: ['Transport'],
      date_published: '2024-06-03T04:15:00.000Z',
      content_html: expect.stringContaining('<strong>northern line</strong>'),
    });
    expect(byTitle['Grain harvest forecast raised after a mild spring']).toMatchObject({
      url: 'https://www.example.com/economy/grain-harvest-forecast',
      authors: [{ name: 'Ana Souza' }],
      date_modified: '2024-06-01T06:00:00.000Z',
    });
  });

  it('produces byte-identical files and rewrites none when nothing changed', async () => {
    await publishContent(new Date('2026-01-01T00:00:00Z'));
    const first = await snapshot(out);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await publishContent(new Date('2026-02-01T00:00:00Z'));
    expect(second.written).toEqual([]);
    expect(await snapshot(out)).toEqual(first);
  });
});
