import type { Article, FeedFile, SiteConfig } from '../model.ts';
import { compareText, newestFirst } from '../order.ts';
import { periodOf } from '../periods.ts';
import { storeArticle } from '../stored-article.ts';
import { mainSet, type SetManifest, type Shard, setsOf } from './feed-set.ts';
import { neighboursIn, renderCurrentFiles, renderPageFiles } from './set-files.ts';

/** What laying out the sets needs of an article: not its text. */
export interface LayoutEntry {
  readonly key: string;
  readonly id: string;
  readonly published: Date;
  readonly sets: readonly string[];
  readonly period: string;
}

/** A set laid out by record key: its window, and its archive pages by period, oldest first. */
export interface KeyLayout {
  readonly folder: string;
  readonly window: readonly string[];
  readonly pages: ReadonlyMap<string, readonly string[]>;
}

/**
 * Every set of the visible articles: the main set, always, and one per category. Each window
 * holds the newest `maxItems` of its set; the rest go to the page of their period. Works on keys,
 * so a rebuild of any size lays out everything without holding a single article.
 */
export function layoutKeys(site: SiteConfig, entries: readonly LayoutEntry[]): KeyLayout[] {
  const members = new Map<string, LayoutEntry[]>([[mainSet, []]]);
  for (const entry of [...entries].sort(newestFirst)) {
    for (const folder of entry.sets) {
      const list = members.get(folder) ?? [];
      list.push(entry);
      members.set(folder, list);
    }
  }
  return [...members.keys()].sort().map((folder) => {
    const sorted = members.get(folder) ?? [];
    const pages = new Map<string, string[]>();
    for (const entry of sorted.slice(site.maxItems)) {
      const page = pages.get(entry.period) ?? [];
      page.push(entry.key);
      pages.set(entry.period, page);
    }
    return {
      folder,
      window: sorted.slice(0, site.maxItems).map((entry) => entry.key),
      pages: new Map([...pages.entries()].sort(([a], [b]) => compareText(a, b))),
    };
  });
}

export function layoutEntryOf(article: Article, site: SiteConfig): LayoutEntry {
  return {
    key: article.key,
    id: article.id,
    published: article.published,
    sets: setsOf(article),
    period: periodOf(article.published, site.archivePeriod),
  };
}

/** A set laid out with its articles. */
export interface SetLayout {
  readonly folder: string;
  readonly window: readonly Article[];
  readonly pages: ReadonlyMap<string, readonly Article[]>;
}

/** The sets of visible articles held in memory (see `layoutKeys`). */
export function layoutSets(site: SiteConfig, visible: readonly Article[]): SetLayout[] {
  const byKey = new Map(visible.map((article) => [article.key, article]));
  const resolve = (keys: readonly string[]) => keys.flatMap((key) => byKey.get(key) ?? []);
  return layoutKeys(
    site,
    visible.map((article) => layoutEntryOf(article, site)),
  ).map((layout) => ({
    folder: layout.folder,
    window: resolve(layout.window),
    pages: new Map([...layout.pages].map(([label, keys]) => [label, resolve(keys)])),
  }));
}

/** The state a set laid out from scratch is kept as. */
export function manifestOf(layout: SetLayout): { manifest: SetManifest; shards: Map<string, Shard> } {
  const shards = new Map([...layout.pages].map(([label, articles]) => [label, articles.map(storeArticle)]));
  return {
    manifest: {
      folder: layout.folder,
      window: layout.window.map(storeArticle),
      periods: Object.fromEntries([...layout.pages].map(([label, articles]) => [label, articles.length])),
    },
    shards,
  };
}

/** Every file of a set laid out from scratch: its current feeds and all of its archive pages. */
export function renderLayout(site: SiteConfig, layout: SetLayout): FeedFile[] {
  const periods = [...layout.pages.keys()];
  const counts = Object.fromEntries([...layout.pages].map(([label, articles]) => [label, articles.length]));
  return [
    ...renderCurrentFiles(site, layout.folder, layout.window, counts),
    ...[...layout.pages].flatMap(([label, articles]) =>
      renderPageFiles(site, layout.folder, label, articles, neighboursIn(periods, label)),
    ),
  ];
}
