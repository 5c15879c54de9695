import { randomUUID } from 'node:crypto';
import type { Article, RecordError, SiteConfig } from '../core/model.ts';
import { isIdFromKey } from '../core/records/article-id.ts';
import { idConflict, readArticle } from '../core/records/read-article.ts';
import {
  type Departed,
  decodeDeparted,
  decodeIdClaim,
  decodeRecordState,
  encodeState,
} from '../core/state/codec.ts';
import {
  articleOf,
  placementChanged,
  placementOf,
  type RecordState,
  type SetTouch,
  setTouches,
} from '../core/state/record-state.ts';
import type { RecordDelta } from '../core/state/site-state.ts';
import { stateKeys } from '../core/state/state-keys.ts';
import { storeArticle } from '../core/stored-article.ts';
import {
  type RecordBody,
  type RecordStore,
  type StateStore,
  type StoredText,
  WriteConflictError,
} from '../stores/ports.ts';

/** Why a record is looked at: an S3 event naming a version, a reconcile, or a visibility change due now. */
export interface RecordTrigger {
  readonly key: string;
  /** The version the event or listing names; a record state already at it needs nothing. */
  readonly etag?: string;
  /** The S3 event sequencer: events older than the one the record state saw are ignored. */
  readonly sequencer?: string;
  /** Only the visibility is due to change: decide again from the record state, without reading it. */
  readonly visibilityOnly?: boolean;
  /**
   * The visibility is due to change, and the record is looked at for another reason too (an
   * event, a listing): when the record turns out unchanged, its visibility is decided again all the same.
   */
  readonly visibilityDue?: boolean;
  /**
   * Read and decide again even when the record is unchanged: the id it asked for was given up, or
   * it may be a moved record whose old key's id it should keep.
   */
  readonly reread?: boolean;
}

export interface RecordStepContext {
  readonly site: SiteConfig;
  readonly records: RecordStore;
  readonly state: StateStore;
  readonly now: Date;
}

/** One record's outcome, before anything of it is written. */
export interface RecordStep {
  readonly key: string;
  /** The version of the record state this step read; its write is conditional on it. */
  readonly stateVersion: string | undefined;
  /** The record state decided: a tombstone when the record is gone. */
  readonly next: RecordState;
  /** The record state as read, so an unchanged state is not written again. */
  readonly previousText?: string;
  /** The sets to bring in line with the record state. */
  readonly touches: readonly SetTouch[];
  /** This step's own change to the site state; undefined when it only settles an earlier one. */
  readonly delta?: RecordDelta;
  /** Problems reported in this run only (the holder's side of an id conflict). */
  readonly notices: readonly RecordError[];
  /** What the record publishes despite (unknown fields, removed content), seen as it was read. */
  readonly warnings?: readonly RecordError[];
  /** An id this record no longer uses, to release once its new state is written. */
  readonly releasedId?: string;
}

/** S3 sequencers are hex strings of varying length: the shorter is padded with zeros, then compared. */
export function compareSequencers(a: string, b: string): number {
  const length = Math.max(a.length, b.length);
  const left = a.padEnd(length, '0');
  const right = b.padEnd(length, '0');
  return left < right ? -1 : left > right ? 1 : 0;
}

export const unquote = (etag: string): string => etag.replace(/^"|"$/g, '');

/**
 * Reads one record (unless its record state shows the trigger is stale or a duplicate), decides
 * what it becomes and where it goes. Claims a new id on the way; writes nothing else.
 * Returns undefined when there is nothing to do.
 */
export async function stepRecord(
  context: RecordStepContext,
  trigger: RecordTrigger,
): Promise<RecordStep | undefined> {
  const where = stateKeys.record(trigger.key);
  const stored = await context.state.read(where);
  const read = stored ? decodeRecordState(stored.text, where) : undefined;
  // A tombstone: the record is gone, and a publish has yet to take it out of everything.
  const previous = read?.gone ? undefined : read;
  // Nothing new to read; what another publish left unsettled is finished all the same.
  const nothingNew = () => (stored && read?.unsettled ? settleStep(stored, read) : undefined);
  // Nothing new to read: only a visibility that is due still needs deciding.
  let visibilityOnly = trigger.visibilityOnly === true;
  if (
    (trigger.sequencer && read?.sequencer && compareSequencers(trigger.sequencer, read.sequencer) <= 0) ||
    (!visibilityOnly &&
      !trigger.reread &&
      trigger.etag &&
      previous &&
      unquote(previous.etag) === unquote(trigger.etag))
  ) {
    if (!trigger.visibilityDue) return nothingNew();
    visibilityOnly = true;
  }
  const body = visibilityOnly ? undefined : await context.records.readRecord(trigger.key);
  if (
    body &&
    previous &&
    unquote(previous.etag) === unquote(body.etag) &&
    !trigger.sequencer &&
    !trigger.reread
  ) {
    if (!trigger.visibilityDue) return nothingNew();
    visibilityOnly = true;
  }
  if (visibilityOnly && !previous) return nothingNew();
  const outcome =
    visibilityOnly && previous
      ? unchangedOutcome(previous)
      : body
        ? await readOutcome(context, trigger, previous, body)
        : await goneOutcome(context, previous);
  return decidedStep(context, trigger, { stored, read, previous }, outcome);
}

