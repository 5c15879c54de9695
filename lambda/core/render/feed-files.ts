import type { FeedFile } from '../model.ts';
import type { FeedDocument } from './feed-document.ts';
import { archiveCaching, cachingForPath, currentCaching, htmlMediaType } from './file-headers.ts';
import { feedContentType, feedFormats, formatOfPath } from './formats.ts';
import { renderWithinBudget } from './size-budget.ts';

/**
 * The media type and Cache-Control a published file is served with, from its path alone: the
 * local preview server answers with the same headers the S3 objects carry.
 */
export function headersForPath(path: string): { contentType: string; cacheControl: string } | undefined {
  const format = formatOfPath(path);
  const contentType = format ? feedContentType(format) : path.endsWith('.html') ? htmlMediaType : undefined;
  if (!contentType) return undefined;
  return { contentType, cacheControl: cachingForPath(path) };
}

/** Whether a published path is a feed file (not a page). */
export function isFeedPath(path: string): boolean {
  return formatOfPath(path) !== undefined;
}

/** The paths of a feed document's files, one per format. */
export function feedPaths(folder: string): string[] {
  return feedFormats.map((format) => `${folder}${format.fileName}`);
}

/** One feed document in every format, each within the site's byte budget. */
export function renderFeedFiles(document: Omit<FeedDocument, 'fullCount'>): FeedFile[] {
  const { archived } = document.history;
  const { articles } = document;
  return feedFormats.map((format) => ({
    path: `${document.folder}${format.fileName}`,
    contentType: feedContentType(format),
    cacheControl: archived ? archiveCaching : currentCaching,
    body: renderWithinBudget(
      (count, fullCount) => format.render({ ...document, articles: articles.slice(0, count), fullCount }),
      // An archive page must keep every item; the current feeds may let the oldest go.
      { total: articles.length, maxBytes: document.site.maxFeedBytes, mayDrop: !archived },
    ),
  }));
}
