import { escapeHtml } from '../content/html.ts';
import type { SiteConfig } from '../model.ts';
import { type FeedFormat, feedUrl } from './feed-document.ts';

/** The three formats, as pages name them and announce them to browsers and readers. */
export const pageFormats: readonly { format: FeedFormat; label: string; type: string }[] = [
  { format: 'rss', label: 'RSS', type: 'application/rss+xml' },
  { format: 'atom', label: 'Atom', type: 'application/atom+xml' },
  { format: 'json', label: 'JSON Feed', type: 'application/feed+json' },
];

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * Calendar days on the site's clock, in the site's language. One formatter per language and
 * zone, kept: each holds native ICU memory the garbage collector does not see, and a rebuild
 * renders a page per article (a new one per page took a 100,000-record rebuild from 0.6 to 3 GB).
 */
export function siteDay(site: SiteConfig): Intl.DateTimeFormat {
  const key = `${site.language} ${site.timezone}`;
  let format = dayFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(site.language, { dateStyle: 'long', timeZone: site.timezone });
    dayFormats.set(key, format);
  }
  return format;
}

/** What a page's head says: its own title and description, and whose feeds it announces. */
export interface PageHeading {
  readonly title: string;
  readonly description: string;
  /** The feeds' folder ('' for the site's) and their name as readers list them. */
  readonly feeds: { readonly folder: string; readonly name: string };
}

/**
 * What every page's head holds: its title and description, the site's icon (or none, so the
 * browser asks for nothing), autodiscovery links to the feeds, and one small style.
 */
export function pageHead(site: SiteConfig, { title, description, feeds }: PageHeading): string {
  const discovery = pageFormats
    .map(
      ({ format, label, type }) =>
        `<link rel="alternate" type="${type}" title="${escapeHtml(feeds.name)} (${label})" href="${escapeHtml(feedUrl(site, feeds.folder, format))}">`,
    )
    .join('\n    ');
  return `<meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${escapeHtml(title)}</title>
    <meta name="description" content="${escapeHtml(description)}">
    <link rel="icon" href="${site.iconUrl ? escapeHtml(site.iconUrl) : 'data:,'}">
    ${discovery}
    <style>
      body { font: 1rem/1.5 system-ui, sans-serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
      code { word-break: break-all; font-size: 0.85em; }
      h3 { margin-bottom: 0; font-size: 1.05rem; }
      time, .meta, figcaption { color: #555; font-size: 0.9em; }
      img, video, iframe { max-width: 100%; height: auto; }
      figure { margin: 1rem 0; }
      ul.latest, ul.categories { list-style: none; padding: 0; }
      ul.categories li { display: inline; margin-right: 0.75rem; }
    </style>`;
}
