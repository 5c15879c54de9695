import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentTag } from '../../../lambda/stores/content-tag.ts';
import { checkFeedFile } from '../../helpers/feed-checks.ts';
import {
  createLocalPublisher,
  feedTitles,
  type LocalPublisher,
  readTree,
  testSiteJson,
} from '../../helpers/local-publisher.ts';
import { contentFeedFiles, contentRoot } from '../../helpers/sample.ts';
import { fixedNow } from '../../helpers/site.ts';

let publisher: LocalPublisher;
beforeEach(async () => {
  publisher = await createLocalPublisher();
});
afterEach(async () => {
  await publisher.close();
});

const article = (fields: object = {}) => ({
  title: 'Original title',
  date: '2025-06-01T10:00:00Z',
  content_text: 'Body.',
  ...fields,
});
const later = (minutes: number) => new Date(fixedNow.getTime() + minutes * 60_000);
const embargoed = article({ title: 'Embargoed', date: later(60).toISOString() });
const titles = async (path = 'feed.json') => feedTitles(await publisher.read(path));
const ids = async () =>
  (
    JSON.parse((await publisher.read('feed.json')) ?? '{"items":[]}') as { items: { id: string }[] }
  ).items.map((item) => item.id);

describe('runPublish: the sample content', () => {
  it('publishes content/ into the three feeds, the subscribe pages and an article page, with no problem found', async () => {
    await publisher.copyContentFrom(contentRoot);
    const result = await publisher.publish();
    expect([...result.written].sort()).toEqual(contentFeedFiles);
    expect(result.report.published).toBe(3);
    expect(result.report.errors).toEqual([]);
    expect(result.report.warnings).toEqual([]);
    const files = await publisher.files();
    expect([...files].flatMap(([path, body]) => checkFeedFile(path, body))).toEqual([]);
  });

  it('reads the JSON and Markdown sample records whole', async () => {
    await publisher.copyContentFrom(contentRoot);
    await publisher.publish();
    const feed = JSON.parse((await publisher.read('feed.json')) ?? '') as {
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

  it('produces byte-identical files and rewrites nothing when nothing changed', async () => {
    await publisher.copyContentFrom(contentRoot);
    // The reconcile compares file change times with its own clock: here the real one.
    await publisher.publish({ now: new Date() });
    const first = await publisher.files();
    const second = await publisher.publish({ now: new Date(Date.now() + 86_400_000) });
    expect(second.written).toEqual([]);
    expect(second.looked).toBe(0);
    expect(await publisher.files()).toEqual(first);
    // Once a reconcile has seen the changes, the next one writes no state at all.
    const settled = await readTree(publisher.state);
    const third = await publisher.publish({ now: new Date(Date.now() + 2 * 86_400_000) });
    expect(third.written).toEqual([]);
    expect(await readTree(publisher.state)).toEqual(settled);
    expect(await publisher.files()).toEqual(first);
  });
});

describe('runPublish: the state is never servable', () => {
  it('keeps the state beside the output, and no draft or embargoed text in the output', async () => {
    await publisher.write('articles/live.json', article({ title: 'Live' }));
    await publisher.write(
      'articles/draft.json',
      article({ title: 'Draft', draft: true, content_text: 'SECRET-DRAFT' }),
    );
    await publisher.write(
      'articles/embargo.json',
      article({ title: 'Embargoed', date: '2026-06-01T00:00:00Z', content_text: 'SECRET-EMBARGO' }),
    );
    await publisher.publish();
    const output = await publisher.files();
    expect([...output.keys()].some((path) => path.startsWith('_state'))).toBe(false);
    for (const [path, body] of output) {
      expect(body, path).not.toMatch(/SECRET-DRAFT|SECRET-EMBARGO/);
    }
    const state = [...(await readTree(publisher.state)).values()].join('\n');
    expect(state).toContain('SECRET-DRAFT');
    expect(state).toContain('SECRET-EMBARGO');
  });

  it('moves an earlier single-file state out of the output, keeping every id', async () => {
    await publisher.write('articles/a.json', article({ title: 'A' }));
    const legacyId = 'urn:uuid:11111111-2222-5333-8444-555555555555';
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(join(publisher.out, '_state'), { recursive: true });
    await writeFile(
      join(publisher.out, '_state', 'state.json'),
      JSON.stringify({
        version: 1,
        ids: { 'articles/a.json': { id: legacyId, since: '2024-01-01T00:00:00.000Z' } },
        articles: {},
        archive: { pages: [] },
        records: {},
      }),
    );
    await publisher.publish();
    expect(await ids()).toEqual([legacyId]);
    expect(await publisher.read('_state/state.json')).toBeUndefined();
    await publisher.write('articles/a.json', article({ title: 'A, edited' }));
    await publisher.publish({ now: later(1) });
    expect(await ids()).toEqual([legacyId]);
  });
});

describe('runPublish: last good versions', () => {
  it('keeps the last good version when a record turns invalid, and reports it every run', async () => {
    await publisher.write('articles/a.json', article());
    await publisher.publish();
    await publisher.write('articles/a.json', article({ title: 'Fixed?', date: '2025-02-30' }));
    const second = await publisher.publish({ now: later(1) });
    expect(await titles()).toEqual(['Original title']);
    expect(second.report.errors).toEqual([
      { key: 'articles/a.json', field: 'date', line: 1, message: expect.any(String) },
    ]);
    expect(second.report.keptLastGood).toEqual(['articles/a.json']);
    const third = await publisher.publish({ now: later(2) });
    expect(third.report.errors).toHaveLength(1);
    expect(third.looked).toBe(0);
  });

  it('publishes the fixed version once the record is valid again', async () => {
    await publisher.write('articles/a.json', article());
    await publisher.publish();
    await publisher.write('articles/a.json', '{');
    await publisher.publish({ now: later(1) });
    await publisher.write('articles/a.json', article({ title: 'New title' }));
    const fixed = await publisher.publish({ now: later(2) });
    expect(await titles()).toEqual(['New title']);
    expect(fixed.report.keptLastGood).toEqual([]);
    expect(fixed.report.errors).toEqual([]);
  });

  it('drops a deleted record, even one that was kept at its last good version', async () => {
    await publisher.write('articles/a.json', article());
    await publisher.write('articles/b.json', article({ title: 'B' }));
    await publisher.publish();
    await publisher.write('articles/a.json', '{');
    await publisher.publish({ now: later(1) });
    await publisher.remove('articles/a.json');
    const result = await publisher.publish({ now: later(2) });
    expect(await titles()).toEqual(['B']);
    expect(result.report.errors).toEqual([]);
    expect(result.report.published).toBe(1);
  });
});

describe('runPublish: stable ids', () => {
  it.each([
    ['the title', { title: 'A new title' }],
    ['the URL', { url: 'https://www.example.com/moved' }],
    ['the date', { date: '2025-06-02T10:00:00Z' }],
  ])('keeps the id when %s changes', async (_what, change) => {
    await publisher.write('articles/a.json', article());
    await publisher.publish();
    const before = await ids();
    await publisher.write('articles/a.json', article(change));
    await publisher.publish({ now: later(1) });
    expect(await ids()).toEqual(before);
  });

  it('uses an explicit id, and remembers it when the field is later removed', async () => {
    await publisher.write('articles/a.json', article({ id: 'https://www.example.com/id/7' }));
    await publisher.publish();
    expect(await ids()).toEqual(['https://www.example.com/id/7']);
    await publisher.write('articles/a.json', article());
    await publisher.publish({ now: later(1) });
    expect(await ids()).toEqual(['https://www.example.com/id/7']);
  });

  it('lets the record that claimed an id first keep it, and rejects the newcomer', async () => {
    await publisher.write('articles/z-old.json', article({ id: 'tag:example.com,2025:1', title: 'Old' }));
    await publisher.publish();
    await publisher.write(
      'articles/a-new.json',
      article({ id: 'tag:example.com,2025:1', title: 'New', date: '2025-01-01T00:00:00Z' }),
    );
    const second = await publisher.publish({ now: later(1) });
    expect(await titles()).toEqual(['Old']);
    expect(second.report.errors.map((error) => [error.key, error.field])).toEqual([
      ['articles/a-new.json', 'id'],
    ]);
    expect(second.report.warnings.map((warning) => [warning.key, warning.field])).toEqual([
      ['articles/z-old.json', 'id'],
    ]);
    const third = await publisher.publish({ now: later(2) });
    expect(third.report.errors.map((error) => error.key)).toEqual(['articles/a-new.json']);
    expect(third.report.errors[0]?.message).toContain('already belongs to articles/z-old.json');
  });

  it('gives an id free again once its holder is deleted', async () => {
    await publisher.write('articles/old.json', article({ id: 'tag:example.com,2025:1', title: 'Old' }));
    await publisher.publish();
    await publisher.remove('articles/old.json');
    await publisher.publish({ now: later(1) });
    await publisher.write('articles/new.json', article({ id: 'tag:example.com,2025:1', title: 'New' }));
    const result = await publisher.publish({ now: later(2) });
    expect(result.report.errors).toEqual([]);
    expect(await titles()).toEqual(['New']);
  });
});

describe('runPublish: moved records keep their ids', () => {
  const move = async (from: string, to: string) => {
    const body = await readFile(join(publisher.content, ...from.split('/')), 'utf8');
    await publisher.write(to, body);
    await publisher.remove(from);
  };
  const explicit = article({ id: 'story-7', title: 'Story' });
  const published = async () =>
    (JSON.parse((await publisher.read('feed.json')) ?? '{}') as { items: { id: string; title: string }[] })
      .items;

  it.each([
    [
      'without an id, seen in one publish',
      article({ title: 'Story' }),
      [['articles/x.json', 'articles/2025/x.json']],
    ],
    ['with an explicit id, seen in one publish', explicit, [['articles/x.json', 'articles/2025/x.json']]],
    [
      'without an id, the deletion seen first',
      article({ title: 'Story' }),
      [['articles/x.json'], ['articles/2025/x.json']],
    ],
    [
      'with an explicit id, the new key seen first',
      explicit,
      [['articles/2025/x.json'], ['articles/x.json']],
    ],
    [
      'without an id, the new key seen first in the same batch',
      article({ title: 'Story' }),
      [['articles/2025/x.json', 'articles/x.json']],
    ],
  ])('%s', async (_, record, batches) => {
    await publisher.write('articles/x.json', record);
    await publisher.publish();
    const before = await published();
    await move('articles/x.json', 'articles/2025/x.json');
    let errors: unknown[] = [];
    for (const [index, keys] of batches.entries()) {
      const result = await publisher.publish({
        now: later(index + 1),
        changes: keys.map((key) => ({ key })),
      });
      errors = [...result.report.errors];
    }
    expect(errors).toEqual([]);
    expect(await published()).toEqual(before);
  });

  it('gives a copy that sits beside its original an id of its own', async () => {
    await publisher.write('articles/x.json', article({ title: 'Story' }));
    await publisher.publish();
    await publisher.write('articles/y.json', article({ title: 'Story' }));
    await publisher.publish({ now: later(1) });
    expect(new Set((await published()).map((item) => item.id)).size).toBe(2);
  });
});

describe('runPublish: visibility over time', () => {
  beforeEach(async () => {
    await publisher.write('articles/now.json', article({ title: 'Now', date: '2025-12-31T00:00:00Z' }));
    await publisher.write('articles/draft.json', article({ title: 'Draft', draft: true }));
    await publisher.write(
      'articles/embargo.json',
      article({ title: 'Embargoed', date: '2026-01-01T06:00:00Z' }),
    );
    await publisher.write(
      'articles/expiring.json',
      article({ title: 'Expiring', expires: '2026-01-01T03:00:00Z' }),
    );
  });

  it('lifts an embargo and expires an article exactly at their instants, reading no record', async () => {
    const first = await publisher.publish();
    expect(await titles()).toEqual(['Now', 'Expiring']);
    expect(first.report).toMatchObject({ published: 2, drafts: 1, embargoed: 1, expired: 0 });
    expect(first.report.nextChangeAt?.toISOString()).toBe('2026-01-01T03:00:00.000Z');
    const expired = await publisher.publish({ now: new Date('2026-01-01T03:00:00.000Z'), changes: [] });
    expect(await titles()).toEqual(['Now']);
    expect(expired.report.nextChangeAt?.toISOString()).toBe('2026-01-01T06:00:00.000Z');
    await publisher.publish({ now: new Date('2026-01-01T05:59:59.999Z'), changes: [] });
    expect(await titles()).toEqual(['Now']);
    const lifted = await publisher.publish({ now: new Date('2026-01-01T06:00:00.000Z'), changes: [] });
    expect(await titles()).toEqual(['Embargoed', 'Now']);
    expect(lifted.report).toMatchObject({ published: 2, drafts: 1, embargoed: 0, expired: 1 });
    expect(lifted.report.nextChangeAt).toBeUndefined();
  });
});

describe('runPublish: events and reconciles', () => {
  it.each([
    ['a reconcile lists it as changed', () => ({})],
    [
      'an event repeats its version',
      () => ({
        changes: [
          { key: 'articles/a.json', etag: contentTag(new TextEncoder().encode(JSON.stringify(embargoed))) },
        ],
      }),
    ],
  ])('lifts an embargo that falls due when %s', async (_, options) => {
    await publisher.write('articles/a.json', article());
    await publisher.publish();
    await publisher.write('articles/a.json', embargoed);
    await publisher.publish({ now: later(1) });
    expect(await titles()).toEqual([]);
    await publisher.publish({ now: later(61), ...options() });
    expect(await titles()).toEqual(['Embargoed']);
  });

  it('reads only the records an event names, and nothing for a duplicate', async () => {
    await publisher.write('articles/a.json', article({ title: 'A' }));
    await publisher.write('articles/b.json', article({ title: 'B', date: '2025-05-01T00:00:00Z' }));
    await publisher.publish();
    await publisher.write('articles/a.json', article({ title: 'A, edited' }));
    await publisher.write('articles/b.json', article({ title: 'B, edited', date: '2025-05-01T00:00:00Z' }));
    const first = await publisher.publish({ now: later(1), changes: [{ key: 'articles/a.json' }] });
    expect(first.looked).toBe(1);
    expect(await titles()).toEqual(['A, edited', 'B']);
    const again = await publisher.publish({ now: later(2), changes: [{ key: 'articles/a.json' }] });
    expect(again.looked).toBe(0);
    expect(again.written).toEqual([]);
  });

  it('finds a deletion no event told of when the reconcile counts the records', async () => {
    await publisher.write('articles/a.json', article({ title: 'A' }));
    await publisher.write('articles/b.json', article({ title: 'B', date: '2025-05-01T00:00:00Z' }));
    await publisher.publish();
    await publisher.remove('articles/b.json');
    await publisher.publish({ now: later(60 * 24), changes: [] });
    expect(await titles()).toEqual(['A', 'B']);
    await publisher.publish({ now: later(60 * 24 * 2) });
    expect(await titles()).toEqual(['A']);
  });

  it('finds a deletion no event told of by its key, even when the counts agree', async () => {
    await publisher.write('articles/a.json', article({ title: 'A' }));
    await publisher.write('articles/b.json', article({ title: 'B', date: '2025-05-01T00:00:00Z' }));
    await publisher.write('articles/c.json', article({ title: 'C', date: '2025-04-01T00:00:00Z' }));
    await publisher.publish();
    // A state whose count is one short (as two rebuilds racing once left one), and a deletion no
    // event told of: the listing's count agrees with the state's.
    const site = JSON.parse((await publisher.readState('publisher.json')) ?? '{}');
    await publisher.writeState('publisher.json', `${JSON.stringify({ ...site, records: 2 })}\n`);
    await publisher.remove('articles/c.json');
    const result = await publisher.publish({ now: later(60 * 24) });
    expect(await titles()).toEqual(['A', 'B']);
    expect(result.looked).toBe(1);
    expect(await publisher.readState('records/articles/c.json')).toBeUndefined();
  });

  it('takes out of the feeds an article whose record and record state are both gone, and sets the count right', async () => {
    await publisher.write('articles/a.json', article({ title: 'A' }));
    await publisher.write('articles/b.json', article({ title: 'B', date: '2025-05-01T00:00:00Z' }));
    await publisher.write('articles/c.json', article({ title: 'C', date: '2025-04-01T00:00:00Z' }));
    await publisher.publish();
    const pages = (await publisher.files()).size;
    // As two rebuilds racing once left it: the record deleted, its record state removed by the
    // other rebuild, its article still in the sets, and the count one too high.
    await publisher.remove('articles/c.json');
    await rm(join(publisher.state, 'records', 'articles', 'c.json'));
    expect(await titles()).toEqual(['A', 'B', 'C']);
    await publisher.publish({ now: later(60) });
    expect(await titles()).toEqual(['A', 'B']);
    expect((await publisher.files()).size).toBe(pages - 1);
    expect(JSON.parse((await publisher.readState('publisher.json')) ?? '{}').records).toBe(2);
  });

  it('removes the pages of the old layout when the archive period changes', async () => {
    await publisher.writeSite({ ...testSiteJson, maxItems: 1 });
    await publisher.write('articles/a.json', article({ title: 'A', date: '2025-03-02T00:00:00Z' }));
    await publisher.write('articles/b.json', article({ title: 'B', date: '2025-02-02T00:00:00Z' }));
    await publisher.publish();
    expect(await publisher.read('archive/2025-02/feed.json')).toBeDefined();
    await publisher.writeSite({ ...testSiteJson, maxItems: 1, archivePeriod: 'day' });
    const result = await publisher.publish({ now: later(1) });
    expect(result.deleted).toEqual([
      'archive/2025-02/rss.xml',
      'archive/2025-02/atom.xml',
      'archive/2025-02/feed.json',
      'archive/2025-02/index.html',
    ]);
    expect(feedTitles(await publisher.read('archive/2025-02-02/feed.json'))).toEqual(['B']);
    expect([...(await publisher.files()).keys()].filter((path) => path.startsWith('archive/'))).toEqual([
      'archive/2025-02-02/atom.xml',
      'archive/2025-02-02/feed.json',
      'archive/2025-02-02/index.html',
      'archive/2025-02-02/rss.xml',
      'archive/index.html',
    ]);
  });

  it('renders everything again when a rendering setting changes', async () => {
    await publisher.write('articles/a.json', article({ title: 'A' }));
    await publisher.publish();
    await publisher.writeSite({ ...testSiteJson, title: 'Renamed Wire' });
    const result = await publisher.publish({ now: later(1) });
    expect(result.mode).toBe('rebuild');
    expect(await publisher.read('rss.xml')).toContain('Renamed Wire');
    expect(await publisher.read('index.html')).toContain('Renamed Wire');
  });
});

describe('runPublish: article pages', () => {
  const pages = async () =>
    [...(await publisher.files()).keys()].filter((path) => path.startsWith('articles/'));
  const page = async () => {
    const [path] = await pages();
    return path === undefined ? undefined : publisher.read(path);
  };

  it('follows an article without a url through an edit, a url given, an embargo and a deletion', async () => {
    await publisher.write('articles/a.json', article());
    await publisher.publish();
    expect(await page()).toContain('<h1>Original title</h1>');
    const [address] = await pages();

    await publisher.write('articles/a.json', article({ title: 'Corrected' }));
    await publisher.publish({ now: later(1) });
    expect(await pages()).toEqual([address]);
    expect(await page()).toContain('<h1>Corrected</h1>');

    await publisher.write('articles/a.json', article({ url: 'https://www.example.com/a' }));
    await publisher.publish({ now: later(2) });
    expect(await pages()).toEqual([]);

    await publisher.write('articles/a.json', article({ title: 'Embargoed', date: later(60).toISOString() }));
    await publisher.publish({ now: later(3) });
    expect(await pages()).toEqual([]);
    await publisher.publish({ now: later(61) });
    expect(await titles()).toEqual(['Embargoed']);
    expect(await page()).toContain('<h1>Embargoed</h1>');

    await publisher.remove('articles/a.json');
    await publisher.publish({ now: later(62) });
    expect(await pages()).toEqual([]);
  });

  /** Each article page's links to the next older and newer article, by the page's title. */
  const neighbourTitles = async () => {
    const links = new Map<string, { older?: string; newer?: string }>();
    for (const path of await pages()) {
      const html = (await publisher.read(path)) ?? '';
      links.set(/<h1>([^<]+)<\/h1>/.exec(html)?.[1] ?? path, {
        older: /rel="prev">← ([^<]+)</.exec(html)?.[1],
        newer: /rel="next">([^<]+) →</.exec(html)?.[1],
      });
    }
    return Object.fromEntries([...links].sort(([a], [b]) => a.localeCompare(b)));
  };
  const dated = (title: string, day: number, fields: object = {}) =>
    article({ title, date: `2025-06-0${day}T10:00:00Z`, ...fields });

  it('links each article page to the next newer and older article, and relinks the neighbours of an article added or deleted', async () => {
    await publisher.write('articles/a.json', dated('A', 1));
    await publisher.write('articles/c.json', dated('C', 3));
    await publisher.publish();
    expect(await neighbourTitles()).toEqual({ A: { newer: 'C' }, C: { older: 'A' } });

    await publisher.write('articles/b.json', dated('B', 2));
    await publisher.publish({ now: later(1), changes: [{ key: 'articles/b.json' }] });
    expect(await neighbourTitles()).toEqual({
      A: { newer: 'B' },
      B: { older: 'A', newer: 'C' },
      C: { older: 'B' },
    });

    await publisher.remove('articles/b.json');
    await publisher.publish({ now: later(2), changes: [{ key: 'articles/b.json' }] });
    expect(await neighbourTitles()).toEqual({ A: { newer: 'C' }, C: { older: 'A' } });
  });

  it('links an article with a url of its own by that url, and draws no page for it', async () => {
    await publisher.write('articles/a.json', dated('A', 1));
    await publisher.write('articles/b.json', dated('B', 2, { url: 'https://www.example.com/b' }));
    await publisher.publish();
    const html = (await publisher.read((await pages())[0] ?? '')) ?? '';
    expect(await pages()).toHaveLength(1);
    expect(html).toContain('<a href="https://www.example.com/b" rel="next">B →</a>');
  });

  it.each([
    ['the body', { content_text: 'New body.' }, ['B']],
    ['the title', { title: 'B2' }, ['A', 'B2', 'C']],
  ])(
    'rewrites the pages whose content or links change when %s of an article changes',
    async (_, change, rewritten) => {
      for (const [title, day] of [
        ['A', 1],
        ['B', 2],
        ['C', 3],
      ] as const)
        await publisher.write(`articles/${title.toLowerCase()}.json`, dated(title, day));
      await publisher.publish();
      const before = await publisher.files();
      await publisher.write('articles/b.json', dated('B', 2, change));
      const result = await publisher.publish({ now: later(1), changes: [{ key: 'articles/b.json' }] });
      const after = await publisher.files();
      const titleOf = (path: string) => /<h1>([^<]+)<\/h1>/.exec(after.get(path) ?? '')?.[1];
      const changedPages = result.written.filter((path) => path.startsWith('articles/')).map(titleOf);
      const differing = [...after]
        .filter(([path, text]) => path.startsWith('articles/') && before.get(path) !== text)
        .map(([path]) => titleOf(path));
      expect(changedPages.sort()).toEqual(rewritten);
      expect(differing.sort()).toEqual(rewritten);
    },
  );

  it('removes the page of a record deleted while no publish ran, when a rebuild finds it gone', async () => {
    await publisher.write('articles/a.json', article());
    await publisher.write('articles/b.json', article({ title: 'B' }));
    await publisher.publish();
    expect(await pages()).toHaveLength(2);
    await publisher.remove('articles/a.json');
    await publisher.publish({ now: later(1), rebuild: true });
    expect(await pages()).toHaveLength(1);
    expect(await page()).toContain('<h1>B</h1>');
  });
});
