import { appendFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalPublisher, type LocalPublisher, testSiteJson } from '../../helpers/local-publisher.ts';

let publisher: LocalPublisher;

const article = (title: string, date: string, extra: object = {}) => ({
  title,
  date,
  summary: `${title} in brief`,
  content_html: `<p>${title}</p>`,
  categories: ['World'],
  ...extra,
});

beforeEach(async () => {
  publisher = await createLocalPublisher({ ...testSiteJson, maxItems: 2 });
  await publisher.write('articles/a.json', article('Alpha', '2024-01-05T10:00:00Z'));
  await publisher.write('articles/b.json', article('Bravo', '2024-02-05T10:00:00Z'));
  await publisher.write('articles/c.json', article('Charlie', '2024-03-05T10:00:00Z'));
  await publisher.write(
    'articles/d.json',
    article('Delta', '2024-04-05T10:00:00Z', { url: 'https://x.test/d' }),
  );
  await publisher.publish();
});

afterEach(async () => {
  await publisher.close();
});

describe('a publish checks the output it describes', () => {
  it('gives back a deleted output folder byte for byte, and says it restored it', async () => {
    const before = await publisher.files();
    await rm(publisher.out, { recursive: true });
    const result = await publisher.publish();
    expect(await publisher.files()).toEqual(before);
    expect(result.output?.missing).toHaveLength(before.size);
    expect([...(result.output?.restored ?? [])].sort()).toEqual([...before.keys()].sort());
  });

  it.each([
    ['the current feed', 'rss.xml'],
    ['the subscribe page', 'index.html'],
    ['an archive page', 'archive/2024-01/atom.xml'],
    ['a category feed', 'categories/world/feed.json'],
    ['a category archive page', 'categories/world/archive/2024-02/rss.xml'],
  ])('brings back %s when it is deleted', async (_, path) => {
    const before = await publisher.files();
    expect(before.has(path)).toBe(true);
    await rm(join(publisher.out, path));
    const result = await publisher.publish();
    expect(await publisher.read(path)).toBe(before.get(path));
    expect(result.output).toMatchObject({ missing: [path], altered: [], restored: [path] });
  });

  it('brings back a deleted article page', async () => {
    const pages = await readdir(join(publisher.out, 'articles'));
    expect(pages).toHaveLength(3);
    const path = `articles/${pages[0]}/index.html`;
    const before = await publisher.read(path);
    await rm(join(publisher.out, path));
    const result = await publisher.publish();
    expect(await publisher.read(path)).toBe(before);
    expect(result.output?.restored).toEqual([path]);
  });

  it('rewrites a file someone changed, and reports files it did not write without touching them', async () => {
    const before = await publisher.files();
    await appendFile(join(publisher.out, 'feed.json'), ' ');
    await writeFile(join(publisher.out, 'robots.txt'), 'User-agent: *\n');
    const result = await publisher.publish();
    expect(await publisher.read('feed.json')).toBe(before.get('feed.json'));
    expect(result.output).toMatchObject({ missing: [], altered: ['feed.json'], unknown: ['robots.txt'] });
    expect(await publisher.read('robots.txt')).toBe('User-agent: *\n');
  });

  it('finds nothing to do when the output is as it wrote it', async () => {
    const result = await publisher.publish();
    expect(result.output).toEqual({ missing: [], altered: [], restored: [], unknown: [], removed: [] });
    expect(result.written).toEqual([]);
  });

  it('rebuilds once from a state from before the ledger, which then finds what goes missing', async () => {
    await rm(join(publisher.state, 'output'), { recursive: true });
    const siteState = JSON.parse((await publisher.readState('publisher.json')) ?? '{}');
    delete siteState.ledger;
    await publisher.writeState('publisher.json', `${JSON.stringify(siteState)}\n`);
    const before = await publisher.files();
    await rm(join(publisher.out, 'rss.xml'));
    const first = await publisher.publish();
    expect(first.mode).toBe('rebuild');
    expect(await publisher.files()).toEqual(before);
    await rm(join(publisher.out, 'atom.xml'));
    const second = await publisher.publish();
    expect(second.output).toMatchObject({ missing: ['atom.xml'], restored: ['atom.xml'] });
  });

  it('takes into the ledger a file the state names that a run died before noting', async () => {
    await rm(join(publisher.state, 'output', 'main.json'));
    const result = await publisher.publish();
    expect(result.output?.unknown).toEqual([]);
    expect(result.output?.restored).toEqual([]);
    await rm(join(publisher.out, 'atom.xml'));
    expect((await publisher.publish()).output?.restored).toEqual(['atom.xml']);
  });

  it('reports, and leaves, a file like its own that the state does not name, since a folder cannot tell who wrote it', async () => {
    await mkdir(join(publisher.out, 'archive', '1999-01'), { recursive: true });
    await writeFile(join(publisher.out, 'archive', '1999-01', 'rss.xml'), '<rss/>');
    const result = await publisher.publish();
    expect(result.output).toMatchObject({ unknown: ['archive/1999-01/rss.xml'], removed: [] });
    expect(await publisher.read('archive/1999-01/rss.xml')).toBe('<rss/>');
  });

  it('forgets a file the state no longer names instead of writing it back', async () => {
    await publisher.remove('articles/a.json');
    await rm(join(publisher.out, 'archive'), { recursive: true });
    const result = await publisher.publish();
    expect(await publisher.read('archive/2024-01/rss.xml')).toBeUndefined();
    expect(await publisher.read('archive/2024-02/rss.xml')).toBeDefined();
    expect(result.output?.unknown).toEqual([]);
    const again = await publisher.publish();
    expect(again.output).toEqual({ missing: [], altered: [], restored: [], unknown: [], removed: [] });
  });
});
