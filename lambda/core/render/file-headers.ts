/** Pages are HTML; feeds carry their format's media type (see formats.ts). */
export const htmlMediaType = 'text/html; charset=utf-8';

/** Current feeds change with every publish: caches may keep them briefly. */
export const currentCaching = 'public, max-age=300, stale-while-revalidate=60';
/**
 * Archive pages change only when an article in them is edited, deleted or backdated into them,
 * and each such change is invalidated: caches may keep them for a day.
 */
export const archiveCaching = 'public, max-age=86400, stale-while-revalidate=3600';

/**
 * Archive pages sit in a period's folder under `archive/`, of the main feeds or of a category;
 * the archive index (`archive/index.html`) changes with every new article, as current files do.
 */
export function isArchivePath(path: string): boolean {
  return /(^|\/)archive\/[^/]+\//.test(path);
}

/** How long caches may keep a published file: decided by where it sits, the same for every format. */
export function cachingForPath(path: string): string {
  return isArchivePath(path) ? archiveCaching : currentCaching;
}
