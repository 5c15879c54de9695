import { escapeHtml } from '../content/html.ts';
import type { SiteConfig } from '../model.ts';
import { feedUrl } from './feed-document.ts';
import { renderPage } from './page-layout.ts';
import { pageFormats } from './page-parts.ts';
import type { CategoryLink } from './subscribe-page.ts';

/** Where the list of categories is published, linked from every page's header. */
export const categoriesPagePath = 'categories/index.html';

/** Every category by name, each with its page and its three feeds. */
export function renderCategoriesPage(site: SiteConfig, categories: readonly CategoryLink[]): string {
  const sorted = [...categories].sort((a, b) => a.name.localeCompare(b.name, site.language));
  const items = sorted
    .map((category) => {
      const page = escapeHtml(new URL(category.folder, site.feedBaseUrl).href);
      const feeds = pageFormats
        .map(
          ({ format, label }) =>
            `<a href="${escapeHtml(feedUrl(site, category.folder, format))}">${label}</a>`,
        )
        .join(' · ');
      return `<li><a href="${page}">${escapeHtml(category.name)}</a> <span class="meta">${feeds}</span></li>`;
    })
    .join('\n        ');
  return renderPage(site, {
    language: site.language,
    current: 'categories',
    heading: {
      title: `${site.title}: categories`,
      description: `Every category of ${site.title}, with its feeds.`,
      feeds: { folder: '', name: site.title },
    },
    main: `      <h1>Categories</h1>
      <ul>
        ${items || '<li>No categories yet.</li>'}
      </ul>`,
  });
}
