import type { FeedFile } from '../model.ts';
import { renderAtom } from './atom.ts';
import type { FeedDocument, FeedFormat } from './feed-document.ts';
import { feedFileNames } from './feed-document.ts';
import { renderJsonFeed } from './json-feed.ts';
import { renderRss } from './rss.ts';
import { renderWithinBudget } from './size-budget.ts';

export const mediaTypes = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
  html: 'text/html; charset=utf-8',
} as const;

/** Current feeds change with every publish: caches may keep them briefly. */
export const currentCaching = 'public, max-age=300, stale-while-revalidate=60';
/**
 * Archive pages change only when an article in them is edited, deleted or backdated into them,
 * and each such change is invalidated: caches may keep them for a day.
 */
export const archiveCaching = 'public, max-age=86400, stale-while-revalidate=3600';

const renderers: Record<FeedFormat, (document: FeedDocument) => string> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
};

export const feedFormats = Object.keys(renderers) as FeedFormat[];

/**
 * Archive pages sit in a period's folder under `archive/`, of the main feeds or of a category;
 * the archive index (`archive/index.html`) changes with every new article, as current files do.
 */
export function isArchivePath(path: string): boolean {
  return /(^|\/)archive\/[^/]+\//.test(path);
}

/**
 * The media type and Cache-Control a published file is served with, from its path alone: the
 * local preview server answers with the same headers the S3 objects carry.
 */
export function headersForPath(path: string): { contentType: string; cacheControl: string } | undefined {
  const name = path.split('/').at(-1) ?? '';
  const format = feedFormats.find((candidate) => feedFileNames[candidate] === name);
  const contentType = format ? mediaTypes[format] : name.endsWith('.html') ? mediaTypes.html : undefined;
  if (!contentType) return undefined;
  return { contentType, cacheControl: isArchivePath(path) ? archiveCaching : currentCaching };
}

/** Whether a published path is one of the three feed files (not a page). */
export function isFeedPath(path: string): boolean {
  const name = path.split('/').at(-1) ?? '';
  return feedFormats.some((format) => feedFileNames[format] === name);
}

/** The paths of a feed document's three files. */
export function feedPaths(folder: string): string[] {
  return feedFormats.map((format) => `${folder}${feedFileNames[format]}`);
}

/** One feed document in every format, each within the site's byte budget. */
export function renderFeedFiles(document: Omit<FeedDocument, 'fullCount'>): FeedFile[] {
  const { archived } = document.history;
  const { articles } = document;
  return feedFormats.map((format) => ({
    path: `${document.folder}${feedFileNames[format]}`,
    contentType: mediaTypes[format],
    cacheControl: archived ? archiveCaching : currentCaching,
    body: renderWithinBudget(
      (count, fullCount) => renderers[format]({ ...document, articles: articles.slice(0, count), fullCount }),
      // An archive page must keep every item; the current feeds may let the oldest go.
      { total: articles.length, maxBytes: document.site.maxFeedBytes, mayDrop: !archived },
    ),
  }));
}
