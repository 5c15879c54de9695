import type { Article } from './model.ts';

export interface Visibility {
  /** Newest first; ties broken by id so the order never depends on listing order. */
  readonly visible: readonly Article[];
  readonly drafts: number;
  readonly embargoed: number;
  readonly expired: number;
  /** The next instant an embargo lifts or an article expires. */
  readonly nextChangeAt?: Date;
}

/** Drafts never show; a future date is an embargo until that instant; `expires` hides from that instant on. */
export function partitionByVisibility(articles: readonly Article[], now: Date): Visibility {
  const at = now.getTime();
  let drafts = 0;
  let embargoed = 0;
  let expired = 0;
  const visible: Article[] = [];
  const upcoming: number[] = [];
  for (const article of articles) {
    if (article.draft) {
      drafts += 1;
    } else if (article.published.getTime() > at) {
      embargoed += 1;
      upcoming.push(article.published.getTime());
    } else if (article.expires && article.expires.getTime() <= at) {
      expired += 1;
    } else {
      visible.push(article);
      if (article.expires) upcoming.push(article.expires.getTime());
    }
  }
  visible.sort(newestFirst);
  return {
    visible,
    drafts,
    embargoed,
    expired,
    nextChangeAt: upcoming.length > 0 ? new Date(Math.min(...upcoming)) : undefined,
  };
}

function newestFirst(a: Article, b: Article): number {
  return b.published.getTime() - a.published.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
