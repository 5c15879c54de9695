import type { RecordError } from '../model.ts';
import { compareText } from '../order.ts';
import type { VisibilityState } from '../visibility.ts';

/** The site-wide part of the state: small, read and written once per publish. */
export interface SiteState {
  readonly version: 2;
  /** What reading records depended on; when it changes, every record is read again. */
  readonly readWith: string;
  /** What rendering depended on; when it changes, every set is rendered again. */
  readonly renderWith: string;
  /** How many records have a record state: a reconcile that lists another number looks closer. */
  readonly records: number;
  readonly counts: Readonly<Record<VisibilityState, number>>;
  /** Categories that have visible articles: folder -> name as the newest article spells it. */
  readonly categories: Readonly<Record<string, string>>;
  /** Records whose visibility changes on its own (embargo, expiry): key -> ISO instant. */
  readonly pending: Readonly<Record<string, string>>;
  /** Records that are invalid now, with their problems: reported every publish until fixed. */
  readonly invalid: Readonly<Record<string, InvalidRecord>>;
  /** When the last reconcile listed the records (ISO); changes older than that were seen by it. */
  readonly reconciledAt?: string;
  /**
   * Ids of the latest record deltas applied: a delta that two publishes both carry (one finishing
   * what the other left unsettled) counts once.
   */
  readonly applied?: readonly string[];
  /**
   * True once the ledger (`output/…`) names every file the state publishes: from then on a
   * publish finds missing and altered files by one listing of the output.
   */
  readonly ledger?: true;
  /** The output this state describes and the content it was published from (StatePlaces). */
  readonly places?: StatePlaces;
}

/**
 * Where a state belongs: one output (a folder, relative to the state, or s3://bucket/prefix) and
 * one content source. Another output or another content source never uses it silently.
 */
export interface StatePlaces {
  readonly output: string;
  readonly content: string;
}

/** How many applied delta ids are kept: far more than publishes that can overlap. */
const appliedKept = 512;

export function emptySiteState(readWith: string, renderWith: string): SiteState {
  return {
    version: 2,
    readWith,
    renderWith,
    records: 0,
    counts: { published: 0, draft: 0, embargoed: 0, expired: 0 },
    categories: {},
    pending: {},
    invalid: {},
  };
}

export interface InvalidRecord {
  readonly errors: readonly RecordError[];
  /** Its last good version stays published meanwhile. */
  readonly keptLastGood: boolean;
}

/** What one record's processing changes in the site state. */
export interface RecordDelta {
  /** Drawn when the change is decided; the same delta carried by two publishes has one id. */
  readonly id?: string;
  readonly key: string;
  readonly existed: boolean;
  readonly exists: boolean;
  readonly visibilityBefore?: VisibilityState;
  readonly visibilityAfter?: VisibilityState;
  readonly pendingAt?: string;
  readonly errors: readonly RecordError[];
  readonly keptLastGood: boolean;
}

/**
 * Applies record deltas and category changes to a freshly read site state. Called again on the
 * newer state when another publish wrote it first, so the deltas of both publishes survive.
 */
export function applyDeltas(
  state: SiteState,
  deltas: readonly (RecordDelta | undefined)[],
  categories: ReadonlyMap<string, string | undefined>,
): SiteState {
  const counts = { ...state.counts };
  const pending = { ...state.pending };
  const invalid = { ...state.invalid };
  let records = state.records;
  const applied = [...(state.applied ?? [])];
  const seen = new Set(applied);
  for (const delta of deltas) {
    if (!delta || (delta.id !== undefined && seen.has(delta.id))) continue;
    if (delta.id !== undefined) {
      seen.add(delta.id);
      applied.push(delta.id);
    }
    records += Number(delta.exists) - Number(delta.existed);
    if (delta.visibilityBefore) counts[delta.visibilityBefore] -= 1;
    if (delta.visibilityAfter) counts[delta.visibilityAfter] += 1;
    if (delta.pendingAt) pending[delta.key] = delta.pendingAt;
    else delete pending[delta.key];
    if (delta.errors.length > 0)
      invalid[delta.key] = { errors: delta.errors, keptLastGood: delta.keptLastGood };
    else delete invalid[delta.key];
  }
  const nextCategories = { ...state.categories };
  for (const [folder, name] of categories) {
    if (name === undefined) delete nextCategories[folder];
    else nextCategories[folder] = name;
  }
  return {
    ...state,
    records,
    counts,
    pending: sortKeys(pending),
    invalid: sortKeys(invalid),
    categories: sortKeys(nextCategories),
    ...(applied.length > 0 ? { applied: applied.slice(-appliedKept) } : {}),
  };
}

/** The earliest pending change, and the records due at `now`. */
export function duePending(state: SiteState, now: Date): { due: string[]; next?: Date } {
  const due: string[] = [];
  let next: number | undefined;
  for (const [key, at] of Object.entries(state.pending)) {
    const time = Date.parse(at);
    if (time <= now.getTime()) due.push(key);
    else if (next === undefined || time < next) next = time;
  }
  return { due, next: next === undefined ? undefined : new Date(next) };
}

export function sortKeys<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareText(a, b)));
}
