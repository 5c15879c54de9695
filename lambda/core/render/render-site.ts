import { createHash } from 'node:crypto';
import { type ArchivePlan, archiveFolder } from '../archive.ts';
import type { Article, FeedFile, SiteConfig } from '../model.ts';
import { storeArticle } from '../state.ts';
import { renderAtom } from './atom.ts';
import { categorySlug } from './category-slug.ts';
import type { FeedDocument, FeedFormat, FeedHistory } from './feed-document.ts';
import { feedFileNames } from './feed-document.ts';
import { renderJsonFeed } from './json-feed.ts';
import { renderRss } from './rss.ts';
import { renderWithinBudget } from './size-budget.ts';
import { type CategoryLink, renderSubscribePage, subscribePageItems } from './subscribe-page.ts';

export const mediaTypes = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
  html: 'text/html; charset=utf-8',
} as const;

/** Current feeds change with every publish: caches may keep them briefly. */
export const currentCaching = 'public, max-age=300, stale-while-revalidate=60';
/** A full archive page never changes again. */
export const archiveCaching = 'public, max-age=31536000, immutable';

const renderers: Record<FeedFormat, (document: FeedDocument) => string> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
};

/**
 * The media type and Cache-Control a published file is served with, from its path alone: the
 * local preview server answers with the same headers the S3 objects carry.
 */
export function headersForPath(path: string): { contentType: string; cacheControl: string } | undefined {
  const name = path.split('/').at(-1) ?? '';
  const format = (Object.keys(feedFileNames) as FeedFormat[]).find(
    (candidate) => feedFileNames[candidate] === name,
  );
  const contentType = format ? mediaTypes[format] : name.endsWith('.html') ? mediaTypes.html : undefined;
  if (!contentType) return undefined;
  return { contentType, cacheControl: path.startsWith('archive/') ? archiveCaching : currentCaching };
}

/** What the state remembers of a rendered feed set or page: what it was rendered from, and its title. */
export interface RenderedFeed {
  readonly fingerprint: string;
  readonly title: string;
}

export interface RenderOptions {
  /** What the previous publish rendered, by folder ('' for the main feeds, 'index.html' for the page). */
  readonly previous: Readonly<Record<string, RenderedFeed>>;
  /** Render every feed set even when its inputs did not change (reconcile: restores lost files). */
  readonly renderAll: boolean;
}

export interface RenderedSite {
  readonly files: FeedFile[];
  readonly feeds: Record<string, RenderedFeed>;
}

/** Bumped whenever rendering changes, so every feed set is rendered again once. */
const renderVersion = 1;

/**
 * Every file to publish: main feeds, per-category feeds, newly sealed archive pages and the
 * subscribe page. A feed set whose inputs (site, title, links, its items as stored) are the same as
 * last time is not rendered at all. A category that no longer has visible articles gets feeds with
 * no items rather than keeping stale ones.
 */
export function renderSite(
  site: SiteConfig,
  visible: readonly Article[],
  archive: ArchivePlan,
  options: RenderOptions = { previous: {}, renderAll: true },
): RenderedSite {
  const current: FeedHistory = {
    archived: false,
    prevArchive: archive.pageCount > 0 ? archiveFolder(archive.pageCount) : undefined,
  };
  const categories = groupByCategory(visible);
  const vanished = Object.entries(options.previous)
    .filter(
      ([folder]) =>
        folder.startsWith('categories/') && !categories.some((category) => category.folder === folder),
    )
    .map(([folder, feed]) => ({ folder, title: feed.title, articles: [] }));
  const sets: FeedSet[] = [
    { site, title: site.title, folder: '', articles: visible.slice(0, site.maxItems), history: current },
    ...categories.map((category) => ({
      site,
      title: `${site.title}: ${category.name}`,
      folder: category.folder,
      articles: category.articles.slice(0, site.maxItems),
      history: { archived: false },
    })),
    ...vanished.map((category) => ({ site, ...category, history: { archived: false } })),
  ];
  const feeds: Record<string, RenderedFeed> = {};
  const files: FeedFile[] = [];
  const renderIfChanged = (key: string, title: string, inputs: unknown, render: () => FeedFile[]) => {
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([renderVersion, site, inputs]))
      .digest('hex');
    feeds[key] = { fingerprint, title };
    if (options.renderAll || options.previous[key]?.fingerprint !== fingerprint) files.push(...render());
  };
  for (const set of sets) {
    renderIfChanged(set.folder, set.title, [set.title, set.history, set.articles.map(storeArticle)], () =>
      renderFeedSet(set),
    );
  }
  for (const page of archive.newPages) {
    files.push(
      ...renderFeedSet({
        site,
        title: `${site.title} (archive ${page.number})`,
        folder: archiveFolder(page.number),
        articles: page.articles,
        history: {
          archived: true,
          current: '',
          prevArchive: page.number > 1 ? archiveFolder(page.number - 1) : undefined,
          nextArchive: archiveFolder(page.number + 1),
        },
      }),
    );
  }
  const links: CategoryLink[] = categories.map(({ name, folder }) => ({ name, folder }));
  const latest = visible.slice(0, subscribePageItems);
  renderIfChanged('index.html', site.title, [latest.map(storeArticle), links], () => [
    {
      path: 'index.html',
      contentType: mediaTypes.html,
      cacheControl: currentCaching,
      body: renderSubscribePage(site, latest, links),
    },
  ]);
  return { files, feeds };
}

type FeedSet = Omit<FeedDocument, 'fullCount'>;

function renderFeedSet(set: FeedSet): FeedFile[] {
  const { archived } = set.history;
  const { articles } = set;
  return (Object.keys(renderers) as FeedFormat[]).map((format) => ({
    path: `${set.folder}${feedFileNames[format]}`,
    contentType: mediaTypes[format],
    cacheControl: archived ? archiveCaching : currentCaching,
    body: renderWithinBudget(
      (count, fullCount) => renderers[format]({ ...set, articles: articles.slice(0, count), fullCount }),
      // An archive page must keep every item; the current feeds may let the oldest go.
      { total: articles.length, maxBytes: set.site.maxFeedBytes, mayDrop: !archived },
    ),
  }));
}

interface Category {
  readonly name: string;
  readonly folder: string;
  readonly articles: readonly Article[];
}

/** Categories by slug, in slug order; names that differ only in case or accents share one feed. */
function groupByCategory(visible: readonly Article[]): Category[] {
  const bySlug = new Map<string, { name: string; articles: Article[] }>();
  for (const article of visible) {
    for (const name of article.categories) {
      const slug = categorySlug(name);
      const entry = bySlug.get(slug) ?? { name, articles: [] };
      entry.articles.push(article);
      bySlug.set(slug, entry);
    }
  }
  return [...bySlug.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([slug, entry]) => ({ name: entry.name, folder: `categories/${slug}/`, articles: entry.articles }));
}
