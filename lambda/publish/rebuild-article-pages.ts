import { eachWithNeighbours } from '../core/feed-sets/article-neighbours.ts';
import { mainSet } from '../core/feed-sets/feed-set.ts';
import type { Article } from '../core/model.ts';
import { compareText } from '../core/order.ts';
import { articlePagePath } from '../core/render/article-address.ts';
import type { LinkedArticle } from '../core/render/article-page.ts';

/** An article page the pages phase renders: whose it is, and the neighbours it links. */
export interface PageUnit {
  readonly key: string;
  readonly newer?: LinkedArticle;
  readonly older?: LinkedArticle;
}

/** Article pages one pages step renders, about: a few seconds of reading and drawing. */
export const pageStepRecords = 1_000;

/**
 * Article pages are rendered a share at a time (16 shares, by the first character of the page's
 * folder name), so each step rewrites the ledger objects of one share only (`stateKeys.ledger`
 * groups article pages by the first two characters).
 */
export const pageShares = 16;

export function pageShareOf(page: string): number {
  const share = Number.parseInt(page.charAt('articles/'.length), 16);
  return Number.isNaN(share) ? 0 : share % pageShares;
}

/** The main set's keys of some periods (period -> set -> keys, as a render step reads them), in feed order. */
export function mainOrderOf(
  periods: readonly (readonly [string, Readonly<Record<string, readonly string[]>>])[],
): string[] {
  return [...periods].sort(([a], [b]) => compareText(b, a)).flatMap(([, lists]) => lists[mainSet] ?? []);
}

/**
 * The article pages of one render group, by share, each with its neighbours in the main set.
 * `order` is the group's main set in feed order; `edges` the keys just outside it (the oldest of
 * the next newer group, the newest of the next older); `articles` holds them all. A record that
 * could not be read is left out of the order, as it is left out of the feeds.
 */
export function pageUnitsOf(
  order: readonly string[],
  edges: { readonly newer?: string; readonly older?: string },
  articles: ReadonlyMap<string, Article>,
): Map<number, PageUnit[]> {
  const known = (key: string | undefined) => (key === undefined ? undefined : articles.get(key));
  const present = order.flatMap((key) => articles.get(key) ?? []);
  const units = new Map<number, PageUnit[]>();
  for (const { article, newer, older } of eachWithNeighbours(present, {
    newer: known(edges.newer),
    older: known(edges.older),
  })) {
    const page = articlePagePath(article);
    if (page === undefined) continue;
    const share = pageShareOf(page);
    units.set(share, [
      ...(units.get(share) ?? []),
      { key: article.key, newer: linkOf(newer), older: linkOf(older) },
    ]);
  }
  return units;
}

function linkOf(article: Article | undefined): LinkedArticle | undefined {
  return article && { id: article.id, url: article.url, title: article.title };
}

/**
 * The pages steps: each takes one share's units of consecutive render groups, up to
 * `pageStepRecords` (a group's units are never split). Answers `share first last` per step.
 */
export function pageSteps(counts: ReadonlyMap<number, Readonly<Record<string, number>>>): string[] {
  const steps: string[] = [];
  const groups = [...counts.keys()].sort((a, b) => a - b);
  for (let share = 0; share < pageShares; share += 1) {
    let run: number[] = [];
    let records = 0;
    for (const group of groups) {
      const count = counts.get(group)?.[share] ?? 0;
      if (count === 0) continue;
      if (run.length > 0 && records + count > pageStepRecords) {
        steps.push(`${share} ${run[0]} ${run.at(-1)}`);
        run = [];
        records = 0;
      }
      run.push(group);
      records += count;
    }
    if (run.length > 0) steps.push(`${share} ${run[0]} ${run.at(-1)}`);
  }
  return steps;
}
