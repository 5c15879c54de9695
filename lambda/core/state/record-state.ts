import { setsOf } from '../feed-sets/feed-set.ts';
import type { Article, RecordError } from '../model.ts';
import { type ArchivePeriod, periodOf } from '../periods.ts';
import { type VisibilityState, visibilityOf } from '../visibility.ts';
import { loadArticle, type StoredArticle, storeArticle } from './stored-article.ts';

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
}

export interface Placement {
  readonly period: string;
  readonly sets: readonly string[];
}

/** The record's article as it should show now: where it sits, and when that changes on its own. */
export function placementOf(
  article: Article | undefined,
  now: Date,
  period: ArchivePeriod,
): { placed?: Placement; visibility?: VisibilityState; changesAt?: Date } {
  if (!article) return {};
  const { state, changesAt } = visibilityOf(article, now);
  const placed =
    state === 'published'
      ? { period: periodOf(article.published, period), sets: setsOf(article) }
      : undefined;
  return { placed, visibility: state, changesAt };
}

/** How the sets change when a record goes from one placed version to another. */
export interface SetMove {
  readonly folder: string;
  readonly removal?: { readonly key: string; readonly period: string };
  readonly upsert?: Article;
}

/**
 * The set changes between two versions of a record: it leaves the sets it was in and enters the
 * sets of its new version. Nothing moves when the article and its place are unchanged.
 */
export function setMoves(
  key: string,
  before: { placed?: Placement; article?: StoredArticle },
  after: { placed?: Placement; article?: Article },
): SetMove[] {
  const afterStored = after.article ? storeArticle(after.article) : undefined;
  if (
    JSON.stringify(before.placed) === JSON.stringify(after.placed) &&
    (!after.placed || JSON.stringify(before.article) === JSON.stringify(afterStored))
  ) {
    return [];
  }
  const moves = new Map<string, { removal?: SetMove['removal']; upsert?: Article }>();
  for (const folder of before.placed?.sets ?? []) {
    moves.set(folder, { removal: { key, period: before.placed?.period ?? '' } });
  }
  if (after.placed && after.article) {
    for (const folder of after.placed.sets)
      moves.set(folder, { ...moves.get(folder), upsert: after.article });
  }
  return [...moves].map(([folder, move]) => ({ folder, ...move }));
}

export function articleOf(state: RecordState | undefined): Article | undefined {
  return state?.article ? loadArticle(state.article) : undefined;
}
