import { mapLimited } from '../core/async-lists.ts';
import { categoryNameIn, mainSet, type SetManifest } from '../core/feed-sets/feed-set.ts';
import {
  neighboursIn,
  periodPaths,
  renderCurrentFiles,
  renderPageFiles,
  windowPaths,
} from '../core/feed-sets/set-files.ts';
import type { Article, FeedFile, RecordError, SiteConfig } from '../core/model.ts';
import { compareText, newestFirst } from '../core/order.ts';
import { renderArticlePageFile } from '../core/render/article-page.ts';
import { feedPaths } from '../core/render/feed-files.ts';
import { renderSitePageFiles } from '../core/render/subscribe-file.ts';
import { subscribePageItems } from '../core/render/subscribe-page.ts';
import type { PublishReport } from '../core/report.ts';
import { readingKey, renderingKey } from '../core/settings-keys.ts';
import { decodeManifest, decodeRecordState, encodeState } from '../core/state/codec.ts';
import type { Remembered } from '../core/state/read-record-state.ts';
import {
  type ClaimCandidate,
  deltaOf,
  readRecordState,
  rejectClaim,
  resolveClaims,
} from '../core/state/read-record-state.ts';
import { articleOf, type RecordState } from '../core/state/record-state.ts';
import {
  applyDeltas,
  duePending,
  emptySiteState,
  type RecordDelta,
  type SiteState,
  type StatePlaces,
  sortKeys,
} from '../core/state/site-state.ts';
import { legacyStatePath, stateKeys } from '../core/state/state-keys.ts';
import { storeArticle } from '../core/stored-article.ts';
import { type OutputStore, type RecordStore, type StateStore, WriteConflictError } from '../stores/ports.ts';
import type { PageUnit } from './rebuild-article-pages.ts';
import { unquote } from './record-step.ts';
import { writeFile } from './retry.ts';

/**
 * What each step of a rebuild does. Every step reads and writes a bounded part: a chunk of
 * records, the claims on a share of the ids, one archive period, the sets' windows. The job
 * (rebuild-job.ts) hands their answers from one step to the next through the state, so the steps
 * run one after another in this process or spread over invocations in Lambda alike.
 */
export interface RebuildContext {
  readonly site: SiteConfig;
  readonly records: RecordStore;
  readonly state: StateStore;
  readonly output: OutputStore;
  readonly now: Date;
  /** The output and content source the new state records. */
  readonly places?: StatePlaces;
}

const concurrency = 32;
/** Records read in one step: a few seconds of work and a few MB of memory. */
export const readChunkSize = 500;

/** What laying out the sets needs of a placed record: not its text. */
export interface LayoutRecord {
  readonly key: string;
  readonly id: string;
  readonly published: string;
  readonly sets: readonly string[];
  readonly period: string;
}

/** A chunk of records read: how each is laid out, and what it adds to the site state. */
export interface ReadChunk {
  /** Placed records by archive bucket (`bucketOf`). */
  readonly byBucket: ReadonlyMap<string, LayoutRecord[]>;
  readonly candidates: readonly ClaimCandidate[];
  /** The site state of these records alone (counts, pending, invalid), to be added up. */
  readonly partial: PartialSiteState;
  readonly warnings: readonly RecordError[];
  /** Article pages these records had and no longer have, or had before they were deleted. */
  readonly pagesLeft: readonly string[];
}

export type PartialSiteState = Pick<SiteState, 'records' | 'counts' | 'pending' | 'invalid'>;

/** What the rebuild replaces: each set's archive periods, and the revision after theirs. */
export interface PreviousLayout {
  readonly periods: Readonly<Record<string, readonly string[]>>;
  /** One more than the latest revision of any set, so the rebuild's files replace every earlier one. */
  readonly revision: number;
}

