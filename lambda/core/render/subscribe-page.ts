import { escapeHtml } from '../content/html.ts';
import type { Article, SiteConfig } from '../model.ts';
import { articleLink } from './article-page.ts';
import { feedUrl } from './feed-document.ts';
import { renderPage } from './page-layout.ts';
import { pageFormats as formats, siteDay } from './page-parts.ts';

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
  const title = escapeHtml(name);
  const mainFeeds = formats
    .map(({ format, label }) => {
      const url = escapeHtml(feedUrl(site, scope.folder, format));
      return `<li><a href="${url}">${label}</a>: <code>${url}</code></li>`;
    })
    .join('\n        ');
  const rss = feedUrl(site, scope.folder, 'rss');
  const oneClick = readers
    .map(
      (reader) => `<a href="${escapeHtml(reader.link(rss))}" rel="nofollow">${escapeHtml(reader.name)}</a>`,
    )
    .join(' · ');
  const categoryFeeds = categories
    .map((category) => {
      const links = formats
        .map(
          ({ format, label }) =>
            `<a href="${escapeHtml(feedUrl(site, category.folder, format))}">${label}</a>`,
        )
        .join(' · ');
      const page = escapeHtml(new URL(category.folder, site.feedBaseUrl).href);
      return `<li><a href="${page}">${escapeHtml(category.name)}</a>: ${links}</li>`;
    })
    .join('\n        ');
  const day = siteDay(site);
  const latest = articles
    .slice(0, subscribePageItems)
    .map((article) => {
      const heading = `<a href="${escapeHtml(articleLink(site, article))}">${escapeHtml(article.title)}</a>`;
      const iso = article.published.toISOString();
      const summary = article.summary ? `\n          <p>${escapeHtml(article.summary)}</p>` : '';
      return `<li>\n          <h3>${heading}</h3>\n          <time datetime="${iso}">${escapeHtml(day.format(article.published))}</time>${summary}\n        </li>`;
    })
    .join('\n        ');
  const categorySection = categoryFeeds
    ? `\n      <h2>By category</h2>\n      <ul>\n        ${categoryFeeds}\n      </ul>`
    : '';
  const back =
    scope.folder === ''
      ? ''
      : `\n      <p><a href="${escapeHtml(new URL('./', site.feedBaseUrl).href)}">All of ${escapeHtml(site.title)}</a></p>`;
  return renderPage(site, {
    language: site.language,
    ...(scope.folder === '' ? { current: 'subscribe' as const } : {}),
    heading: {
      title: `${name}: subscribe`,
      description: site.description,
      feeds: { folder: scope.folder, name },
    },
    main: `      <h1>${title}</h1>
      <p>${escapeHtml(site.description)}</p>
      <h2>Subscribe</h2>
      <p>In one click: ${oneClick}.</p>
      <p>Or copy a feed address into your feed reader. Any reader takes RSS; pick Atom if yours
      offers it, for exact dates and full text; JSON Feed suits newer readers and scripts.</p>
      <ul>
        ${mainFeeds}
      </ul>${categorySection}${back}
      <h2>Latest</h2>
      <ul class="latest">
        ${latest || '<li>Nothing published yet.</li>'}
      </ul>`,
  });
}
