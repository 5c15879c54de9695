import type { Article, RecordError, SiteConfig } from '../core/model.ts';
import { idConflict, readArticle } from '../core/records/read-article.ts';
import { decodeIdClaim, decodeRecordState, encodeState } from '../core/state/codec.ts';
import {
  articleOf,
  placementOf,
  type RecordState,
  type SetMove,
  setMoves,
} from '../core/state/record-state.ts';
import type { RecordDelta } from '../core/state/site-state.ts';
import { stateKeys } from '../core/state/state-keys.ts';
import { storeArticle } from '../core/state/stored-article.ts';
import type { RecordStore, StateStore } from '../stores/store.ts';

/** Why a record is looked at: an S3 event naming a version, a reconcile, or a visibility change due now. */
export interface RecordTrigger {
  readonly key: string;
  /** The version the event or listing names; a record state already at it needs nothing. */
  readonly etag?: string;
  /** The S3 event sequencer: events older than the one the record state saw are ignored. */
  readonly sequencer?: string;
  /** Only the visibility is due to change: decide again from the record state, without reading it. */
  readonly visibilityOnly?: boolean;
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
  /** The next record state; undefined when the record is gone. */
  readonly next: RecordState | undefined;
  /** The record state as read, so an unchanged state is not written again. */
  readonly previousText?: string;
  readonly moves: readonly SetMove[];
  /** Undefined when the step only puts the sets back in line with a state another publish wrote. */
  readonly delta?: RecordDelta;
  /** Problems reported in this run only (the holder's side of an id conflict). */
  readonly notices: readonly RecordError[];
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
  const { site, now } = context;
  const where = stateKeys.record(trigger.key);
  const stored = await context.state.read(where);
  const previous = stored ? decodeRecordState(stored.text, where) : undefined;
  if (
    trigger.sequencer &&
    previous?.sequencer &&
    compareSequencers(trigger.sequencer, previous.sequencer) <= 0
  ) {
    return undefined;
  }
  if (
    !trigger.visibilityOnly &&
    trigger.etag &&
    previous &&
    unquote(previous.etag) === unquote(trigger.etag)
  ) {
    return undefined;
  }
  let next: RecordState | undefined;
  let notices: RecordError[] = [];
  let releasedId: string | undefined;
  let errors: readonly RecordError[] = previous?.errors ?? [];
  let article: Article | undefined = articleOf(previous);
  let fresh = previous !== undefined && errors.length === 0;
  if (trigger.visibilityOnly) {
    if (!previous) return undefined;
    next = previous;
  } else {
    const body = await context.records.readRecord(trigger.key);
    if (body && previous && unquote(previous.etag) === unquote(body.etag) && !trigger.sequencer) {
      return undefined;
    }
    if (body) {
      const read = readArticle({ key: trigger.key, body: body.body }, site, previous?.id);
      errors = read.errors;
      fresh = read.article !== undefined;
      let id = previous?.id;
      let since = previous?.since;
      if (read.article) {
        const claim = await claimId(context, read.article.id, trigger.key);
        if (claim.holder === undefined) {
          if (previous?.id && previous.id !== read.article.id) releasedId = previous.id;
          id = read.article.id;
          since = claim.since;
          article = read.article;
        } else {
          const [holderNotice, claimantError] = idConflict(read.article.id, claim.holder, trigger.key);
          notices = holderNotice ? [holderNotice] : [];
          errors = claimantError ? [claimantError] : [];
          fresh = false;
        }
      }
      next = {
        key: trigger.key,
        etag: unquote(body.etag),
        sequencer: trigger.sequencer ?? previous?.sequencer,
        id,
        since,
        errors: errors.length > 0 ? errors : undefined,
        article: article ? storeArticle(article) : undefined,
      };
    } else {
      article = undefined;
      errors = [];
      releasedId = previous?.id;
      next = undefined;
    }
  }
  const placement = placementOf(next ? articleOf(next) : undefined, now, site.archivePeriod);
  if (next) next = { ...next, placed: placement.placed, visibility: placement.visibility };
  return {
    key: trigger.key,
    stateVersion: stored?.version,
    previousText: stored?.text,
    next,
    moves: setMoves(trigger.key, previous ?? {}, {
      placed: placement.placed,
      article: article && placement.placed ? article : undefined,
    }),
    delta: {
      key: trigger.key,
      existed: previous !== undefined,
      exists: next !== undefined,
      visibilityBefore: previous?.visibility,
      visibilityAfter: placement.visibility,
      pendingAt: placement.changesAt?.toISOString(),
      errors,
      keptLastGood: errors.length > 0 && !fresh && placement.visibility !== undefined,
    },
    notices,
    releasedId,
  };
}

/** Writes the record state a step decided, over the version it read. */
export async function writeRecordStep(state: StateStore, step: RecordStep): Promise<void> {
  const key = stateKeys.record(step.key);
  if (step.next) {
    const text = encodeState(step.next);
    if (text !== step.previousText) await state.write(key, text, { version: step.stateVersion });
  } else if (step.stateVersion !== undefined) await state.delete(key, { version: step.stateVersion });
}

/**
 * Takes an id for a record: created only if absent, so of two records that want one id at once
 * exactly one gets it. A claim whose holder no longer holds the id (deleted, or given another)
 * is taken over. Answers the holder when another live record has it.
 */
export async function claimId(
  context: Pick<RecordStepContext, 'state' | 'now'>,
  id: string,
  key: string,
): Promise<{ holder?: string; since: string }> {
  const where = stateKeys.idClaim(id);
  for (;;) {
    const stored = await context.state.read(where);
    const claim = stored ? decodeIdClaim(stored.text, where) : undefined;
    if (claim?.key === key) return { since: claim.since };
    if (claim) {
      const holderState = await context.state.read(stateKeys.record(claim.key));
      const holder = holderState ? decodeRecordState(holderState.text, claim.key) : undefined;
      if (holder?.id === id) return { holder: claim.key, since: claim.since };
    }
    const since = context.now.toISOString();
    try {
      await context.state.write(where, encodeState({ id, key, since }), { version: stored?.version });
      return { since };
    } catch (error) {
      if (!(error instanceof Error && error.name === 'WriteConflictError')) throw error;
    }
  }
}

/** Gives up an id this record no longer uses, if the claim is still its own. */
export async function releaseId(state: StateStore, id: string, key: string): Promise<void> {
  const where = stateKeys.idClaim(id);
  const stored = await state.read(where);
  if (stored && decodeIdClaim(stored.text, where).key === key) await state.delete(where);
}

/**
 * After another publish wrote a record's state over this one's: take this run's version of the
 * article out of the sets and put back the one the state now holds, whichever of the two
 * publishes wrote its sets last.
 */
export async function reassertStep(state: StateStore, lost: RecordStep): Promise<RecordStep> {
  const where = stateKeys.record(lost.key);
  const stored = await state.read(where);
  const current = stored ? decodeRecordState(stored.text, where) : undefined;
  const currentArticle = articleOf(current);
  return {
    key: lost.key,
    stateVersion: stored?.version,
    previousText: stored?.text,
    next: current,
    moves: setMoves(lost.key, lost.next ?? {}, {
      placed: current?.placed,
      article: current?.placed ? currentArticle : undefined,
    }),
    notices: [],
  };
}
