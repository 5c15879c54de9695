import type { Article, SiteConfig } from '../model.ts';

/**
 * One output format: everything the renderers, the pages, the preview server and the CDK stack
 * know about it. The list of them is `feedFormats` in formats.ts; adding a format is one renderer
 * module exporting one of these, and one entry there.
 */
export interface FeedFormat {
  /** The file each feed folder holds in this format, such as 'rss.xml'. */
  readonly fileName: string;
  /** Its media type, without parameters: announced in pages' links, served with `; charset=utf-8`. */
  readonly mediaType: string;
  /** What pages call it, such as 'JSON Feed'. */
  readonly label: string;
  /** The specification and version written, for the stack's outputs, such as 'RSS 2.0'. */
  readonly specification: string;
  /** The stack output giving the site's feed URL in this format, such as 'RssUrl'. */
  readonly outputName: string;
  /** Whether browsers on other origins may fetch it (CORS): web-based readers fetch JSON Feed so. */
  readonly crossOrigin: boolean;
  /** Writes one document in this format. */
  readonly render: (document: FeedDocument) => string;
}

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

/** The address of a folder's feed in one format. */
export function feedUrl(site: SiteConfig, folder: string, format: Pick<FeedFormat, 'fileName'>): string {
  return new URL(`${encodeFolder(folder)}${format.fileName}`, site.feedBaseUrl).href;
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
