import { articleHtml } from '../content/article-html.ts';
import type { Article, FeedFile, SiteConfig } from '../model.ts';
import { articleLink, articlePagePath } from './article-address.ts';
import { categoryFolder } from './feed-folders.ts';
import { currentCaching, htmlMediaType } from './file-headers.ts';
import { renderPage, safeLink } from './page-layout.ts';
import { siteDay } from './page-parts.ts';

/** An article as lists of articles show it: linked title, date on the site's clock, summary. */
export function listedArticle(site: SiteConfig, article: Article) {
  return {
    title: article.title,
    url: safeLink(articleLink(site, article)),
    date: siteDay(site).format(article.published),
    date_iso: article.published.toISOString(),
    summary: article.summary,
  };
}

/** What an article page shows of another article: its title and address. */
export type LinkedArticle = Pick<Article, 'id' | 'url' | 'title'>;

/** An article's neighbours in the main feed's order: the next newer and the next older article. */
export interface ArticleNeighbours {
  readonly newer?: LinkedArticle;
  readonly older?: LinkedArticle;
}

/** The neighbours as the page shows them: equal when the page would link them alike. */
export function neighbourLinks(site: SiteConfig, neighbours: ArticleNeighbours) {
  const linked = (article: LinkedArticle | undefined) =>
    article && { title: article.title, url: safeLink(articleLink(site, article)) };
  return { newer: linked(neighbours.newer), older: linked(neighbours.older) };
}

/** The article's page, when it has no `url` of its own. */
export function renderArticlePageFile(
  site: SiteConfig,
  article: Article,
  neighbours: ArticleNeighbours = {},
): FeedFile | undefined {
  const path = articlePagePath(article);
  if (path === undefined) return undefined;
  return {
    path,
    contentType: htmlMediaType,
    cacheControl: currentCaching,
    body: renderArticlePage(site, article, neighbours),
  };
}

/**
 * A plain HTML page of one article: title, dateline and date on the site's clock, authors, photo
 * with caption and credit, the sanitized body, its categories, links to the next newer and older
 * article, and the feeds. No scripts; nothing outside the site is requested but the article's own
 * images.
 */
export function renderArticlePage(
  site: SiteConfig,
  article: Article,
  neighbours: ArticleNeighbours = {},
): string {
  const day = siteDay(site);
  return renderPage(
    site,
    'article.liquid',
    {
      language: article.language ?? site.language,
      heading: {
        title: `${article.title} · ${site.title}`,
        description: article.summary ?? site.description,
        feeds: { folder: '', name: site.title },
      },
    },
    {
      article: {
        title: article.title,
        summary: article.summary,
        dateline: article.dateline,
        date: day.format(article.published),
        date_iso: article.published.toISOString(),
        authors: article.authors.map((person) => ({ name: person.name, url: safeLink(person.url) })),
        categories: article.categories.map((name) => ({
          name,
          url: new URL(encodeURI(categoryFolder(name)), site.feedBaseUrl).href,
        })),
        content: articleHtml(article),
        ...neighbourLinks(site, neighbours),
      },
    },
  );
}