/** Before anything is written: the sets and periods of the layout being replaced. */
export async function readPreviousLayout(
  context: RebuildContext,
  previous: SiteState | undefined,
): Promise<PreviousLayout> {
  const periods: Record<string, string[]> = {};
  let latest = 0;
  for (const folder of [mainSet, ...Object.keys(previous?.categories ?? {})]) {
    const key = stateKeys.manifest(folder);
    const stored = await context.state.read(key);
    if (!stored) continue;
    const manifest = decodeManifest(stored.text, key);
    periods[folder] = Object.keys(manifest.periods);
    latest = Math.max(latest, manifest.revision ?? 0);
  }
  return { periods, revision: latest + 1 };
}

/**
 * Reads some records into their record states (ids and last good versions carry over from their
 * record states, or from `legacy`, what the earlier single-file state remembered), and removes
 * the record states listed without a record (`stale`), each only at the version read here.
 */
export async function readChunk(
  context: RebuildContext,
  keys: readonly string[],
  stale: readonly string[],
  legacy?: (key: string) => Remembered | undefined,
): Promise<ReadChunk> {
  const { site, state, now } = context;
  const read = await mapLimited(keys, concurrency, async (key) => {
    const where = stateKeys.record(key);
    const [body, current] = await Promise.all([context.records.readRecord(key), state.read(where)]);
    if (!body) return undefined;
    const known: Remembered | undefined =
      legacy?.(key) ?? (current ? decodeRecordState(current.text, where) : undefined);
    const result = readRecordState({
      site,
      record: { key, body: body.body },
      etag: unquote(body.etag),
      known,
      now,
    });
    await overwrite(state, where, encodeState(result.state), current);
    const before = current ? decodeRecordState(current.text, where).placed?.page : undefined;
    return { ...result, leftPage: before && before !== result.state.placed?.page ? before : undefined };
  });
  const gone = await mapLimited(stale, concurrency, (key) => removeStaleState(state, key));
  const byBucket = new Map<string, LayoutRecord[]>();
  const deltas: RecordDelta[] = [];
  for (const entry of read) {
    if (!entry) continue;
    deltas.push(deltaOf(entry.state, now, site));
    const layout = layoutRecordOf(entry.state);
    if (!layout || layout.sets.length === 0) continue;
    const bucket = bucketOf(layout.period);
    byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), layout]);
  }
  const { records, counts, pending, invalid } = applyDeltas(emptySiteState('', ''), deltas, new Map());
  return {
    byBucket,
    candidates: read.flatMap((entry) => entry?.candidate ?? []),
    partial: { records, counts, pending, invalid },
    warnings: read.flatMap((entry) => entry?.warnings ?? []),
    pagesLeft: [...read.flatMap((entry) => entry?.leftPage ?? []), ...gone.flat()],
  };
}

/** A record state whose record is gone: removed if still the version read; answers its pages. */
async function removeStaleState(state: StateStore, recordKey: string): Promise<string[]> {
  const key = stateKeys.record(recordKey);
  const stored = await state.read(key);
  if (!stored) return [];
  const record = decodeRecordState(stored.text, key);
  // A record state written since belongs to a record this rebuild did not see; the reconcile
  // after it decides about that one.
  const removed = await state.delete(key, { version: stored.version }).then(
    () => true,
    (error: unknown) => {
      if (error instanceof WriteConflictError) return false;
      throw error;
    },
  );
  if (!removed) return [];
  return [record.placed, ...(record.unsettled?.from ?? [])].flatMap((placement) => placement?.page ?? []);
}

/** The claims on some ids settled: the oldest keeps each id, the others are rewritten without it. */
export interface SettledClaims {
  readonly losers: readonly string[];
  /** How each loser's rewrite changes what its chunk added to the site state. */
  readonly corrections: readonly RecordDelta[];
  readonly notices: readonly RecordError[];
}

