import { describe, expect, it } from 'vitest';
import { emptyManifest, type SetManifest, type Shard } from '../../../../lambda/core/feed-sets/feed-set.ts';
import { layoutSets, manifestOf } from '../../../../lambda/core/feed-sets/layout-sets.ts';
import { type SetChange, updateSet } from '../../../../lambda/core/feed-sets/update-set.ts';
import type { Article } from '../../../../lambda/core/model.ts';
import { newestFirst } from '../../../../lambda/core/order.ts';
import { periodOf } from '../../../../lambda/core/periods.ts';
import { articlePagePath } from '../../../../lambda/core/render/article-address.ts';
import { makeSite } from '../../../helpers/site.ts';

const site = makeSite({ maxItems: 2, archivePeriod: 'month' });

/** A fixed-date article factory: `day` is days after 2025-01-01. */
/** `url: null` gives an article without a url of its own. */
function article(
  key: string,
  day: number,
  title = key,
  url: string | null = `https://example.com/${key}`,
): Article {
  const published = new Date(Date.UTC(2025, 0, 1 + day));
  return {
    id: `urn:test:${key}`,
    key,
    title,
    ...(url === null ? {} : { url }),
    published,
    updated: published,
    contentHtml: `<p>${title}</p>`,
    authors: [],
    categories: [],
    tags: [],
    attachments: [],
    draft: false,
  };
}

interface SetState {
  manifest: SetManifest;
  shards: Map<string, Shard>;
}

/** Applies changes one after another, keeping every period in memory as a store would. */
function apply(state: SetState, change: SetChange) {
  const result = updateSet({ site, manifest: state.manifest, shards: state.shards, change });
  if (result.kind !== 'done')
    throw new Error(`asked for ${result.periods.join(', ')} although every period was given`);
  const shards = new Map(state.shards);
  for (const [period, shard] of result.shards) shards.set(period, shard);
  return { state: { manifest: result.manifest, shards }, files: result.files, deletes: result.deletes };
}

const add = (...articles: Article[]): SetChange => ({ removals: [], upserts: articles });
const remove = (...articles: Article[]): SetChange => ({
  removals: articles.map((a) => ({ key: a.key, period: periodOf(a.published, 'month') })),
  upserts: [],
});
const replace = (before: Article, after: Article): SetChange => ({ ...remove(before), upserts: [after] });

/** The set as a publish from scratch lays it out, emptied periods left out. */
function fromScratch(articles: readonly Article[]) {
  const [layout] = layoutSets(site, [...articles].sort(newestFirst));
  if (!layout) throw new Error('no main set');
  return manifestOf(layout);
}

function nonEmpty(shards: ReadonlyMap<string, Shard>) {
  return new Map([...shards].filter(([, shard]) => shard.length > 0));
}

const paths = (files: readonly { path: string }[]) => [
  ...new Set(files.map((file) => file.path.replace(/[^/]+$/, ''))),
];

// January: a, b; February: c; March: d, e (newest).
const a = article('a', 1);
const b = article('b', 5);
const c = article('c', 40);
const d = article('d', 65);
const e = article('e', 70);
const base = apply({ manifest: emptyManifest(''), shards: new Map() }, add(a, b, c, d, e)).state;

