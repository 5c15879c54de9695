import type { Article } from './model.ts';

/** Code-unit order: the same on every machine, unlike localeCompare. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Feed order: newest first; ties broken by id so the order never depends on how articles arrived. */
export function newestFirst(a: Pick<Article, 'published' | 'id'>, b: Pick<Article, 'published' | 'id'>) {
  return b.published.getTime() - a.published.getTime() || compareText(a.id, b.id);
}
