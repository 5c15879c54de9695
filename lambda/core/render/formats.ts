import { atomFormat } from './atom.ts';
import type { FeedFormat } from './feed-document.ts';
import { jsonFeedFormat } from './json-feed.ts';
import { rssFormat } from './rss.ts';

/**
 * Every format each feed folder is published in, in the order pages list them. The renderers,
 * the pages' links, the preview server's headers, the CDK distribution and the stack outputs all
 * read this list.
 */
export const feedFormats: readonly FeedFormat[] = [rssFormat, atomFormat, jsonFeedFormat];

/** The Content-Type a feed file is served with. */
export function feedContentType(format: FeedFormat): string {
  return `${format.mediaType}; charset=utf-8`;
}

/** The format a published path is in, from its file name; undefined for pages. */
export function formatOfPath(path: string): FeedFormat | undefined {
  const name = path.split('/').at(-1) ?? '';
  return feedFormats.find((format) => format.fileName === name);
}
