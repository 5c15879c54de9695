import type { RecordError, SiteConfig, SourceRecord } from '../model.ts';
import { compareText } from '../order.ts';
import { idConflict, readArticle } from '../records/read-article.ts';
import { loadArticle, type StoredArticle, storeArticle } from '../stored-article.ts';
import { articleOf, placementOf, type RecordState } from './record-state.ts';
import type { RecordDelta } from './site-state.ts';

/** What an earlier publish knew of a record: its id, and its last good version. */
export interface Remembered {
  readonly id?: string;
  readonly since?: string;
  readonly article?: StoredArticle;
}

/** A record's wish to publish under an id; the oldest claim wins. */
export interface ClaimCandidate {
  readonly key: string;
  readonly id: string;
  readonly since: string;
  readonly published: string;
}

/**
 * A record read from scratch into its record state: its article (or its last good version while
 * it is invalid), its id, and where it sits now. Pure.
 */
export function readRecordState(input: {
  readonly site: SiteConfig;
  readonly record: SourceRecord;
  readonly etag: string;
  readonly known?: Remembered;
  readonly now: Date;
}): {
  readonly state: RecordState;
  readonly candidate?: ClaimCandidate;
  readonly warnings: readonly RecordError[];
} {
  const { site, record, known, now } = input;
  const read = readArticle(record, site, known?.id);
  const article = read.article ?? (known?.article ? loadArticle(known.article) : undefined);
  const since = article && known?.id === article.id && known.since ? known.since : now.toISOString();
  const placement = placementOf(article, now, site.archivePeriod);
  const state: RecordState = {
    key: record.key,
    etag: input.etag,
    id: article?.id,
    since: article ? since : undefined,
    errors: read.errors.length > 0 ? read.errors : undefined,
    article: article ? storeArticle(article) : undefined,
    placed: placement.placed,
    visibility: placement.visibility,
  };
  return {
    state,
    warnings: read.warnings,
    candidate: article && {
      key: record.key,
      id: article.id,
      since,
      published: article.published.toISOString(),
    },
  };
}

/**
 * Two records claiming one id would make readers merge two articles. The older claim keeps the
 * id (the one held longest, then the earlier date, then the key); both are reported.
 */
export function resolveClaims(candidates: readonly ClaimCandidate[]): {
  readonly losers: ReadonlyMap<string, RecordError>;
  readonly notices: readonly RecordError[];
  readonly winners: readonly ClaimCandidate[];
} {
  const byId = new Map<string, ClaimCandidate[]>();
  for (const candidate of candidates) {
    const claims = byId.get(candidate.id) ?? [];
    claims.push(candidate);
    byId.set(candidate.id, claims);
  }
  const losers = new Map<string, RecordError>();
  const notices: RecordError[] = [];
  const winners: ClaimCandidate[] = [];
  for (const [id, claims] of byId) {
    const [winner, ...rest] = [...claims].sort((a, b) => compareText(claimAge(a), claimAge(b)));
    if (!winner) continue;
    winners.push(winner);
    for (const loser of rest) {
      const [holder, claimant] = idConflict(id, winner.key, loser.key);
      if (!holder || !claimant) continue;
      notices.push(holder, claimant);
      losers.set(loser.key, claimant);
    }
  }
  return { losers, notices, winners };
}

function claimAge({ since, published, key }: ClaimCandidate): string {
  return `${since}|${published}|${key}`;
}

/** A record that lost its id claim: published nowhere, its problem reported until it changes. */
export function rejectClaim(state: RecordState, error: RecordError): RecordState {
  return { key: state.key, etag: state.etag, errors: [...(state.errors ?? []), error] };
}

/** What a record state read from scratch adds to the site state. */
export function deltaOf(state: RecordState, now: Date, site: SiteConfig): RecordDelta {
  const errors = state.errors ?? [];
  const placement = placementOf(articleOf(state), now, site.archivePeriod);
  return {
    key: state.key,
    existed: false,
    exists: true,
    visibilityAfter: placement.visibility,
    pendingAt: placement.changesAt?.toISOString(),
    errors,
    keptLastGood: errors.length > 0 && state.article !== undefined,
  };
}
