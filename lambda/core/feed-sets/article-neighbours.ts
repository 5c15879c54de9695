import type { ArticleNeighbours, LinkedArticle } from '../render/article-page.ts';

/** What finding neighbours needs of an article: which it is, and what a page links of it. */
export type TimelineArticle = LinkedArticle & { readonly key: string; readonly published: Date | string };

/** Where an article sits in a set: its window, or an archive period. */
export const windowSegment = '';

/**
 * The main set in feed order as the state holds it: the window, then each archive period,
 * newest first, each read only when asked for (a period not read yet makes `read` throw for it).
 */
export interface Timeline<T extends TimelineArticle> {
  /** `windowSegment`, then the periods that hold articles, newest first. */
  readonly segments: readonly string[];
  readonly read: (segment: string) => readonly T[];
}

/** An article's neighbour, with the segment it sits in. */
export interface Neighbour<T> {
  readonly article: T;
  readonly segment: string;
}

/** An article as found in a timeline, with its neighbours. */
export interface Surroundings<T> {
  readonly article: T;
  readonly newer?: Neighbour<T>;
  readonly older?: Neighbour<T>;
}

/**
 * The next newer and next older article of the one with `key` in `segment`; undefined when it is
 * not there. Reads the adjacent segment only when the article is at an edge of its own.
 */
export function neighboursIn<T extends TimelineArticle>(
  timeline: Timeline<T>,
  segment: string,
  key: string,
): Surroundings<T> | undefined {
  const index = timeline.segments.indexOf(segment);
  if (index < 0) return undefined;
  const list = timeline.read(segment);
  const at = list.findIndex((article) => article.key === key);
  if (at < 0) return undefined;
  const newer = list[at - 1];
  const older = list[at + 1];
  return {
    article: list[at] as T,
    newer: newer ? { article: newer, segment } : edgeOf(timeline, index, -1),
    older: older ? { article: older, segment } : edgeOf(timeline, index, 1),
  };
}

/** The nearest article past segment `index` in one direction: the last of a newer one, the first of an older. */
function edgeOf<T extends TimelineArticle>(
  timeline: Timeline<T>,
  index: number,
  step: 1 | -1,
): Neighbour<T> | undefined {
  for (let next = index + step; next >= 0 && next < timeline.segments.length; next += step) {
    const segment = timeline.segments[next] ?? windowSegment;
    const list = timeline.read(segment);
    const article = step === 1 ? list[0] : list.at(-1);
    if (article) return { article, segment };
  }
  return undefined;
}

/** The articles themselves, as the page of the article between them takes them. */
export function linkedNeighbours<T extends TimelineArticle>(
  found: Surroundings<T> | undefined,
): ArticleNeighbours {
  return { newer: found?.newer?.article, older: found?.older?.article };
}

/**
 * Each of some consecutive articles of the main set (in feed order) with its neighbours, given the
 * article just past each end (none at the ends of the set).
 */
export function eachWithNeighbours<T extends LinkedArticle>(
  articles: readonly T[],
  edges: { readonly newer?: T; readonly older?: T } = {},
): { readonly article: T; readonly newer?: T; readonly older?: T }[] {
  return articles.map((article, index) => ({
    article,
    newer: index === 0 ? edges.newer : articles[index - 1],
    older: index === articles.length - 1 ? edges.older : articles[index + 1],
  }));
}
