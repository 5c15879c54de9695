/** Where one set of feeds (main or per category) lives, relative to the feeds root. */
export interface FeedPaths {
  /** Folder prefix, '' for the main feeds or e.g. 'categories/world/'. */
  readonly folder: string;
}

export const feedFileNames = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' } as const;

export function feedUrl(feedBaseUrl: string, folder: string, format: keyof typeof feedFileNames): string {
  return new URL(`${folder}${feedFileNames[format]}`, feedBaseUrl).href;
}
