import type { SiteConfig } from '../model.ts';
import { renderPage } from './page-layout.ts';
import { type CategoryLink, categoryViews } from './subscribe-page.ts';

/** Where the list of categories is published, linked from every page's header. */
export const categoriesPagePath = 'categories/index.html';

/** Every category by name, each with its page and its three feeds. */
export function renderCategoriesPage(site: SiteConfig, categories: readonly CategoryLink[]): string {
  const sorted = [...categories].sort((a, b) => a.name.localeCompare(b.name, site.language));
  return renderPage(
    site,
    'categories.liquid',
    {
      language: site.language,
      current: 'categories',
      heading: {
        title: `${site.title}: categories`,
        description: `Every category of ${site.title}, with its feeds.`,
        feeds: { folder: '', name: site.title },
      },
    },
    { categories: categoryViews(site, sorted) },
  );
}
