import type { Article } from '../model.ts';
import { categoryFolder } from '../render/feed-folders.ts';
import type { StoredArticle } from '../stored-article.ts';

/**
 * A feed set is one current feed (in three formats) with its archive: the main feeds at '' and
 * one per category at `categories/<slug>/`. It holds every visible article of its kind: the newest
 * `maxItems` in its current window, the rest in archive pages, one per period.
 */
export const mainSet = '';

/** The sets an article shows in: the main feeds and each of its categories (names alike in slug count once). */
export function setsOf(article: Pick<Article, 'categories'>): string[] {
  return [mainSet, ...new Set(article.categories.map(categoryFolder))];
}

/** The article's own spelling of the category a set is for. */
export function categoryNameIn(article: Pick<Article, 'categories'>, folder: string): string | undefined {
  return article.categories.find((name) => categoryFolder(name) === folder);
}

/** What the state keeps of a set: its window in full and how many articles each archive page holds. */
export interface SetManifest {
  readonly folder: string;
  /** Newest first. */
  readonly window: readonly StoredArticle[];
  /** Articles per archive period, for periods that hold any. */
  readonly periods: Readonly<Record<string, number>>;
  /**
   * Counts the commits that changed the set (absent: none yet). Each published file carries the
   * revision it was rendered from, and is never replaced by a file of an earlier one.
   */
  readonly revision?: number;
  /** The tag of each period's shard object (`stateKeys.shard`); absent: the untagged key. */
  readonly shards?: Readonly<Record<string, string>>;
}

/** The articles of one archive period, newest first. */
export type Shard = readonly StoredArticle[];

export function emptyManifest(folder: string): SetManifest {
  return { folder, window: [], periods: {} };
}
