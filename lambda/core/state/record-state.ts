import { mainSet, setsOf } from '../feed-sets/feed-set.ts';
import type { Article, RecordError } from '../model.ts';
import { type ArchivePeriod, periodOf } from '../periods.ts';
import { articlePagePath } from '../render/article-address.ts';
import { loadArticle, type StoredArticle } from '../stored-article.ts';
import { type VisibilityState, visibilityOf } from '../visibility.ts';
import type { RecordDelta } from './site-state.ts';

/**
 * What the publisher remembers of one record: one small object per record, written only when
 * that record changes. It holds drafts and embargoed text, so it lives where nothing is served.
 */
export interface RecordState {
  readonly key: string;
  /** The version last read (S3 ETag, or a content hash for a local folder). */
  readonly etag: string;
  /** The S3 event sequencer of that version, when an event named it: older events are ignored. */
  readonly sequencer?: string;
  /** The id ledger entry: once published under an id, the record keeps it. */
  readonly id?: string;
  /** When the record got its id (ISO 8601). */
  readonly since?: string;
  /** Problems found when it was last read; reported every publish until the record changes. */
  readonly errors?: readonly RecordError[];
  /** The last good version: it stays published while the record is invalid. */
  readonly article?: StoredArticle;
  /** Where the article sits in the feeds now: its archive period and its sets. Absent when not visible. */
  readonly placed?: Placement;
  readonly visibility?: VisibilityState;
  /** The record is gone; its state stays only until the sets and the site state know it. */
  readonly gone?: true;
  /** A change decided and written here first, which the sets and the site state may not know yet. */
  readonly unsettled?: Unsettled;
}

/**
 * The record state is where a change is decided (by a conditional write) before the sets and the
 * site state follow it; until they have, whoever reads the state next finishes the job. A
 * publish that dies halfway therefore leaves nothing a later one cannot see.
 */
export interface Unsettled {
  /** Earlier placements the record may still sit in. */
  readonly from: readonly Placement[];
  /** Site-state changes not yet known to be applied; each has an id, so it counts once. */
  readonly deltas: readonly RecordDelta[];
}

export interface Placement {
  readonly period: string;
  readonly sets: readonly string[];
  /** The article's own page, for an article without a url (see `articlePagePath`). */
  readonly page?: string;
}

/** The record's article as it should show now: where it sits, and when that changes on its own. */
export function placementOf(
  article: Article | undefined,
  now: Date,
  period: ArchivePeriod,
): { placed?: Placement; visibility?: VisibilityState; changesAt?: Date } {
  if (!article) return {};
  const { state, changesAt } = visibilityOf(article, now);
  const page = articlePagePath(article);
  const placed =
    state === 'published'
      ? { period: periodOf(article.published, period), sets: setsOf(article), ...(page ? { page } : {}) }
      : undefined;
  return { placed, visibility: state, changesAt };
}

/**
 * A set a record's change touches: the record may leave these periods of it, and is put wherever
 * its record state says when the set's change is applied.
 */
export interface SetTouch {
  readonly folder: string;
  readonly key: string;
  readonly periods: readonly string[];
  /** An earlier run left this change unsettled: its files may be half written, render them all. */
  readonly again?: boolean;
  /** Article pages the record may have (main set only). */
  readonly pages?: readonly string[];
}

/** The sets of every placement given, each with the periods the record may sit in there. */
export function setTouches(
  key: string,
  placements: readonly (Placement | undefined)[],
  again = false,
): SetTouch[] {
  const periods = new Map<string, Set<string>>();
  for (const placement of placements) {
    for (const folder of placement?.sets ?? []) {
      const known = periods.get(folder) ?? new Set<string>();
      if (placement) known.add(placement.period);
      periods.set(folder, known);
    }
  }
  const pages = [...new Set(placements.flatMap((placement) => placement?.page ?? []))];
  return [...periods].map(([folder, found]) => ({
    folder,
    key,
    periods: [...found],
    ...(again ? { again } : {}),
    ...(folder === mainSet && pages.length > 0 ? { pages } : {}),
  }));
}

/** Whether the feeds show a record differently after a change: another place, or other content. */
export function placementChanged(
  before: { placed?: Placement; article?: StoredArticle } | undefined,
  after: { placed?: Placement; article?: StoredArticle },
): boolean {
  return (
    JSON.stringify(before?.placed) !== JSON.stringify(after.placed) ||
    (after.placed !== undefined && JSON.stringify(before?.article) !== JSON.stringify(after.article))
  );
}

export function articleOf(state: RecordState | undefined): Article | undefined {
  return state?.article ? loadArticle(state.article) : undefined;
}
