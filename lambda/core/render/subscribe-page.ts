import { escapeHtml } from '../content/html.ts';
import type { Article, SiteConfig } from '../model.ts';
import { type FeedFormat, feedUrl } from './feed-document.ts';

/** A category's feeds, as the subscribe page lists them. */
export interface CategoryLink {
  readonly name: string;
  readonly folder: string;
}

/** Items the subscribe page lists. */
export const subscribePageItems = 10;
const formats: readonly { format: FeedFormat; label: string; type: string }[] = [
  { format: 'rss', label: 'RSS', type: 'application/rss+xml' },
  { format: 'atom', label: 'Atom', type: 'application/atom+xml' },
  { format: 'json', label: 'JSON Feed', type: 'application/feed+json' },
];

/**
 * A plain HTML page that names the feeds, lets browsers and readers discover them, and lists the
 * latest items. Self-contained: no scripts, no external requests, no XSLT.
 */
export function renderSubscribePage(
  site: SiteConfig,
  articles: readonly Article[],
  categories: readonly CategoryLink[],
): string {
  const title = escapeHtml(site.title);
  const discovery = formats
    .map(
      ({ format, label, type }) =>
        `<link rel="alternate" type="${type}" title="${title} (${label})" href="${escapeHtml(feedUrl(site, '', format))}">`,
    )
    .join('\n    ');
  const mainFeeds = formats
    .map(({ format, label }) => {
      const url = escapeHtml(feedUrl(site, '', format));
      return `<li><a href="${url}">${label}</a>: <code>${url}</code></li>`;
    })
    .join('\n        ');
  const categoryFeeds = categories
    .map((category) => {
      const links = formats
        .map(
          ({ format, label }) =>
            `<a href="${escapeHtml(feedUrl(site, category.folder, format))}">${label}</a>`,
        )
        .join(' · ');
      return `<li>${escapeHtml(category.name)}: ${links}</li>`;
    })
    .join('\n        ');
  const latest = articles
    .slice(0, subscribePageItems)
    .map((article) => {
      const heading = article.url
        ? `<a href="${escapeHtml(article.url)}">${escapeHtml(article.title)}</a>`
        : escapeHtml(article.title);
      const iso = article.published.toISOString();
      const summary = article.summary ? `\n          <p>${escapeHtml(article.summary)}</p>` : '';
      return `<li>\n          <h3>${heading}</h3>\n          <time datetime="${iso}">${iso.slice(0, 10)}</time>${summary}\n        </li>`;
    })
    .join('\n        ');
  const categorySection = categoryFeeds
    ? `\n      <h2>By category</h2>\n      <ul>\n        ${categoryFeeds}\n      </ul>`
    : '';
  return `<!DOCTYPE html>
<html lang="${escapeHtml(site.language)}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${title}: subscribe</title>
    <meta name="description" content="${escapeHtml(site.description)}">
    <link rel="icon" href="${site.iconUrl ? escapeHtml(site.iconUrl) : 'data:,'}">
    ${discovery}
    <style>
      body { font: 1rem/1.5 system-ui, sans-serif; max-width: 42rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
      code { word-break: break-all; font-size: 0.85em; }
      h3 { margin-bottom: 0; font-size: 1.05rem; }
      time { color: #555; font-size: 0.9em; }
      ul.latest { list-style: none; padding: 0; }
    </style>
  </head>
  <body>
    <main>
      <h1>${title}</h1>
      <p>${escapeHtml(site.description)}</p>
      <h2>Subscribe</h2>
      <p>Copy a feed address into your feed reader:</p>
      <ul>
        ${mainFeeds}
      </ul>${categorySection}
      <h2>Latest</h2>
      <ul class="latest">
        ${latest || '<li>Nothing published yet.</li>'}
      </ul>
    </main>
  </body>
</html>
`;
}
