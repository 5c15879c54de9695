import type { Article, FeedFile, SiteConfig } from '../model.ts';
import { categoriesPagePath, renderCategoriesPage } from './categories-page.ts';
import { currentCaching, htmlMediaType } from './file-headers.ts';
import { renderSubscribePage, subscribePageItems } from './subscribe-page.ts';

export const subscribePagePath = 'index.html';

/** The pages about the whole site, rendered together whenever the main window or the categories change. */
export const sitePagePaths: readonly string[] = [subscribePagePath, categoriesPagePath];

/** The subscribe page and the list of categories. */
export function renderSitePageFiles(
  site: SiteConfig,
  mainWindow: readonly Article[],
  categories: Readonly<Record<string, string>>,
): FeedFile[] {
  const links = Object.entries(categories).map(([folder, name]) => ({ name, folder }));
  return [
    renderSubscribePageFile(site, mainWindow, categories),
    {
      path: categoriesPagePath,
      contentType: htmlMediaType,
      cacheControl: currentCaching,
      body: renderCategoriesPage(site, links),
    },
  ];
}

/** The subscribe page: the site's feeds, its categories' feeds, and the latest items of the main window. */
function renderSubscribePageFile(
  site: SiteConfig,
  mainWindow: readonly Article[],
  categories: Readonly<Record<string, string>>,
): FeedFile {
  const links = Object.entries(categories).map(([folder, name]) => ({ name, folder }));
  return {
    path: subscribePagePath,
    contentType: htmlMediaType,
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
    contentType: htmlMediaType,
    cacheControl: currentCaching,
    body: renderSubscribePage(site, window.slice(0, subscribePageItems), [], { folder, name }),
  };
}
