import { categoryNameIn, mainSet, type SetManifest, type Shard } from './feed-sets/feed-set.ts';
import { layoutSets, manifestOf, renderLayout } from './feed-sets/layout-sets.ts';
import type { Article, FeedFile, RecordError, SiteConfig, SourceRecord } from './model.ts';
import { compareText } from './order.ts';
import { idConflict, readArticle } from './records/read-article.ts';
import { renderSubscribePageFile } from './render/subscribe-file.ts';
import type { PublishReport } from './report.ts';
import { readingKey, renderingKey } from './settings-keys.ts';
import type { IdClaim } from './state/codec.ts';
import { placementOf, type RecordState } from './state/record-state.ts';
import { applyDeltas, emptySiteState, type RecordDelta, type SiteState } from './state/site-state.ts';
import { loadArticle, type StoredArticle, storeArticle } from './state/stored-article.ts';
import { partitionByVisibility } from './visibility.ts';

/** A record as a from-scratch build sees it: its bytes and the version they are. */
export interface VersionedRecord extends SourceRecord {
  readonly etag: string;
}

/** What an earlier publish knew of a record: its id, and its last good version. */
export interface Remembered {
  readonly id?: string;
  readonly since?: string;
  readonly article?: StoredArticle;
}

export interface BuildInput {
  readonly site: SiteConfig;
  readonly records: readonly VersionedRecord[];
  readonly now: Date;
  /** Ids and last good versions from an earlier publish, by record key. */
  readonly remembered?: (key: string) => Remembered | undefined;
}

export interface BuiltState {
  readonly site: SiteState;
  readonly records: readonly RecordState[];
  readonly claims: readonly IdClaim[];
  readonly sets: readonly { readonly manifest: SetManifest; readonly shards: ReadonlyMap<string, Shard> }[];
}

export interface Build {
  readonly files: readonly FeedFile[];
  readonly report: PublishReport;
  readonly state: BuiltState;
}

interface Candidate {
  readonly article: Article;
  readonly since: string;
  readonly errors: readonly RecordError[];
  /** False when the article is a last good version kept while its record is invalid. */
  readonly fresh: boolean;
}

/**
 * Every record read at once, from scratch: the files, the report and the whole state. This is
 * what an incremental publish must always agree with, byte for byte. Pure.
 */
export function buildSite({ site, records, now, remembered = () => undefined }: BuildInput): Build {
  const errors: RecordError[] = [];
  const candidates: Candidate[] = [];
  const states = new Map<string, RecordState>();
  for (const record of records) {
    const known = remembered(record.key);
    const read = readArticle(record, site, known?.id);
    errors.push(...read.errors);
    states.set(record.key, { key: record.key, etag: record.etag, errors: orNone(read.errors) });
    const article = read.article ?? (known?.article ? loadArticle(known.article) : undefined);
    if (!article) continue;
    const since = known?.id === article.id && known.since ? known.since : now.toISOString();
    candidates.push({ article, since, errors: read.errors, fresh: read.article !== undefined });
  }
  const { kept, rejected } = resolveIdClaims(candidates, errors);
  for (const [key, error] of rejected) {
    const state = states.get(key);
    if (state) states.set(key, { ...state, errors: [...(state.errors ?? []), error] });
  }
  const deltas: RecordDelta[] = [];
  const keptLastGood: string[] = [];
  for (const { article, since, fresh } of kept) {
    const placement = placementOf(article, now, site.archivePeriod);
    const previous = states.get(article.key);
    if (!fresh) keptLastGood.push(article.key);
    states.set(article.key, {
      key: article.key,
      etag: previous?.etag ?? '',
      id: article.id,
      since,
      errors: previous?.errors,
      article: storeArticle(article),
      placed: placement.placed,
      visibility: placement.visibility,
    });
  }
  for (const state of states.values()) {
    const placement = state.article ? placementOf(loadArticle(state.article), now, site.archivePeriod) : {};
    deltas.push({
      key: state.key,
      existed: false,
      exists: true,
      visibilityAfter: placement.visibility,
      pendingAt: placement.changesAt?.toISOString(),
      errors: state.errors ?? [],
      keptLastGood: keptLastGood.includes(state.key),
    });
  }
  const visibility = partitionByVisibility(
    kept.map((candidate) => candidate.article),
    now,
  );
  const layouts = layoutSets(site, visibility.visible);
  const categories = new Map<string, string | undefined>(
    layouts
      .filter((layout) => layout.folder !== mainSet)
      .map((layout) => [layout.folder, layout.window[0] && categoryNameIn(layout.window[0], layout.folder)]),
  );
  const siteState = applyDeltas(emptySiteState(readingKey(site), renderingKey(site)), deltas, categories);
  const main = layouts.find((layout) => layout.folder === mainSet);
  const files = [
    ...layouts.flatMap((layout) => renderLayout(site, layout)),
    renderSubscribePageFile(site, main?.window ?? [], siteState.categories),
  ];
  return {
    files,
    report: {
      published: visibility.visible.length,
      drafts: visibility.drafts,
      embargoed: visibility.embargoed,
      expired: visibility.expired,
      errors,
      keptLastGood,
      nextChangeAt: visibility.nextChangeAt,
    },
    state: {
      site: siteState,
      records: [...states.values()],
      claims: kept.map(({ article, since }) => ({ id: article.id, key: article.key, since })),
      sets: layouts.map(manifestOf),
    },
  };
}

/**
 * Two records claiming one id would make readers merge two articles. The older claim keeps the
 * id (the one held longest, then the earlier date, then the key); both are reported.
 */
function resolveIdClaims(
  candidates: readonly Candidate[],
  errors: RecordError[],
): { kept: Candidate[]; rejected: Map<string, RecordError> } {
  const byId = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    const claims = byId.get(candidate.article.id) ?? [];
    claims.push(candidate);
    byId.set(candidate.article.id, claims);
  }
  const kept: Candidate[] = [];
  const rejected = new Map<string, RecordError>();
  for (const [id, claims] of byId) {
    const [winner, ...losers] = [...claims].sort((a, b) => compareText(claimAge(a), claimAge(b)));
    if (!winner) continue;
    kept.push(winner);
    for (const loser of losers) {
      const [holder, claimant] = idConflict(id, winner.article.key, loser.article.key);
      if (!holder || !claimant) continue;
      errors.push(holder, claimant);
      rejected.set(loser.article.key, claimant);
    }
  }
  return { kept, rejected };
}

function claimAge({ since, article }: Candidate): string {
  return `${since}|${article.published.toISOString()}|${article.key}`;
}

function orNone<T>(list: readonly T[]): readonly T[] | undefined {
  return list.length > 0 ? list : undefined;
}