export async function settleClaims(
  context: RebuildContext,
  candidates: readonly ClaimCandidate[],
): Promise<SettledClaims> {
  const { state, now, site } = context;
  const claims = resolveClaims(candidates);
  const corrections = await mapLimited([...claims.losers], concurrency, async ([key, error]) => {
    const where = stateKeys.record(key);
    const current = await state.read(where);
    if (!current) return [];
    const record = decodeRecordState(current.text, where);
    const rejected = rejectClaim(record, error);
    await overwrite(state, where, encodeState(rejected), current);
    const [before, after] = [deltaOf(record, now, site), deltaOf(rejected, now, site)];
    return [
      {
        ...after,
        existed: true,
        visibilityBefore: before.visibilityAfter,
      } satisfies RecordDelta,
    ];
  });
  await mapLimited(claims.winners, concurrency, ({ id, key, since }) =>
    overwrite(state, stateKeys.idClaim(id), encodeState({ id, key, since })),
  );
  return {
    losers: [...claims.losers.keys()],
    corrections: corrections.flat(),
    notices: claims.notices.filter((notice) => !claims.losers.has(notice.key)),
  };
}

/**
 * Records are laid out a bucket of archive periods at a time: the month, or the period itself
 * when it is a month. A bucket holds a bounded share of the archive whatever its period or the
 * order of the record keys.
 */
export function bucketOf(period: string): string {
  return period.slice(0, 7);
}

/** Some buckets laid out: each period's size per set, and each set's newest `maxItems` records. */
export interface ReducedGroup {
  readonly counts: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Per set, newest first: [key, period]. */
  readonly newest: Readonly<Record<string, readonly (readonly [string, string])[]>>;
  /** The group's oldest record in the main set (its newest is the first of `newest`'s). */
  readonly oldest?: string;
}

/** A bucket's periods, each set's records in feed order: period -> set -> keys. */
export type BucketLists = Record<string, Record<string, string[]>>;

/** Lays out some buckets' records (losers of an id claim left out), set by set in feed order. */
export function reduceBuckets(
  site: SiteConfig,
  records: readonly LayoutRecord[],
  losers: ReadonlySet<string>,
): { reduced: ReducedGroup; lists: Map<string, BucketLists> } {
  const sorted = records
    .filter((record) => !losers.has(record.key))
    .map((record) => ({ record, published: new Date(record.published), id: record.id }))
    .sort(newestFirst);
  const lists = new Map<string, BucketLists>();
  const counts: Record<string, Record<string, number>> = {};
  const newest: Record<string, [string, string][]> = {};
  /** The value under `key`, created by `make` the first time. */
  const entry = <T>(record: Record<string, T>, key: string, make: () => T): T => {
    const found = record[key] ?? make();
    record[key] = found;
    return found;
  };
  let oldest: string | undefined;
  for (const { record } of sorted) {
    if (record.sets.includes(mainSet)) oldest = record.key;
    const bucket = lists.get(bucketOf(record.period)) ?? {};
    lists.set(bucketOf(record.period), bucket);
    const period = entry(bucket, record.period, () => ({}) as Record<string, string[]>);
    const count = entry(counts, record.period, () => ({}) as Record<string, number>);
    for (const folder of record.sets) {
      entry(period, folder, () => [] as string[]).push(record.key);
      count[folder] = (count[folder] ?? 0) + 1;
      const top = entry(newest, folder, () => [] as [string, string][]);
      if (top.length < site.maxItems) top.push([record.key, record.period]);
    }
  }
  return { reduced: { counts, newest, oldest }, lists };
}

/** The sets laid out: each set's window (its newest `maxItems`) and its archive pages' sizes. */
export interface RebuildPlan {
  readonly revision: number;
  /** The tag of the shard objects the rebuild writes (`stateKeys.shard`). */
  readonly shardTag: string;
  readonly sets: Readonly<
    Record<string, { readonly window: readonly string[]; readonly periods: Readonly<Record<string, number>> }>
  >;
  /**
   * Each group's newest and oldest key in the main set, in the order of the render steps (oldest
   * group first): an article page at a group's edge links the article past it.
   */
  readonly edges: readonly (readonly [string, string])[];
}

