import type { Build } from '../../lambda/core/build-site.ts';
import type { FeedFile } from '../../lambda/core/model.ts';

/** The body of one published file; throws when it was not published. */
export function fileBody(result: Pick<Build, 'files'> | readonly FeedFile[], path: string): string {
  const files = 'files' in result ? result.files : result;
  const file = files.find((candidate) => candidate.path === path);
  if (!file) throw new Error(`${path} was not published; published: ${files.map((f) => f.path).join(', ')}`);
  return file.body;
}

export type JsonFeedItem = Record<string, unknown> & { id: string; title?: string; content_html?: string };

export function jsonFeedItems(result: Pick<Build, 'files'>, path = 'feed.json'): JsonFeedItem[] {
  return (JSON.parse(fileBody(result, path)) as { items: JsonFeedItem[] }).items;
}

/**
 * Item titles across the JSON feeds among `files` whose path matches `pages` (by default the main
 * set's current feed and archive pages), with how many pages hold each.
 */
export function placements(
  files: ReadonlyMap<string, string>,
  pages = /^(archive\/[^/]+\/)?feed\.json$/,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [path, body] of files) {
    if (!pages.test(path)) continue;
    for (const item of (JSON.parse(body) as { items: { title: string }[] }).items) {
      counts.set(item.title, (counts.get(item.title) ?? 0) + 1);
    }
  }
  return counts;
}