/** What looking at a record made of it, before its placement is decided. */
interface RecordOutcome {
  /** Its new record state (before placement); undefined when the record is gone. */
  readonly next?: RecordState;
  /** The article it shows: the new version, or the last good one while it is invalid. */
  readonly article?: Article;
  readonly errors: readonly RecordError[];
  readonly warnings: readonly RecordError[];
  /** Notices for the holder of an id this record asked for. */
  readonly notices: RecordError[];
  readonly releasedId?: string;
  /** Whether `article` is the record's current version (not a last good one). */
  readonly fresh: boolean;
}

/** Only its visibility is due: the record stays as it was. */
function unchangedOutcome(previous: RecordState): RecordOutcome {
  const errors = previous.errors ?? [];
  return {
    next: previous,
    article: articleOf(previous),
    errors,
    warnings: [],
    notices: [],
    fresh: errors.length === 0,
  };
}

/** The record read again: its article, its id (claimed, or taken over from a moved file), its problems. */
async function readOutcome(
  context: RecordStepContext,
  trigger: RecordTrigger,
  previous: RecordState | undefined,
  body: RecordBody,
): Promise<RecordOutcome> {
  const read = readArticle({ key: trigger.key, body: body.body }, context.site, previous?.id);
  let { errors } = read;
  let fresh = read.article !== undefined;
  let article = articleOf(previous);
  let notices: RecordError[] = [];
  let releasedId: string | undefined;
  let id = previous?.id;
  let since = previous?.since;
  if (read.article) {
    const moved =
      (!previous || trigger.reread) && isIdFromKey(trigger.key, read.article.id)
        ? await takeDepartedId(context, unquote(body.etag), trigger.key)
        : undefined;
    const claim = moved ?? (await claimId(context, read.article.id, trigger.key));
    const claimed = moved ? { ...read.article, id: moved.id } : read.article;
    if (claim.holder === undefined) {
      if (previous?.id && previous.id !== claimed.id) releasedId = previous.id;
      id = claimed.id;
      since = claim.since;
      article = claimed;
    } else {
      const [holderNotice, claimantError] = idConflict(read.article.id, claim.holder, trigger.key);
      notices = holderNotice ? [holderNotice] : [];
      errors = claimantError ? [claimantError] : [];
      fresh = false;
    }
  }
  const next: RecordState = {
    key: trigger.key,
    etag: unquote(body.etag),
    sequencer: trigger.sequencer ?? previous?.sequencer,
    id,
    since,
    errors: errors.length > 0 ? errors : undefined,
    article: article ? storeArticle(article) : undefined,
  };
  return { next, article, errors, warnings: read.warnings, notices, releasedId, fresh };
}

/** The record is gone: its id is given up, and left for a file with the same bytes elsewhere. */
async function goneOutcome(
  context: RecordStepContext,
  previous: RecordState | undefined,
): Promise<RecordOutcome> {
  if (previous?.id && previous.article) await leaveId(context.state, previous);
  return {
    errors: [],
    warnings: [],
    notices: [],
    releasedId: previous?.id,
    fresh: previous !== undefined && (previous.errors ?? []).length === 0,
  };
}

/** Where the outcome places the record, what the site state gains, and which sets it touches. */
function decidedStep(
  context: RecordStepContext,
  trigger: RecordTrigger,
  found: { stored?: StoredText; read?: RecordState; previous?: RecordState },
  outcome: RecordOutcome,
): RecordStep {
  const { site, now } = context;
  const { stored, read, previous } = found;
  const { next, article, errors } = outcome;
  const placement = placementOf(next ? articleOf(next) : undefined, now, site.archivePeriod);
  const shown = {
    placed: placement.placed,
    article: article && placement.placed ? storeArticle(article) : undefined,
  };
  const delta: RecordDelta = {
    id: randomUUID(),
    key: trigger.key,
    existed: previous !== undefined,
    exists: next !== undefined,
    visibilityBefore: previous?.visibility,
    visibilityAfter: placement.visibility,
    pendingAt: placement.changesAt?.toISOString(),
    errors,
    keptLastGood: errors.length > 0 && !outcome.fresh && placement.visibility !== undefined,
  };
  const moved = placementChanged(previous, shown);
  const from = [...(read?.unsettled?.from ?? []), ...(moved && previous?.placed ? [previous.placed] : [])];
  const unsettled = { from, deltas: [...(read?.unsettled?.deltas ?? []), delta] };
  const decided: RecordState = next
    ? { ...next, placed: placement.placed, visibility: placement.visibility, unsettled }
    : { key: trigger.key, etag: '', sequencer: trigger.sequencer ?? read?.sequencer, gone: true, unsettled };
  return {
    key: trigger.key,
    stateVersion: stored?.version,
    previousText: stored?.text,
    next: decided,
    touches:
      moved || from.length > 0 || read?.unsettled
        ? setTouches(trigger.key, [...from, placement.placed], read?.unsettled !== undefined)
        : [],
    delta,
    notices: outcome.notices,
    warnings: outcome.warnings,
    releasedId: outcome.releasedId,
  };
}

