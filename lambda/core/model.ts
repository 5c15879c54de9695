import type { ArchivePeriod } from './periods.ts';

/** The site-wide feed metadata, read from site.json. */
export interface SiteConfig {
  readonly title: string;
  readonly description: string;
  /** The human-facing website the feeds belong to. */
  readonly siteUrl: string;
  /** Where the published files are served from; ends with a slash. */
  readonly feedBaseUrl: string;
  /** BCP 47 language tag of the feeds, e.g. `en`. */
  readonly language: string;
  readonly author?: Person;
  readonly copyright?: string;
  /** IANA time zone used for record dates written without an offset. */
  readonly timezone: string;
  /** Items in each current feed (main and per category). */
  readonly maxItems: number;
  /** Largest current feed file, in bytes: older items drop to their summary, then out. */
  readonly maxFeedBytes: number;
  /** How RFC 5005 archive pages split the history: one page per calendar month or day (UTC). */
  readonly archivePeriod: ArchivePeriod;
  /** Minutes RSS readers may cache the feed (`<ttl>`). */
  readonly ttl: number;
  /** WebSub hub announced in the feeds. */
  readonly hubUrl?: string;
  /** Logo (RSS image, Atom logo, JSON icon). */
  readonly imageUrl?: string;
  /** Small square icon (Atom icon, JSON favicon). */
  readonly iconUrl?: string;
  /** Hosts whose iframes may stay in article HTML, e.g. `www.youtube-nocookie.com`. */
  readonly allowedIframeHosts: readonly string[];
  /** Limits that keep one record from swamping the feeds. */
  readonly limits: RecordLimits;
  /** How the site's pages look: its logo, colour, links and footer. */
  readonly theme: PageTheme;
  /**
   * The site's own Liquid templates by file name (from `templates/`), each drawn in place of the
   * default theme's; only ones that were read without error reach here.
   */
  readonly templates?: Readonly<Record<string, string>>;
}

/** What a site sets about its pages without writing a template. */
export interface PageTheme {
  /** The logo shown in every page's header, beside or instead of the site's name. */
  readonly logoUrl?: string;
  /** The colour of links and the header's rule, `#rrggbb`; it must read on white (4.5:1). */
  readonly accentColor?: string;
  /** Links in every page's header after the site's own, e.g. the newsroom's sections. */
  readonly navigation: readonly { readonly label: string; readonly url: string }[];
  /** A line of plain text in every page's footer. */
  readonly footerText?: string;
}

export interface RecordLimits {
  /** Largest record file, in bytes. */
  readonly maxRecordBytes: number;
  readonly maxTitleLength: number;
  readonly maxCategories: number;
}

export interface Person {
  readonly name: string;
  readonly email?: string;
  readonly url?: string;
}

export interface ArticleImage {
  readonly url?: string;
  readonly caption?: string;
  readonly credit?: string;
  readonly alt?: string;
  /** Media type, e.g. `image/jpeg`. */
  readonly type?: string;
  readonly width?: number;
  readonly height?: number;
}

/** A file that goes with the article, such as a podcast episode or a PDF. */
export interface Attachment {
  readonly url: string;
  readonly mimeType: string;
  readonly title?: string;
  readonly sizeInBytes?: number;
}

/** One article, whatever record format it came from. */
export interface Article {
  /** Stable identifier; never changes once published. */
  readonly id: string;
  /** The record's key in the store (path relative to the articles folder/prefix). */
  readonly key: string;
  readonly title: string;
  readonly url?: string;
  readonly published: Date;
  readonly updated: Date;
  /** Plain text. */
  readonly summary?: string;
  /** Body as HTML. */
  readonly contentHtml: string;
  readonly authors: readonly Person[];
  readonly categories: readonly string[];
  readonly tags: readonly string[];
  readonly image?: ArticleImage;
  readonly attachments: readonly Attachment[];
  readonly language?: string;
  readonly source?: string;
  readonly dateline?: string;
  readonly draft: boolean;
  readonly expires?: Date;
}

/** A problem with one record, phrased so the person who wrote it can act on it. */
export interface RecordError {
  readonly key: string;
  readonly field: string;
  readonly message: string;
  /** The line of the field in the record's file (from 1), when the format tells it. */
  readonly line?: number;
}

/** A record as read from a store: its key and raw bytes. */
export interface SourceRecord {
  readonly key: string;
  readonly body: Uint8Array;
}

/** A file the publisher wants to exist at `path` under the feeds root. */
export interface FeedFile {
  readonly path: string;
  readonly contentType: string;
  readonly cacheControl: string;
  readonly body: string;
}
