import type { Article } from './model.ts';
import { newestFirst } from './order.ts';

export type VisibilityState = 'published' | 'draft' | 'embargoed' | 'expired';

export interface ArticleVisibility {
  readonly state: VisibilityState;
  /** When this article's visibility changes next on its own: its embargo lifts or it expires. */
  readonly changesAt?: Date;
}

/** Drafts never show; a future date is an embargo until that instant; `expires` hides from that instant on. */
export function visibilityOf(article: Article, now: Date): ArticleVisibility {
  const at = now.getTime();
  if (article.draft) return { state: 'draft' };
  if (article.published.getTime() > at) return { state: 'embargoed', changesAt: article.published };
  if (article.expires && article.expires.getTime() <= at) return { state: 'expired' };
  return { state: 'published', changesAt: article.expires };
}

export interface Visibility {
  /** Newest first; ties broken by id so the order never depends on listing order. */
  readonly visible: readonly Article[];
  readonly drafts: number;
  readonly embargoed: number;
  readonly expired: number;
  /** The next instant an embargo lifts or an article expires. */
  readonly nextChangeAt?: Date;
}

/**
 * `preview` shows drafts and embargoed articles as if published (a local preview, never
 * written anywhere).
 */
export function partitionByVisibility(articles: readonly Article[], now: Date, preview = false): Visibility {
  const counts: Record<VisibilityState, number> = { published: 0, draft: 0, embargoed: 0, expired: 0 };
  const visible: Article[] = [];
  const upcoming: number[] = [];
  for (const article of articles) {
    const { state, changesAt } = visibilityOf(article, now);
    counts[state] += 1;
    if (state === 'published' || (preview && (state === 'draft' || state === 'embargoed')))
      visible.push(article);
    if (changesAt) upcoming.push(changesAt.getTime());
  }
  visible.sort(newestFirst);
  return {
    visible,
    drafts: counts.draft,
    embargoed: counts.embargoed,
    expired: counts.expired,
    nextChangeAt: upcoming.length > 0 ? new Date(Math.min(...upcoming)) : undefined,
  };
}
