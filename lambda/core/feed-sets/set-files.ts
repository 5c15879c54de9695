import type { Article, FeedFile, SiteConfig } from '../model.ts';
import { archiveIndexPath, renderArchiveIndexFile, renderPeriodPageFile } from '../render/archive-pages.ts';
import { feedPaths, renderFeedFiles } from '../render/feed-files.ts';
import { archiveFolder } from '../render/feed-folders.ts';
import { renderCategoryPageFile, subscribePagePath } from '../render/subscribe-file.ts';
import { categoryNameIn, mainSet } from './feed-set.ts';

/** Where a set's archive pages link: the next older and next newer period that holds articles. */
export interface PageNeighbours {
  readonly older?: string;
  readonly newer?: string;
}

/**
 * A set's title: the site's, or the site's and the category as the newest article spells it.
 * For an archive page "newest" is the page's own newest article, so a page depends on nothing
 * outside it and is rewritten only when an article in it changes.
 */
function setTitle(site: SiteConfig, folder: string, newest: Article | undefined): string {
  if (folder === mainSet) return site.title;
  const name = newest ? categoryNameIn(newest, folder) : undefined;
  return name ? `${site.title}: ${name}` : site.title;
}

/** Every current file of a set: its window's files and its archive index. */
export function renderCurrentFiles(
  site: SiteConfig,
  folder: string,
  window: readonly Article[],
  periods: Readonly<Record<string, number>>,
): FeedFile[] {
  return [
    ...renderWindowFiles(site, folder, window, periods),
    renderArchiveIndex(site, folder, window, periods),
  ];
}

/**
 * The files of a set's window: its feeds (linking to its newest archive page, RFC 5005
 * prev-archive) and a category's own page.
 */
export function renderWindowFiles(
  site: SiteConfig,
  folder: string,
  window: readonly Article[],
  periods: Readonly<Record<string, number>>,
): FeedFile[] {
  const newestPeriod = Object.keys(periods).sort().at(-1);
  const feeds = renderFeedFiles({
    site,
    title: setTitle(site, folder, window[0]),
    folder,
    articles: window,
    history: {
      archived: false,
      prevArchive: newestPeriod === undefined ? undefined : archiveFolder(folder, newestPeriod),
    },
  });
  // A category answers at its folder with a page of its own; the site's page is rendered apart,
  // since it lists every category.
  const name = folder === mainSet || !window[0] ? undefined : categoryNameIn(window[0], folder);
  return name === undefined ? feeds : [...feeds, renderCategoryPageFile(site, folder, name, window)];
}

/** The page that lists a set's archive periods with their counts. */
export function renderArchiveIndex(
  site: SiteConfig,
  folder: string,
  window: readonly Article[],
  periods: Readonly<Record<string, number>>,
): FeedFile {
  const scope = { setFolder: folder, name: setTitle(site, folder, window[0]) };
  return renderArchiveIndexFile(site, scope, periods, window.length);
}

/** Every file a set's current window publishes, for removing an emptied category. */
export function windowPaths(folder: string): string[] {
  return [
    ...feedPaths(folder),
    ...(folder === mainSet ? [] : [`${folder}${subscribePagePath}`]),
    archiveIndexPath(folder),
  ];
}

/** Every file one archive period of a set publishes: its feeds and its page. */
export function periodPaths(folder: string, period: string): string[] {
  const archive = archiveFolder(folder, period);
  return [...feedPaths(archive), `${archive}${subscribePagePath}`];
}

/** One archive page of a set: every article of the period that is not in the window. */
export function renderPageFiles(
  site: SiteConfig,
  folder: string,
  period: string,
  articles: readonly Article[],
  neighbours: PageNeighbours,
): FeedFile[] {
  const name = setTitle(site, folder, articles[0]);
  const feeds = renderFeedFiles({
    site,
    title: `${name} (archive ${period})`,
    folder: archiveFolder(folder, period),
    articles,
    history: {
      archived: true,
      current: folder,
      prevArchive: neighbours.older === undefined ? undefined : archiveFolder(folder, neighbours.older),
      nextArchive: neighbours.newer === undefined ? undefined : archiveFolder(folder, neighbours.newer),
    },
  });
  return [...feeds, renderPeriodPageFile(site, { setFolder: folder, name }, period, articles, neighbours)];
}

/** The neighbours of each period in a sorted list of periods. */
export function neighboursIn(periods: readonly string[], period: string): PageNeighbours {
  const index = periods.indexOf(period);
  return { older: index > 0 ? periods[index - 1] : undefined, newer: periods[index + 1] };
}
