import { type ArchivePlan, archiveFolder } from '../archive.ts';
import type { Article, FeedFile, SiteConfig } from '../model.ts';
import { renderAtom } from './atom.ts';
import { categorySlug } from './category-slug.ts';
import type { FeedDocument, FeedFormat, FeedHistory } from './feed-document.ts';
import { feedFileNames } from './feed-document.ts';
import { renderJsonFeed } from './json-feed.ts';
import { renderRss } from './rss.ts';
import { renderWithinBudget } from './size-budget.ts';
import { type CategoryLink, renderSubscribePage } from './subscribe-page.ts';

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

/** Every file to publish: main feeds, per-category feeds, newly sealed archive pages, the subscribe page. */
export function renderSite(site: SiteConfig, visible: readonly Article[], archive: ArchivePlan): FeedFile[] {
  const current: FeedHistory = {
    archived: false,
    prevArchive: archive.pageCount > 0 ? archiveFolder(archive.pageCount) : undefined,
  };
  const categories = groupByCategory(visible);
  const files = [
    ...renderFeedSet({ site, title: site.title, folder: '', articles: visible, history: current }),
    ...categories.flatMap((category) =>
      renderFeedSet({
        site,
        title: `${site.title}: ${category.name}`,
        folder: category.folder,
        articles: category.articles,
        history: { archived: false },
      }),
    ),
    ...archive.newPages.flatMap((page) =>
      renderFeedSet({
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
    ),
  ];
  const links: CategoryLink[] = categories.map(({ name, folder }) => ({ name, folder }));
  files.push({
    path: 'index.html',
    contentType: mediaTypes.html,
    cacheControl: currentCaching,
    body: renderSubscribePage(site, visible, links),
  });
  return files;
}

type FeedSet = Omit<FeedDocument, 'fullCount'>;

function renderFeedSet(set: FeedSet): FeedFile[] {
  const { archived } = set.history;
  const articles = archived ? set.articles : set.articles.slice(0, set.site.maxItems);
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
