import type { Article, FeedFile, SiteConfig } from '../model.ts';
import type { ArchivePeriod } from '../periods.ts';
import { listedArticle } from './article-page.ts';
import { archiveFolder } from './feed-folders.ts';
import { cachingForPath, htmlMediaType } from './file-headers.ts';
import { feedLinks, renderPage } from './page-layout.ts';

/** Where a set's archive lives: `archive/` for the site's, `categories/<slug>/archive/` for a category's. */
export function archiveRoot(setFolder: string): string {
  return `${setFolder}archive/`;
}

/** The archive index of a set: the page that lists its periods. */
export function archiveIndexPath(setFolder: string): string {
  return `${archiveRoot(setFolder)}index.html`;
}

/** Whose archive a page shows: the site's, or one category's as its newest article spells it. */
export interface ArchiveScope {
  readonly setFolder: string;
  /** The set's name as pages title it: the site's, or the site's and the category's. */
  readonly name: string;
}

/** A period's neighbours that hold articles, by label. */
export interface PeriodNeighbours {
  readonly older?: string;
  readonly newer?: string;
}

/** The archive index: every period of the set, newest first, with how many articles it holds. */
export function renderArchiveIndexFile(
  site: SiteConfig,
  scope: ArchiveScope,
  periods: Readonly<Record<string, number>>,
  windowCount: number,
): FeedFile {
  const labels = Object.keys(periods).sort().reverse();
  const body = renderPage(
    site,
    'archive.liquid',
    {
      language: site.language,
      ...(scope.setFolder === '' ? { current: 'archive' as const } : {}),
      heading: {
        title: `${scope.name}: archive`,
        description: `Every ${site.archivePeriod} of ${scope.name}, with its articles and feeds.`,
        feeds: { folder: scope.setFolder, name: scope.name },
      },
    },
    {
      archive: {
        ...archiveScope(site, scope),
        window_count: windowCount,
        period_kind: site.archivePeriod,
        periods: labels.map((label) => ({ ...periodLink(site, scope, label), count: periods[label] ?? 0 })),
      },
    },
  );
  return htmlFile(archiveIndexPath(scope.setFolder), body);
}

/** One period's page: its articles, newest first, its feeds, and the periods either side. */
export function renderPeriodPageFile(
  site: SiteConfig,
  scope: ArchiveScope,
  period: string,
  articles: readonly Article[],
  neighbours: PeriodNeighbours,
): FeedFile {
  const link = periodLink(site, scope, period);
  const body = renderPage(
    site,
    'period.liquid',
    {
      language: site.language,
      heading: {
        title: `${scope.name}: ${link.label}`,
        description: `What ${scope.name} published in ${link.label}.`,
        feeds: { folder: archiveFolder(scope.setFolder, period), name: `${scope.name} (${link.label})` },
      },
    },
    {
      archive: archiveScope(site, scope),
      period: {
        ...link,
        count: articles.length,
        feeds: feedLinks(site, archiveFolder(scope.setFolder, period)),
        items: articles.map((article) => listedArticle(site, article)),
        older: neighbours.older === undefined ? undefined : periodLink(site, scope, neighbours.older),
        newer: neighbours.newer === undefined ? undefined : periodLink(site, scope, neighbours.newer),
      },
    },
  );
  return htmlFile(`${archiveFolder(scope.setFolder, period)}index.html`, body);
}

/** A period's label in the site's language: "May 2024", or "31 May 2024" for day periods. */
export function periodLabel(site: SiteConfig, period: string): string {
  const [year = 1970, month = 1, day] = period.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day ?? 1));
  return periodFormat(site.language, site.archivePeriod).format(date);
}

const periodFormats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per language and period kind, kept (see siteDay). */
function periodFormat(language: string, kind: ArchivePeriod): Intl.DateTimeFormat {
  const key = `${language} ${kind}`;
  let format = periodFormats.get(key);
  if (!format) {
    // Periods are UTC calendar months and days (periodOf), so they are named in UTC.
    format = new Intl.DateTimeFormat(
      language,
      kind === 'month'
        ? { year: 'numeric', month: 'long', timeZone: 'UTC' }
        : { dateStyle: 'long', timeZone: 'UTC' },
    );
    periodFormats.set(key, format);
  }
  return format;
}

function archiveScope(site: SiteConfig, scope: ArchiveScope) {
  return {
    name: scope.name,
    url: new URL(archiveRoot(scope.setFolder), site.feedBaseUrl).href,
    current_url: new URL(scope.setFolder || './', site.feedBaseUrl).href,
  };
}

function periodLink(site: SiteConfig, scope: ArchiveScope, period: string) {
  return {
    label: periodLabel(site, period),
    url: new URL(archiveFolder(scope.setFolder, period), site.feedBaseUrl).href,
  };
}

/**
 * A period's page is cached as its feeds are (a day, invalidated when rewritten); the index
 * changes with every new article and is cached as the current feeds are.
 */
function htmlFile(path: string, body: string): FeedFile {
  return { path, contentType: htmlMediaType, cacheControl: cachingForPath(path), body };
}
