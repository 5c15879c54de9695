import { articleHtml } from '../content/article-html.ts';
import { escapeHtml } from '../content/html.ts';
import { categoryFolder } from '../feed-sets/feed-set.ts';
import { sha256Hex } from '../hash.ts';
import type { Article, FeedFile, SiteConfig } from '../model.ts';
import { currentCaching, mediaTypes } from './feed-files.ts';
import { renderPage } from './page-layout.ts';
import { siteDay } from './page-parts.ts';

/** Where article pages live under the feeds root. */
export const articlePagesFolder = 'articles/';

/**
 * The folder of an article's own page (`articles/<name>/`), named after its id: an id never
 * changes, so neither does the page's address, whatever is edited and wherever the record moves.
 */
export function articlePageFolder(article: Pick<Article, 'id'>): string {
  const uuid = /^urn:uuid:([0-9a-f-]{36})$/i.exec(article.id)?.[1];
  const name = uuid ?? sha256Hex(article.id).slice(0, 32);
  return `${articlePagesFolder}${name.toLowerCase()}/`;
}

/** The page of an article that has no `url` of its own; undefined when it has one. */
export function articlePagePath(
  article: Pick<Article, 'id'> & { readonly url?: string },
): string | undefined {
  return article.url === undefined ? `${articlePageFolder(article)}index.html` : undefined;
}

/** The address readers open for an article: its own `url`, or the page published for it. */
export function articleLink(site: SiteConfig, article: Pick<Article, 'id' | 'url'>): string {
  return article.url ?? new URL(articlePageFolder(article), site.feedBaseUrl).href;
}

/** The article's page, when it has no `url` of its own. */
export function renderArticlePageFile(site: SiteConfig, article: Article): FeedFile | undefined {
  const path = articlePagePath(article);
  if (path === undefined) return undefined;
  return {
    path,
    contentType: mediaTypes.html,
    cacheControl: currentCaching,
    body: renderArticlePage(site, article),
  };
}

/**
 * A plain HTML page of one article: title, dateline and date on the site's clock, authors, photo
 * with caption and credit, the sanitized body, its categories and the feeds. No scripts; nothing
 * outside the site is requested but the article's own images.
 */
export function renderArticlePage(site: SiteConfig, article: Article): string {
  const day = siteDay(site);
  const byline = article.authors
    .map((person) =>
      person.url
        ? `<a href="${escapeHtml(person.url)}" rel="author">${escapeHtml(person.name)}</a>`
        : escapeHtml(person.name),
    )
    .join(', ');
  const meta = [
    article.dateline ? `<span class="dateline">${escapeHtml(article.dateline)}</span>` : '',
    `<time datetime="${article.published.toISOString()}">${escapeHtml(day.format(article.published))}</time>`,
    byline ? `<span class="byline">${byline}</span>` : '',
  ].filter((part) => part !== '');
  const categories = article.categories
    .map((name) => {
      const page = new URL(encodeURI(categoryFolder(name)), site.feedBaseUrl).href;
      return `<li><a href="${escapeHtml(page)}">${escapeHtml(name)}</a></li>`;
    })
    .join('\n          ');
  const categorySection = categories
    ? `\n      <nav aria-label="Categories">\n        <ul class="categories">\n          ${categories}\n        </ul>\n      </nav>`
    : '';
  return renderPage(site, {
    language: article.language ?? site.language,
    heading: {
      title: `${article.title} · ${site.title}`,
      description: article.summary ?? site.description,
      feeds: { folder: '', name: site.title },
    },
    main: `      <article>
        <h1>${escapeHtml(article.title)}</h1>
        <p class="meta">${meta.join(' · ')}</p>
        ${articleHtml(article)}
      </article>${categorySection}`,
  });
}
