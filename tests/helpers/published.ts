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
