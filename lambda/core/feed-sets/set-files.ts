import type { Article, FeedFile, SiteConfig } from '../model.ts';
import { feedPaths, renderFeedFiles } from '../render/feed-files.ts';
import { renderCategoryPageFile, subscribePagePath } from '../render/subscribe-file.ts';
import { archiveFolder, categoryNameIn, mainSet } from './feed-set.ts';

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

/** The current feeds of a set: its window, linking to its newest archive page (RFC 5005 prev-archive). */
export function renderWindowFiles(
  site: SiteConfig,
  folder: string,
  window: readonly Article[],
  newestPeriod: string | undefined,
): FeedFile[] {
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

/** Every file a set's current window publishes, for removing an emptied category. */
export function windowPaths(folder: string): string[] {
  return [...feedPaths(folder), ...(folder === mainSet ? [] : [`${folder}${subscribePagePath}`])];
}

/** One archive page of a set: every article of the period that is not in the window. */
export function renderPageFiles(
  site: SiteConfig,
  folder: string,
  period: string,
  articles: readonly Article[],
  neighbours: PageNeighbours,
): FeedFile[] {
  return renderFeedFiles({
    site,
    title: `${setTitle(site, folder, articles[0])} (archive ${period})`,
    folder: archiveFolder(folder, period),
    articles,
    history: {
      archived: true,
      current: folder,
      prevArchive: neighbours.older === undefined ? undefined : archiveFolder(folder, neighbours.older),
      nextArchive: neighbours.newer === undefined ? undefined : archiveFolder(folder, neighbours.newer),
    },
  });
}

/** The neighbours of each period in a sorted list of periods. */
export function neighboursIn(periods: readonly string[], period: string): PageNeighbours {
  const index = periods.indexOf(period);
  return { older: index > 0 ? periods[index - 1] : undefined, newer: periods[index + 1] };
}