/**
 * Every set's window and pages from the groups' newest records (groups given newest first): a
 * window is the newest `maxItems` of its set, so it lies in the newest groups, and each period's
 * page holds the rest of the period.
 */
export function planLayout(
  site: SiteConfig,
  groups: readonly ReducedGroup[],
  revision: number,
  shardTag: string,
): RebuildPlan {
  const folders = new Set([mainSet, ...groups.flatMap((group) => Object.keys(group.newest))]);
  const sets: Record<string, { window: string[]; periods: Record<string, number> }> = {};
  for (const folder of [...folders].sort(compareText)) {
    const window: string[] = [];
    const inWindow = new Map<string, number>();
    for (const group of groups) {
      for (const [key, period] of group.newest[folder] ?? []) {
        if (window.length >= site.maxItems) break;
        window.push(key);
        inWindow.set(period, (inWindow.get(period) ?? 0) + 1);
      }
    }
    const pages: [string, number][] = [];
    for (const group of groups)
      for (const [period, count] of Object.entries(group.counts)) {
        const left = (count[folder] ?? 0) - (inWindow.get(period) ?? 0);
        if (left > 0) pages.push([period, left]);
      }
    pages.sort(([a], [b]) => compareText(a, b));
    sets[folder] = { window, periods: Object.fromEntries(pages) };
  }
  const edges = groups
    .map((group): [string, string] => [group.newest[mainSet]?.[0]?.[0] ?? '', group.oldest ?? ''])
    .reverse();
  return { revision, shardTag, sets, edges };
}

/**
 * Some periods' archive pages, set by set: their shards and files. The window's records are left
 * out of their period's page. Answers the paths written.
 */
export async function renderPeriods(
  context: RebuildContext,
  plan: RebuildPlan,
  periods: readonly (readonly [string, Readonly<Record<string, readonly string[]>>])[],
  known: ReadonlyMap<string, Article> = new Map(),
): Promise<string[]> {
  const { site, state, output } = context;
  const written: string[] = [];
  for (const [period, lists] of periods) {
    // A record in several sets is read once per period (and not at all when known).
    const articles = new Map<string, Article>();
    for (const [folder, keys] of Object.entries(lists)) {
      const set = plan.sets[folder];
      if (!set) continue;
      const inWindow = new Set(set.window);
      const pageKeys = keys.filter((key) => !inWindow.has(key));
      if (pageKeys.length === 0) continue;
      const missing = pageKeys.filter((key) => !articles.has(key) && !known.has(key));
      for (const article of await loadArticles(state, missing)) articles.set(article.key, article);
      const page = pageKeys.flatMap((key) => known.get(key) ?? articles.get(key) ?? []);
      await overwrite(
        state,
        stateKeys.shard(folder, period, plan.shardTag),
        encodeState(page.map(storeArticle)),
      );
      const files = renderPageFiles(
        site,
        folder,
        period,
        page,
        neighboursIn(Object.keys(set.periods), period),
      );
      written.push(...(await publish(output, files, plan.revision)));
    }
  }
  return written;
}

/**
 * One set's last step: its window and manifest, its current files, and its shards of earlier
 * layouts deleted. One step per set, so the last step does not grow with the number of sets or
 * their periods. Answers the set's category name (from its newest article).
 */
export async function finishSet(
  context: RebuildContext,
  plan: RebuildPlan,
  folder: string,
): Promise<{ written: string[]; category?: string }> {
  const { site, state, output } = context;
  const set = plan.sets[folder];
  if (!set) return { written: [] };
  const { revision } = plan;
  const window = await loadArticles(state, set.window);
  const shards = Object.fromEntries(Object.keys(set.periods).map((period) => [period, plan.shardTag]));
  const manifest: SetManifest = {
    folder,
    window: window.map(storeArticle),
    periods: set.periods,
    revision,
    shards,
  };
  await overwrite(state, stateKeys.manifest(folder), encodeState(manifest));
  const written = await publish(output, renderCurrentFiles(site, folder, window, set.periods), revision);
  await removeOtherShards(state, [folder], plan);
  const category = folder === mainSet ? undefined : window[0] && categoryNameIn(window[0], folder);
  return { written, ...(category ? { category } : {}) };
}