describe('updateSet', () => {
  it('lays out the same window and pages as a publish from scratch', () => {
    const scratch = fromScratch([a, b, c, d, e]);
    expect(base.manifest).toEqual(scratch.manifest);
    expect(nonEmpty(base.shards)).toEqual(scratch.shards);
    expect(base.manifest.window.map((stored) => stored.key)).toEqual(['e', 'd']);
    expect(base.manifest.periods).toEqual({ '2025-01': 2, '2025-02': 1 });
  });

  it('puts an article that arrives backdated into the page of its period, and renders only that page and the count', () => {
    const late = article('late', 3);
    const { state, files } = apply(base, add(late));
    expect(state.manifest).toEqual(fromScratch([a, b, c, d, e, late]).manifest);
    // The archive index (archive/) shows the period's new count.
    expect(paths(files)).toEqual(['archive/', 'archive/2025-01/']);
  });

  it('rewrites the page of an archived article that is edited, and nothing else', () => {
    const edited = article('c', 40, 'c, corrected');
    const { state, files } = apply(base, replace(c, edited));
    expect(state.shards.get('2025-02')?.map((stored) => stored.title)).toEqual(['c, corrected']);
    expect(paths(files)).toEqual(['archive/2025-02/']);
  });

  it('pulls the newest archived article into the window when one leaves it', () => {
    const { state, files } = apply(base, remove(e));
    expect(state.manifest.window.map((stored) => stored.key)).toEqual(['d', 'c']);
    expect(state.manifest).toEqual(fromScratch([a, b, c, d]).manifest);
    expect(paths(files).sort()).toEqual(['', 'archive/', 'archive/2025-01/']);
  });

  it('removes a page that empties and links its neighbours to each other', () => {
    const older = article('older', -40);
    const withDecember = apply(base, add(older)).state;
    const { state, files, deletes } = apply(withDecember, remove(a, b));
    expect(Object.keys(state.manifest.periods)).toEqual(['2024-11', '2025-02']);
    expect(deletes).toEqual([
      'archive/2025-01/rss.xml',
      'archive/2025-01/atom.xml',
      'archive/2025-01/feed.json',
      'archive/2025-01/index.html',
    ]);
    expect(paths(files).sort()).toEqual(['archive/', 'archive/2024-11/', 'archive/2025-02/']);
    const page = files.find((file) => file.path === 'archive/2025-02/atom.xml')?.body ?? '';
    expect(page).toContain('href="https://feeds.example.com/archive/2024-11/atom.xml"');
  });

  it('moves an article whose date changes from its old page to its new one', () => {
    const moved = article('a', 45);
    const { state } = apply(base, replace(a, moved));
    expect(state.manifest).toEqual(fromScratch([moved, b, c, d, e]).manifest);
    expect(nonEmpty(state.shards)).toEqual(fromScratch([moved, b, c, d, e]).shards);
  });

  it('asks for exactly the periods it must read, and no more', () => {
    const result = updateSet({
      site,
      manifest: base.manifest,
      shards: new Map(),
      change: add(article('late', 3)),
    });
    expect(result).toEqual({ kind: 'need', periods: ['2025-01'] });
    const newest = updateSet({
      site,
      manifest: base.manifest,
      shards: new Map(),
      change: add(article('f', 80)),
    });
    // The window spills March into a new page, so February's page gains a next-archive link.
    expect(newest).toEqual({ kind: 'need', periods: ['2025-02'] });
  });

  describe('article pages', () => {
    const pageless = article('p', 2, 'p', null);
    const withPage = apply(base, add(pageless)).state;
    const pagePath = articlePagePath(pageless) ?? '';
    const pagesOf = (result: { files: readonly { path: string }[]; deletes: readonly string[] }) => ({
      written: result.files.map((file) => file.path).filter((path) => path.startsWith('articles/')),
      deleted: result.deletes.filter((path) => path.startsWith('articles/')),
    });

    it.each([
      ['an article without a url gets a page', base, add(pageless), [pagePath], []],
      ['an article with a url gets none', base, add(article('u', 2)), [], []],
      [
        'an edit rewrites the page',
        withPage,
        replace(pageless, article('p', 2, 'p, corrected', null)),
        [pagePath],
        [],
      ],
      ['a url given later removes the page', withPage, replace(pageless, article('p', 2)), [], [pagePath]],
      ['a deletion removes the page', withPage, remove(pageless), [], [pagePath]],
      [
        'a page an interrupted run may have left is removed',
        base,
        { ...remove(pageless), pages: [pagePath] },
        [],
        [pagePath],
      ],
    ] as const)('%s', (_, state, change, written, deleted) => {
      expect(pagesOf(apply(state, change))).toEqual({ written, deleted });
    });

    it('renders no page for an article whose change leaves it as it was', () => {
      expect(pagesOf(apply(withPage, replace(pageless, pageless)))).toEqual({ written: [], deleted: [] });
    });

    it('renders pages in the main set only', () => {
      const category = apply({ manifest: emptyManifest('categories/x/'), shards: new Map() }, add(pageless));
      expect(pagesOf(category)).toEqual({ written: [], deleted: [] });
    });
  });
});
