import { escapeHtml } from '../content/html.ts';
import type { Article, SiteConfig } from '../model.ts';
import { feedUrl } from './feed-paths.ts';

const latestCount = 10;

/** A plain HTML page that names the feeds, lets browsers and readers discover them, and lists the latest items. */
export function renderSubscribePage(site: SiteConfig, articles: readonly Article[]): string {
  const feeds = [
    { label: 'RSS 2.0', type: 'application/rss+xml', url: feedUrl(site.feedBaseUrl, '', 'rss') },
    { label: 'Atom 1.0', type: 'application/atom+xml', url: feedUrl(site.feedBaseUrl, '', 'atom') },
    { label: 'JSON Feed 1.1', type: 'application/feed+json', url: feedUrl(site.feedBaseUrl, '', 'json') },
  ];
  const title = escapeHtml(site.title);
  const discovery = feeds
    .map(
      (feed) =>
        `<link rel="alternate" type="${feed.type}" title="${title} (${feed.label})" href="${escapeHtml(feed.url)}">`,
    )
    .join('\n    ');
  const feedList = feeds
    .map(
      (feed) =>
        `<li><a href="${escapeHtml(feed.url)}">${feed.label}</a> <code>${escapeHtml(feed.url)}</code></li>`,
    )
    .join('\n        ');
  const latest = articles
    .slice(0, latestCount)
    .map((article) => {
      const heading = article.url
        ? `<a href="${escapeHtml(article.url)}">${escapeHtml(article.title)}</a>`
        : escapeHtml(article.title);
      const iso = article.published.toISOString();
      const summary = article.summary ? `<p>${escapeHtml(article.summary)}</p>` : '';
      return `<li><h3>${heading}</h3><time datetime="${iso}">${iso.slice(0, 10)}</time>${summary}</li>`;
    })
    .join('\n        ');
  return `<!doctype html>
<html lang="${escapeHtml(site.language)}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${title}: subscribe</title>
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
        ${feedList}
      </ul>
      <h2>Latest</h2>
      <ul class="latest">
        ${latest || '<li>Nothing published yet.</li>'}
      </ul>
    </main>
  </body>
</html>
`;
}
