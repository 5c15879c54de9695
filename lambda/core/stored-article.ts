import type { Article } from './model.ts';

/** An Article with its dates as ISO 8601 text, as stored in JSON. */
export type StoredArticle = Omit<Article, 'published' | 'updated' | 'expires'> & {
  readonly published: string;
  readonly updated: string;
  readonly expires?: string;
};

export function storeArticle(article: Article): StoredArticle {
  return {
    ...article,
    published: article.published.toISOString(),
    updated: article.updated.toISOString(),
    expires: article.expires?.toISOString(),
  };
}

export function loadArticle(stored: StoredArticle): Article {
  return {
    ...stored,
    published: new Date(stored.published),
    updated: new Date(stored.updated),
    expires: stored.expires === undefined ? undefined : new Date(stored.expires),
  };
}
