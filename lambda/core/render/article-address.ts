import { sha256Hex } from '../hash.ts';
import type { Article, SiteConfig } from '../model.ts';

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