/** Finishes what a record state left unsettled: its sets, and its site-state changes. */
function settleStep(stored: StoredText, state: RecordState): RecordStep {
  return {
    key: state.key,
    stateVersion: stored.version,
    previousText: stored.text,
    next: state,
    touches: setTouches(state.key, [...(state.unsettled?.from ?? []), state.placed], true),
    notices: [],
  };
}

/**
 * Writes the record state a step decided, over the version it read: the step's commit, before
 * any set is touched. Answers the version written.
 */
export async function writeRecordStep(state: StateStore, step: RecordStep): Promise<string | undefined> {
  const text = encodeState(step.next);
  if (text === step.previousText) return step.stateVersion;
  return state.write(stateKeys.record(step.key), text, { version: step.stateVersion });
}

/**
 * Once the sets and the site state follow a step, its record state drops what was unsettled (a
 * gone record's state goes). When another publish has written the state since, that publish
 * carries the unsettled part on, so losing here is fine.
 */
export async function settleRecordStep(state: StateStore, step: RecordStep, version: string | undefined) {
  if (version === undefined || !step.next.unsettled) return;
  const where = stateKeys.record(step.key);
  const { unsettled: _settled, ...settled } = step.next;
  try {
    if (step.next.gone) await state.delete(where, { version });
    else await state.write(where, encodeState(settled), { version });
  } catch (error) {
    if (!(error instanceof WriteConflictError)) throw error;
  }
}

/**
 * Takes an id for a record: created only if absent, so of two records that want one id at once
 * exactly one gets it. A claim whose holder no longer holds the id (deleted, or given another)
 * is taken over. Answers the holder when another live record has it; the record then waits on
 * the claim (unless `wait` is false), to be read again when the holder gives the id up.
 */
export async function claimId(
  context: Pick<RecordStepContext, 'state' | 'now'>,
  id: string,
  key: string,
  { wait = true, since = context.now.toISOString() }: { wait?: boolean; since?: string } = {},
): Promise<{ holder?: string; since: string }> {
  const where = stateKeys.idClaim(id);
  for (;;) {
    const stored = await context.state.read(where);
    const claim = stored ? decodeIdClaim(stored.text, where) : undefined;
    if (claim?.key === key) return { since: claim.since };
    try {
      if (claim) {
        const holderState = await context.state.read(stateKeys.record(claim.key));
        const holder = holderState ? decodeRecordState(holderState.text, claim.key) : undefined;
        if (holder?.id === id) {
          if (wait && !claim.waiting?.includes(key)) {
            const waiting = [...(claim.waiting ?? []), key];
            await context.state.write(where, encodeState({ ...claim, waiting }), {
              version: stored?.version,
            });
          }
          return { holder: claim.key, since: claim.since };
        }
      }
      const waiting = claim?.waiting?.filter((other) => other !== key) ?? [];
      const taken = { id, key, since, ...(waiting.length > 0 ? { waiting } : {}) };
      await context.state.write(where, encodeState(taken), { version: stored?.version });
      return { since };
    } catch (error) {
      if (!(error instanceof WriteConflictError)) throw error;
    }
  }
}

/**
 * Gives up an id this record no longer uses, if the claim is still its own. Answers the records
 * that waited for it, to be read again.
 */
export async function releaseId(state: StateStore, id: string, key: string): Promise<string[]> {
  const where = stateKeys.idClaim(id);
  const stored = await state.read(where);
  const claim = stored ? decodeIdClaim(stored.text, where) : undefined;
  if (claim?.key !== key) return [];
  await state.delete(where);
  return [...(claim.waiting ?? [])];
}

/** A deleted record leaves its id for a copy of the same bytes under another key (a move). */
async function leaveId(state: StateStore, record: RecordState): Promise<void> {
  if (record.id === undefined || record.since === undefined) return;
  const where = stateKeys.departed(unquote(record.etag));
  await state.write(where, encodeState({ id: record.id, key: record.key, since: record.since }), {
    version: (await state.read(where))?.version,
  });
}

/**
 * The id a new record keeps when it is a deleted record's bytes under another key: the deleted
 * record's, unless another live record holds it now. Answers the claim, or undefined.
 */
async function takeDepartedId(
  context: Pick<RecordStepContext, 'state' | 'now'>,
  etag: string,
  key: string,
): Promise<{ id: string; since: string; holder?: undefined } | undefined> {
  const departed = await readDeparted(context.state, etag);
  if (!departed || departed.key === key) return undefined;
  const claim = await claimId(context, departed.id, key, { wait: false, since: departed.since });
  return claim.holder === undefined ? { id: departed.id, since: claim.since } : undefined;
}

export async function readDeparted(state: StateStore, etag: string): Promise<Departed | undefined> {
  const where = stateKeys.departed(etag);
  const stored = await state.read(where);
  return stored ? decodeDeparted(stored.text, where) : undefined;
}
