import type { Article, FeedFile, SiteConfig } from '../model.ts';
import { periodOf } from '../periods.ts';
import { storeArticle } from '../state/stored-article.ts';
import { mainSet, type SetManifest, type Shard, setsOf } from './feed-set.ts';
import { neighboursIn, renderPageFiles, renderWindowFiles } from './set-files.ts';

/** A set laid out from scratch: its window and its archive pages by period, oldest period first. */
export interface SetLayout {
  readonly folder: string;
  readonly window: readonly Article[];
  readonly pages: ReadonlyMap<string, readonly Article[]>;
}

/**
 * Every set of the visible articles (newest first): the main set, always, and one per category.
 * Each window holds the newest `maxItems` of its set; the rest go to the page of their period.
 */
export function layoutSets(site: SiteConfig, visible: readonly Article[]): SetLayout[] {
  const members = new Map<string, Article[]>([[mainSet, []]]);
  for (const article of visible) {
    for (const folder of setsOf(article)) {
      const list = members.get(folder) ?? [];
      list.push(article);
      members.set(folder, list);
    }
  }
  return [...members.keys()].sort().map((folder) => {
    const articles = members.get(folder) ?? [];
    const pages = new Map<string, Article[]>();
    for (const article of articles.slice(site.maxItems)) {
      const label = periodOf(article.published, site.archivePeriod);
      const page = pages.get(label) ?? [];
      page.push(article);
      pages.set(label, page);
    }
    const sorted = new Map([...pages.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
    return { folder, window: articles.slice(0, site.maxItems), pages: sorted };
  });
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
  return [
    ...renderWindowFiles(site, layout.folder, layout.window, periods.at(-1)),
    ...[...layout.pages].flatMap(([label, articles]) =>
      renderPageFiles(site, layout.folder, label, articles, neighboursIn(periods, label)),
    ),
  ];
}