/**
 * The last step, once every set is finished (`finishSet`): the subscribe page and the site state
 * (the chunks' partial states added up); then whatever the previous layout had that this one
 * does not (sets, periods, numbered pages of earlier versions, the single-file state).
 */
export async function finishRebuild(
  context: RebuildContext,
  plan: RebuildPlan,
  previousLayout: PreviousLayout,
  parts: {
    readonly partials: readonly PartialSiteState[];
    readonly corrections: readonly RecordDelta[];
    readonly warnings: readonly RecordError[];
    /** Each category set's name, from `finishSet`. */
    readonly categories: ReadonlyMap<string, string | undefined>;
  },
): Promise<{ report: PublishReport; written: string[]; deleted: string[] }> {
  const { site, state, output, now } = context;
  const { revision } = plan;
  const written: string[] = [];
  const categories = parts.categories;
  const mainWindow = await loadArticles(
    state,
    (plan.sets[mainSet]?.window ?? []).slice(0, subscribePageItems),
  );
  const siteState: SiteState = {
    ...applyDeltas(
      addPartials(emptySiteState(readingKey(site), renderingKey(site)), parts.partials),
      parts.corrections,
      categories,
    ),
    reconciledAt: now.toISOString(),
    // Every file was written through the ledger's output (runPublish, runRebuildMessage).
    ledger: true,
    ...(context.places ? { places: context.places } : {}),
  };
  written.push(
    ...(await publish(output, renderSitePageFiles(site, mainWindow, siteState.categories), revision)),
  );
  const gone = await pathsGone(context, plan, previousLayout);
  const deleted: string[] = [];
  for (const path of new Set(gone)) if (await output.delete(path, revision)) deleted.push(path);
  await overwrite(state, stateKeys.site, encodeState(siteState));
  // The sets kept had theirs removed by their own steps; the sets gone lose them here.
  const goneSets = Object.keys(previousLayout.periods).filter((folder) => !plan.sets[folder]);
  await removeOtherShards(state, goneSets, plan);
  if (await output.read(legacyStatePath)) await output.delete(legacyStatePath);
  return { report: rebuildReport(siteState, parts.warnings, now), written, deleted };
}

/**
 * What the previous layout published that this one does not: sets gone (their manifests emptied
 * here), periods gone, and the numbered archive pages of earlier versions (the numbers stop at the
 * first one missing).
 */
async function pathsGone(
  context: RebuildContext,
  plan: RebuildPlan,
  previousLayout: PreviousLayout,
): Promise<string[]> {
  const { state, output } = context;
  const { revision } = plan;
  const gone: string[] = [];
  for (const [folder, periods] of Object.entries(previousLayout.periods)) {
    const set = plan.sets[folder];
    if (!set) {
      gone.push(...windowPaths(folder));
      const emptied: SetManifest = { folder, window: [], periods: {}, revision, shards: {} };
      await overwrite(state, stateKeys.manifest(folder), encodeState(emptied));
    }
    for (const period of periods)
      if (set?.periods[period] === undefined) gone.push(...periodPaths(folder, period));
  }
  for (let page = 1; ; page += 1) {
    const paths = feedPaths(`archive/${page}/`);
    if (!paths[0] || !(await output.read(paths[0]))) break;
    gone.push(...paths);
  }
  return gone;
}

/** A rebuild's report, from the site state it wrote. */
function rebuildReport(siteState: SiteState, warnings: readonly RecordError[], now: Date): PublishReport {
  return {
    published: siteState.counts.published,
    drafts: siteState.counts.draft,
    embargoed: siteState.counts.embargoed,
    expired: siteState.counts.expired,
    errors: Object.values(siteState.invalid).flatMap((entry) => entry.errors),
    warnings,
    keptLastGood: Object.entries(siteState.invalid)
      .filter(([, entry]) => entry.keptLastGood)
      .map(([key]) => key),
    nextChangeAt: duePending(siteState, now).next,
  };
}

