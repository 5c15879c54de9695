import type { Article, FeedFile, SiteConfig } from '../model.ts';
import { currentCaching, mediaTypes } from './feed-files.ts';
import { renderSubscribePage, subscribePageItems } from './subscribe-page.ts';

export const subscribePagePath = 'index.html';

/** The subscribe page: the site's feeds, its categories' feeds, and the latest items of the main window. */
export function renderSubscribePageFile(
  site: SiteConfig,
  mainWindow: readonly Article[],
  categories: Readonly<Record<string, string>>,
): FeedFile {
  const links = Object.entries(categories).map(([folder, name]) => ({ name, folder }));
  return {
    path: subscribePagePath,
    contentType: mediaTypes.html,
    cacheControl: currentCaching,
    body: renderSubscribePage(site, mainWindow.slice(0, subscribePageItems), links),
  };
}

/** A category's own subscribe page, at its folder: its feeds and its latest items. */
export function renderCategoryPageFile(
  site: SiteConfig,
  folder: string,
  name: string,
  window: readonly Article[],
): FeedFile {
  return {
    path: `${folder}${subscribePagePath}`,
    contentType: mediaTypes.html,
    cacheControl: currentCaching,
    body: renderSubscribePage(site, window.slice(0, subscribePageItems), [], { folder, name }),
  };
}
