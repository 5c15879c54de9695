import type { Article, SiteConfig } from '../model.ts';

export const feedFileNames = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' } as const;
export type FeedFormat = keyof typeof feedFileNames;

/** RFC 5005 links of one document; each names a folder such as 'archive/3/' or ''. */
export interface FeedHistory {
  /** True for an archive page (RFC 5005 fh:archive). */
  readonly archived: boolean;
  /** The next older archive page. */
  readonly prevArchive?: string;
  /** The next newer archive page (archives only). */
  readonly nextArchive?: string;
  /** The current feed (archives only). */
  readonly current?: string;
}

/** One feed document, before it is written in a format. */
export interface FeedDocument {
  readonly site: SiteConfig;
  /** The feed's title: the site title, or the site title and a category. */
  readonly title: string;
  /** Folder under the feeds root: '', 'categories/<slug>/' or 'archive/<n>/'. */
  readonly folder: string;
  /** Newest first, already filtered to what is visible. */
  readonly articles: readonly Article[];
  /** The first `fullCount` items carry their full content, the rest only their summary (size budget). */
  readonly fullCount: number;
  readonly history: FeedHistory;
}

export function feedUrl(site: SiteConfig, folder: string, format: FeedFormat): string {
  return new URL(`${encodeFolder(folder)}${feedFileNames[format]}`, site.feedBaseUrl).href;
}

/** Folders may hold non-ASCII category slugs: in URLs they are percent-encoded, segment by segment. */
function encodeFolder(folder: string): string {
  return folder
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/** The newest change among the articles: a feed's `updated`, never the clock, so unchanged input gives unchanged output. */
export function newestChange(articles: readonly Article[]): Date {
  return new Date(Math.max(0, ...articles.map((article) => article.updated.getTime())));
}