function addPartials(state: SiteState, partials: readonly PartialSiteState[]): SiteState {
  const counts = { ...state.counts };
  const pending: Record<string, string> = {};
  const invalid: Record<string, SiteState['invalid'][string]> = {};
  let records = state.records;
  for (const partial of partials) {
    records += partial.records;
    for (const [visibility, count] of Object.entries(partial.counts))
      counts[visibility as keyof typeof counts] += count;
    Object.assign(pending, partial.pending);
    Object.assign(invalid, partial.invalid);
  }
  return { ...state, records, counts, pending: sortKeys(pending), invalid: sortKeys(invalid) };
}

/** Deletes article pages a rebuild found left; a page a record still has is rendered again later. */
export async function removePages(
  output: OutputStore,
  pages: readonly string[],
  revision: number,
): Promise<string[]> {
  const removed = await mapLimited([...new Set(pages)], concurrency, async (path) =>
    (await output.delete(path, revision)) ? [path] : [],
  );
  return removed.flat();
}

/** What laying out the sets keeps of a record state. */
function layoutRecordOf(record: RecordState): LayoutRecord | undefined {
  const article = articleOf(record);
  if (!record.placed || !article || !record.id) return undefined;
  return {
    key: record.key,
    id: record.id,
    published: article.published.toISOString(),
    sets: record.placed.sets,
    period: record.placed.period,
  };
}

/**
 * Shard objects the new manifests do not point at: those of the layout replaced, and any a
 * commit that failed midway left behind.
 */
async function removeOtherShards(
  state: StateStore,
  folders: readonly string[],
  plan: RebuildPlan,
): Promise<void> {
  const kept = new Set(
    Object.entries(plan.sets).flatMap(([folder, set]) =>
      Object.keys(set.periods).map((period) => stateKeys.shard(folder, period, plan.shardTag)),
    ),
  );
  const other: string[] = [];
  for (const folder of new Set(folders)) {
    for await (const page of state.list(stateKeys.shardsPrefix(folder))) {
      other.push(...page.map((entry) => entry.key).filter((key) => !kept.has(key)));
    }
  }
  await mapLimited(other, concurrency, (key) => state.delete(key));
}

/** Some article pages, each linking the neighbours its unit names. */
export async function renderArticlePages(
  context: RebuildContext,
  units: readonly PageUnit[],
  revision: number,
): Promise<string[]> {
  const byKey = new Map(units.map((unit) => [unit.key, unit]));
  const articles = await loadArticles(context.state, [...byKey.keys()]);
  const files = articles.flatMap((article) => {
    const unit = byKey.get(article.key);
    return renderArticlePageFile(context.site, article, { newer: unit?.newer, older: unit?.older }) ?? [];
  });
  return publish(context.output, files, revision);
}

export async function loadArticles(state: StateStore, keys: readonly string[]): Promise<Article[]> {
  const articles = await mapLimited(keys, concurrency, async (key) => {
    const where = stateKeys.record(key);
    const stored = await state.read(where);
    return stored ? articleOf(decodeRecordState(stored.text, where)) : undefined;
  });
  return articles.filter((article) => article !== undefined);
}

async function publish(output: OutputStore, files: readonly FeedFile[], revision: number): Promise<string[]> {
  const outcomes = await mapLimited(files, concurrency, (file) => writeFile(output, file, revision));
  return files.filter((_, index) => outcomes[index]).map((file) => file.path);
}

/** Writes over whatever version is there (a rebuild owns the state while it runs). */
export async function overwrite(
  state: StateStore,
  key: string,
  text: string,
  current?: { text: string; version: string },
): Promise<void> {
  const known = current ?? (await state.read(key));
  if (known?.text !== text) await state.write(key, text, { version: known?.version });
}
