import type { Article, SiteConfig } from '../model.ts';
import { listedArticle } from './article-page.ts';
import { feedUrl } from './feed-document.ts';
import { feedLinks, renderPage } from './page-layout.ts';
import { rssFormat } from './rss.ts';

/** A category's feeds, as the subscribe page lists them. */
export interface CategoryLink {
  readonly name: string;
  readonly folder: string;
}

/** Items the subscribe page lists. */
export const subscribePageItems = 10;
/** Web feed readers that subscribe from a link, each given the feed's address. */
const readers: readonly { name: string; link: (feed: string) => string }[] = [
  { name: 'Feedly', link: (feed) => `https://feedly.com/i/subscription/feed/${encodeURIComponent(feed)}` },
  { name: 'Inoreader', link: (feed) => `https://www.inoreader.com/?add_feed=${encodeURIComponent(feed)}` },
  { name: 'NewsBlur', link: (feed) => `https://www.newsblur.com/?url=${encodeURIComponent(feed)}` },
  {
    name: 'The Old Reader',
    link: (feed) => `https://theoldreader.com/feeds/subscribe?url=${encodeURIComponent(feed)}`,
  },
];

/** Whose page it is: the site's (folder '') or one category's. */
export interface SubscribeScope {
  readonly folder: string;
  /** The category's name; undefined for the site's own page. */
  readonly name?: string;
}

/**
 * A plain HTML page that names the feeds, says which to pick, subscribes in one click in the
 * common web readers, lets browsers and readers discover the feeds, and lists the latest items,
 * dated on the site's clock. Self-contained: no scripts, no external requests, no XSLT.
 */
export function renderSubscribePage(
  site: SiteConfig,
  articles: readonly Article[],
  categories: readonly CategoryLink[],
  scope: SubscribeScope = { folder: '' },
): string {
  const name = scope.name === undefined ? site.title : `${site.title}: ${scope.name}`;
  const rss = feedUrl(site, scope.folder, rssFormat);
  return renderPage(
    site,
    'subscribe.liquid',
    {
      language: site.language,
      ...(scope.folder === '' ? { current: 'subscribe' as const } : {}),
      heading: {
        title: `${name}: subscribe`,
        description: site.description,
        feeds: { folder: scope.folder, name },
      },
    },
    {
      scope: {
        name,
        category: scope.name,
        is_category: scope.folder !== '',
        feeds: feedLinks(site, scope.folder),
      },
      readers: readers.map((reader) => ({ name: reader.name, url: reader.link(rss) })),
      categories: categoryViews(site, categories),
      latest: articles.slice(0, subscribePageItems).map((article) => listedArticle(site, article)),
    },
  );
}

/** Categories as pages list them: name, page and feeds. */
export function categoryViews(site: SiteConfig, categories: readonly CategoryLink[]) {
  return categories.map((category) => ({
    name: category.name,
    url: new URL(category.folder, site.feedBaseUrl).href,
    feeds: feedLinks(site, category.folder),
  }));
}
