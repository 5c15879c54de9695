import type * as v from 'valibot';
import { joinSorted, mapLimited } from '../core/async-lists.ts';
import { mainSet } from '../core/feed-sets/feed-set.ts';
import { periodPaths } from '../core/feed-sets/set-files.ts';
import { sha256Hex } from '../core/hash.ts';
import type { PublishReport } from '../core/report.ts';
import { decodeJson } from '../core/state/decode-json.ts';
import type { ClaimCandidate } from '../core/state/read-record-state.ts';
import type { SiteState } from '../core/state/site-state.ts';
import type { RebuildMessage, RebuildPhase, TaskQueue } from '../stores/ports.ts';
import { type StateStore, WriteConflictError } from '../stores/ports.ts';
import { readLegacyState } from './legacy-state.ts';
import { RecordingOutput } from './output-ledger.ts';
import { mainOrderOf, pageSteps, pageUnitsOf } from './rebuild-article-pages.ts';
import { releaseLease, takeLease, touchLease } from './rebuild-lease.ts';
import {
  bucketListsSchema,
  claimCandidatesSchema,
  finishedSetSchema,
  layoutRecordsSchema,
  pageUnitsSchema,
  phaseSizeSchema,
  readResultSchema,
  rebuildJobSchema,
  rebuildMessageSchema,
  rebuildPlanSchema,
  reducedGroupSchema,
  renderedGroupSchema,
  settledClaimsSchema,
  storedChunkSchema,
} from './rebuild-records.ts';
import {
  finishRebuild,
  finishSet,
  loadArticles,
  overwrite,
  type PartialSiteState,
  type PreviousLayout,
  planLayout,
  type RebuildContext,
  type RebuildPlan,
  readChunk,
  readChunkSize,
  readPreviousLayout,
  reduceBuckets,
  removePages,
  renderArticlePages,
  renderPeriods,
  settleClaims,
} from './rebuild-steps.ts';
import { recordStateKeys } from './record-listing.ts';

interface RebuildJob {
  readonly version: 3;
  readonly id: string;
  /** The rebuild's clock: every step decides visibility as of this instant. */
  readonly now: string;
  readonly previousLayout: PreviousLayout;
}

/** A chunk of keys to read, and the record states listed beside them without a record. */
interface StoredChunk {
  readonly keys: readonly string[];
  readonly stale: readonly string[];
  /** Ids the earlier single-file state held for these keys. */
  readonly remembered?: Readonly<Record<string, { readonly id?: string; readonly since?: string }>>;
}

/** How many steps a phase has, and what each works on (a period) when not a number. */
interface PhaseSize {
  readonly count: number;
  readonly items?: readonly string[];
}

/** What a read step leaves for the later phases. */
interface ReadResult {
  readonly partial: PartialSiteState;
  readonly warnings: PublishReport['warnings'];
  /** How many placed records each bucket of periods got. */
  readonly buckets: Readonly<Record<string, number>>;
  readonly read: number;
}

/**
 * Id claims are left in this many shares (by the first two hex digits of the id's hash). Settling
 * writes an id claim per id kept: at a million records a step settling one share writes 15,600
 * (one step for 16 shares' worth made 62,500, over a minute at S3's latency).
 */
const claimShares = 64;
/** Ids one settle step takes on, about: a small archive settles in one step, a million in 64 (one share each). */
const settleStepIds = 15_625;

/** How many steps settle the claims of `chunks` read chunks: every share is settled by exactly one. */
export function settleStepsFor(chunks: number): number {
  return Math.min(claimShares, Math.max(1, Math.ceil((chunks * readChunkSize) / settleStepIds)));
}
/** Records one listing step takes on: 20 pages of an S3 listing, 40 chunks. */
const listStepRecords = 20_000;
const concurrency = 16;
/** Records one layout or render step takes on (whole buckets: at least one). */
const groupRecords = 1_000;
const nextPhase = {
  read: 'settle',
  settle: 'reduce',
  reduce: 'render',
  render: 'pages',
  pages: 'sets',
  sets: 'finish',
} as const;
const pad = (n: number) => String(n).padStart(6, '0');

const keys = {
  job: (id: string) => `rebuilds/${id}/job.json`,
  /** The latest listing step sent, so a stopped listing goes on from it. */
  list: (id: string) => `rebuilds/${id}/list.json`,
  listed: (id: string, n: number) => `rebuilds/${id}/listed/${pad(n)}.json`,
  chunk: (id: string, n: number) => `rebuilds/${id}/chunks/${pad(n)}.json`,
  chunksPrefix: (id: string) => `rebuilds/${id}/chunks/`,
  size: (id: string, phase: RebuildPhase) => `rebuilds/${id}/size/${phase}.json`,
  done: (id: string, phase: RebuildPhase, n: number) => `rebuilds/${id}/done/${phase}/${pad(n)}.json`,
  donePrefix: (id: string, phase: RebuildPhase) => `rebuilds/${id}/done/${phase}/`,
  index: (id: string, bucket: string, chunk: number) => `rebuilds/${id}/index/${bucket}/${pad(chunk)}.json`,
  indexPrefix: (id: string, bucket: string) => `rebuilds/${id}/index/${bucket}/`,
  pages: (id: string, share: number, group: number) =>
    `rebuilds/${id}/pages/${share.toString(16)}/${pad(group)}.json`,
  pagesPrefix: (id: string, share: number) => `rebuilds/${id}/pages/${share.toString(16)}/`,
  claims: (id: string, share: number, chunk: number) =>
    `rebuilds/${id}/claims/${share.toString(16)}/${pad(chunk)}.json`,
  claimsPrefix: (id: string, share: number) => `rebuilds/${id}/claims/${share.toString(16)}/`,
  /** A bucket's records, period by period and set by set in feed order. */
  lists: (id: string, bucket: string) => `rebuilds/${id}/lists/${bucket}.json`,
  plan: (id: string) => `rebuilds/${id}/plan.json`,
  lock: (id: string, phase: string) => `rebuilds/${id}/locks/${phase}.json`,
};

/** Writes a rebuild's job and answers its first step, the start of the listing. */
export async function createRebuildJob(
  context: RebuildContext,
  previous: SiteState | undefined,
  id: string,
): Promise<RebuildMessage> {
  const job: RebuildJob = {
    version: 3,
    id,
    now: context.now.toISOString(),
    previousLayout: await readPreviousLayout(context, previous),
  };
  const first: RebuildMessage = { kind: 'rebuild-list', job: id, n: 0, chunk: 0 };
  await context.state.write(keys.job(id), JSON.stringify(job), { version: undefined });
  await overwrite(context.state, keys.list(id), JSON.stringify(first));
  return first;
}

/** Starts a rebuild spread over the queue, under the lease (one rebuild at a time). */
export async function startRebuildJob(
  context: RebuildContext,
  queue: TaskQueue,
  previous: SiteState | undefined,
): Promise<void> {
  const { state, now } = context;
  const id = now.getTime().toString(36);
  // Taken before anything else: of two publishes starting a rebuild at once, one goes on.
  await takeLease(state, { id, startedAt: now.toISOString(), progressAt: now.toISOString() });
  await queue.send([await createRebuildJob(context, previous, id)]);
}

/**
 * Sends again the steps a stopped job lacks (its lease made no progress for a while: steps lost,
 * or an invocation that died starting the next phase), so it goes on from where it stopped
 * instead of starting over. False when there is no job to resume (a rebuild in one process, or
 * one an earlier version started): take it over.
 */
export async function resumeRebuildJob(
  context: RebuildContext,
  queue: TaskQueue,
  id: string,
): Promise<boolean> {
  const { state } = context;
  const job = await readJson(state, keys.job(id), rebuildJobSchema);
  if (job?.version !== 3) return false;
  const phases: RebuildPhase[] = ['read', 'settle', 'reduce', 'render', 'pages', 'sets'];
  const sizes = await Promise.all(
    phases.map((phase) => readJson(state, keys.size(id, phase), phaseSizeSchema)),
  );
  const current = phases.findLast((_, index) => sizes[index] !== undefined);
  const size = sizes[phases.indexOf(current ?? 'read')];
  const messages: RebuildMessage[] = [];
  if (!current || !size) {
    // Still listing: the latest listing step, and the read steps of the chunks listed so far.
    const list = await readJson(state, keys.list(id), rebuildMessageSchema);
    if (list) messages.push(list);
    const chunks = await keyNumbers(state, keys.chunksPrefix(id));
    const read = new Set(await keyNumbers(state, keys.donePrefix(id, 'read')));
    messages.push(...chunks.filter((n) => !read.has(n)).map((n) => stepMessage(id, 'read', n)));
  } else {
    const done = new Set(await keyNumbers(state, keys.donePrefix(id, current)));
    const missing = Array.from({ length: size.count }, (_, n) => n).filter((n) => !done.has(n));
    if (missing.length > 0) messages.push(...missing.map((n) => stepMessage(id, current, n)));
    else {
      // Every step done but the next phase never began: its starter died holding the lock.
      await state.delete(keys.lock(id, nextPhase[current]));
      messages.push(stepMessage(id, current, Math.max(size.count - 1, 0)));
    }
  }
  await queue.send(messages);
  await touchLease(state, id, context.now);
  return true;
}

/** What one step did; `finished` when it was the last. */
export interface StepOutcome {
  readonly written: readonly string[];
  readonly deleted: readonly string[];
  /** Records read (a read step). */
  readonly read: number;
  /** Records listed (a listing step). */
  readonly listed?: number;
  readonly finished?: { report: PublishReport; written: string[]; deleted: string[] };
}

/**
 * Runs one step from the queue (Lambda), recording its writes in the ledger, and answers the
 * rebuild's outcome when it finished it. Steps may arrive more than once and in any order.
 */
export async function runRebuildMessage(
  context: RebuildContext,
  queue: TaskQueue,
  message: RebuildMessage,
): Promise<{ report: PublishReport; written: string[]; deleted: string[] } | undefined> {
  if (message.kind !== 'rebuild-list' && message.kind !== 'rebuild-step') return undefined;
  const output = RecordingOutput.over(context.output);
  await touchLease(context.state, message.job, context.now);
  const outcome = await runRebuildStep({ ...context, output }, queue, message).catch(
    async (error: unknown) => {
      await output.flush(context.state).catch(() => undefined);
      throw error;
    },
  );
  await output.flush(context.state);
  return outcome?.finished;
}

/** Runs one step of a rebuild (without the ledger: the caller records and flushes). */
export async function runRebuildStep(
  context: RebuildContext,
  queue: TaskQueue,
  message: RebuildMessage,
): Promise<StepOutcome | undefined> {
  const job = await readJson(context.state, keys.job(message.job), rebuildJobSchema);
  if (job?.version !== 3 || (message.kind !== 'rebuild-list' && message.kind !== 'rebuild-step'))
    return undefined;
  const step = { ...context, now: new Date(job.now) };
  if (message.kind === 'rebuild-list') return listStep(step, queue, job, message);
  // A step delivered again after its phase moved on must not undo what came after it (such as
  // the record states the claims' settling rewrote).
  if (await context.state.read(keys.lock(job.id, nextPhase[message.phase]))) return undefined;
  const done = keys.done(job.id, message.phase, message.n);
  const nothing = { written: [], deleted: [], read: 0 };
  if (await context.state.read(done))
    return { ...nothing, finished: await advance(step, queue, job, message.phase) };
  const run = await runPhaseStep(step, job, message.phase, message.n);
  await overwrite(context.state, done, JSON.stringify(run.result ?? {}));
  // What the step consumed goes only once it is done: a step run again must find it all.
  await mapLimited(run.consumed ?? [], concurrency, (key) => context.state.delete(key));
  return {
    written: run.written ?? [],
    deleted: run.deleted ?? [],
    read: run.read ?? 0,
    finished: await advance(step, queue, job, message.phase),
  };
}

/** What one step of a phase did, left for the later phases (`result`) and for the caller. */
interface PhaseStepRun {
  readonly result?: unknown;
  readonly consumed?: readonly string[];
  readonly written?: readonly string[];
  readonly deleted?: readonly string[];
  readonly read?: number;
}

function runPhaseStep(
  context: RebuildContext,
  job: RebuildJob,
  phase: RebuildPhase,
  n: number,
): Promise<PhaseStepRun> {
  switch (phase) {
    case 'read':
      return readStep(context, job, n);
    case 'settle':
      return settleStep(context, job, n);
    case 'reduce':
      return reduceStep(context, job, n);
    case 'render':
      return renderStep(context, job, n);
    case 'pages':
      return pagesStep(context, job, n);
    case 'sets':
      return setStep(context, job, n);
  }
}

/** Lists one stretch of the records beside their record states, in chunks; sends their reads. */
async function listStep(
  context: RebuildContext,
  queue: TaskQueue,
  job: RebuildJob,
  message: Extract<RebuildMessage, { kind: 'rebuild-list' }>,
): Promise<StepOutcome | undefined> {
  const { state } = context;
  const listed = keys.listed(job.id, message.n);
  if (await state.read(listed)) return undefined;
  const { chunks, records, last, more } = await listChunks(context, message);
  await mapLimited([...chunks.entries()], concurrency, ([index, stored]) =>
    overwrite(state, keys.chunk(job.id, message.chunk + index), JSON.stringify(stored)),
  );
  const reads = chunks.map((_, index) => stepMessage(job.id, 'read', message.chunk + index));
  const chunkCount = message.chunk + chunks.length;
  if (more) {
    const next: RebuildMessage = {
      kind: 'rebuild-list',
      job: job.id,
      n: message.n + 1,
      after: last,
      chunk: chunkCount,
    };
    await overwrite(state, keys.list(job.id), JSON.stringify(next));
    await queue.send([...reads, next]);
  } else {
    await overwrite(
      state,
      keys.size(job.id, 'read'),
      JSON.stringify({ count: chunkCount } satisfies PhaseSize),
    );
    await queue.send(reads);
  }
  await overwrite(state, listed, '{}\n');
  const finished = more ? undefined : await advance(context, queue, job, 'read');
  return { written: [], deleted: [], read: 0, listed: records, finished };
}

/**
 * One listing step's stretch of records beside their record states, in chunks of `readChunkSize`
 * (with the ids the earlier single-file state held for them); `more` when the stretch ended
 * before the listing did, `last` the key it ended at.
 */
async function listChunks(
  context: RebuildContext,
  message: Extract<RebuildMessage, { kind: 'rebuild-list' }>,
): Promise<{ chunks: StoredChunk[]; records: number; last?: string; more: boolean }> {
  const legacy = await readLegacyState(context.output);
  const chunks: StoredChunk[] = [];
  let chunk = { keys: [] as string[], stale: [] as string[] };
  const flush = () => {
    if (chunk.keys.length + chunk.stale.length === 0) return;
    const remembered = legacy
      ? Object.fromEntries(
          chunk.keys.flatMap((key) => {
            const known = legacy(key);
            return known ? [[key, { id: known.id, since: known.since }]] : [];
          }),
        )
      : undefined;
    chunks.push({ ...chunk, ...(remembered ? { remembered } : {}) });
    chunk = { keys: [], stale: [] };
  };
  let records = 0;
  let last = message.after;
  let more = false;
  for await (const page of joinSorted(
    context.records.listRecords(message.after),
    recordStateKeys(context.state, message.after),
  )) {
    if (records >= listStepRecords) {
      more = true;
      break;
    }
    for (const entry of page) {
      if (entry.left) {
        chunk.keys.push(entry.key);
        records += 1;
      } else chunk.stale.push(entry.key);
      if (chunk.keys.length >= readChunkSize) flush();
      last = entry.key;
    }
  }
  flush();
  return { chunks, records, last, more };
}

/** Reads a chunk; leaves its records by bucket, its id claims, its site state. */
async function readStep(context: RebuildContext, job: RebuildJob, n: number): Promise<PhaseStepRun> {
  const { state } = context;
  const chunk = await readJson(state, keys.chunk(job.id, n), storedChunkSchema);
  if (!chunk) throw new RebuildStepError(`rebuild ${job.id}: chunk ${n} is missing`);
  const remembered = chunk.remembered;
  const read = await readChunk(
    context,
    chunk.keys,
    chunk.stale,
    remembered ? (key) => remembered[key] : undefined,
  );
  const shares = new Map<number, ClaimCandidate[]>();
  for (const candidate of read.candidates) {
    const share = Number.parseInt(sha256Hex(candidate.id).slice(0, 2), 16) % claimShares;
    shares.set(share, [...(shares.get(share) ?? []), candidate]);
  }
  await mapLimited(
    [
      ...[...read.byBucket].map(([bucket, records]) => [keys.index(job.id, bucket, n), records] as const),
      ...[...shares].map(([share, candidates]) => [keys.claims(job.id, share, n), candidates] as const),
    ],
    concurrency,
    ([key, value]) => overwrite(state, key, JSON.stringify(value)),
  );
  // Pages left go now; a page another record holds since is written again in the pages phase.
  const deleted = await removePages(context.output, read.pagesLeft, job.previousLayout.revision);
  const result: ReadResult = {
    partial: read.partial,
    warnings: read.warnings,
    buckets: Object.fromEntries([...read.byBucket].map(([bucket, records]) => [bucket, records.length])),
    read: chunk.keys.length,
  };
  return { result, deleted, read: chunk.keys.length };
}

async function settleStep(context: RebuildContext, job: RebuildJob, n: number): Promise<PhaseStepRun> {
  const size = await readJson(context.state, keys.size(job.id, 'settle'), phaseSizeSchema);
  const steps = size?.count ?? 1;
  const shares = Array.from({ length: claimShares }, (_, share) => share).filter(
    (share) => share % steps === n,
  );
  // One share after another: each read is already parallel, and reading all at once would hold
  // shares × concurrency files open (EMFILE under a 256-file limit).
  const parts: [string, ClaimCandidate[]][] = [];
  for (const share of shares)
    parts.push(...(await readAll(context.state, keys.claimsPrefix(job.id, share), claimCandidatesSchema)));
  const result = await settleClaims(
    context,
    parts.flatMap(([, candidates]) => candidates),
  );
  return { result, consumed: parts.map(([key]) => key) };
}

async function reduceStep(context: RebuildContext, job: RebuildJob, n: number): Promise<PhaseStepRun> {
  const { state } = context;
  const buckets = await groupOf(state, job, 'reduce', n);
  const settled = await readAll(state, keys.donePrefix(job.id, 'settle'), settledClaimsSchema);
  const losers = new Set(settled.flatMap(([, share]) => share.losers));
  const parts = (
    await Promise.all(
      buckets.map((bucket) => readAll(state, keys.indexPrefix(job.id, bucket), layoutRecordsSchema)),
    )
  ).flat();
  const { reduced, lists } = reduceBuckets(
    context.site,
    parts.flatMap(([, records]) => records),
    losers,
  );
  await mapLimited(buckets, concurrency, (bucket) =>
    overwrite(state, keys.lists(job.id, bucket), JSON.stringify(lists.get(bucket) ?? {})),
  );
  return { result: reduced, consumed: parts.map(([key]) => key) };
}

async function renderStep(context: RebuildContext, job: RebuildJob, n: number): Promise<PhaseStepRun> {
  const { state } = context;
  const buckets = await groupOf(state, job, 'render', n);
  const plan = await readJson(state, keys.plan(job.id), rebuildPlanSchema);
  if (!plan) throw new RebuildStepError(`rebuild ${job.id}: the plan is missing`);
  const periods: [string, Record<string, string[]>][] = [];
  for (const bucket of buckets) {
    const lists = await readJson(state, keys.lists(job.id, bucket), bucketListsSchema);
    if (!lists) throw new RebuildStepError(`rebuild ${job.id}: the layout of ${bucket} is missing`);
    periods.push(...Object.entries(lists));
  }
  // The group's main set is read once: for its archive pages, and for its article pages'
  // neighbours (with the article just past each end of the group).
  const order = mainOrderOf(periods);
  const edges = { newer: plan.edges[n + 1]?.[1] || undefined, older: plan.edges[n - 1]?.[0] || undefined };
  const edgeKeys = [edges.newer, edges.older].filter((key): key is string => key !== undefined);
  const articles = new Map(
    (await loadArticles(state, [...order, ...edgeKeys])).map((article) => [article.key, article]),
  );
  const written = await renderPeriods(context, plan, periods, articles);
  const units = pageUnitsOf(order, edges, articles);
  await mapLimited([...units], concurrency, ([share, list]) =>
    overwrite(state, keys.pages(job.id, share, n), JSON.stringify(list)),
  );
  const result: RenderedGroup = {
    pages: Object.fromEntries([...units].map(([share, list]) => [share, list.length])),
  };
  return { result, written, consumed: buckets.map((bucket) => keys.lists(job.id, bucket)) };
}

/** What a render step leaves for the pages phase: how many article pages it left, by share. */
interface RenderedGroup {
  readonly pages?: Readonly<Record<string, number>>;
}

async function pagesStep(context: RebuildContext, job: RebuildJob, n: number): Promise<PhaseStepRun> {
  const { state } = context;
  const [share = 0, from = 0, to = -1] = (await groupOf(state, job, 'pages', n)).map(Number);
  const prefix = keys.pagesPrefix(job.id, share);
  // Only this step's groups are read: the share holds every group's part.
  const parts = await readAll(state, prefix, pageUnitsSchema, (key) => {
    const group = Number(key.slice(prefix.length).replace(/\.json$/, ''));
    return group >= from && group <= to;
  });
  const units = parts.flatMap(([, units]) => units);
  return {
    written: await renderArticlePages(context, units, job.previousLayout.revision),
    consumed: parts.map(([key]) => key),
  };
}

/** What a set's step leaves for the last step. */
interface FinishedSet {
  readonly folder: string;
  readonly category?: string;
}

async function setStep(context: RebuildContext, job: RebuildJob, n: number): Promise<PhaseStepRun> {
  const { state } = context;
  const folder = (await readJson(state, keys.size(job.id, 'sets'), phaseSizeSchema))?.items?.[n];
  const plan = await readJson(state, keys.plan(job.id), rebuildPlanSchema);
  if (folder === undefined || !plan)
    throw new RebuildStepError(`rebuild ${job.id}: sets step ${n} has nothing to do`);
  const { written, category } = await finishSet(context, plan, folder);
  const result: FinishedSet = { folder, ...(category ? { category } : {}) };
  return { result, written };
}

/** When the last step of a phase is done, one step (the one that takes its lock) starts the next. */
async function advance(
  context: RebuildContext,
  queue: TaskQueue,
  job: RebuildJob,
  phase: RebuildPhase,
): Promise<StepOutcome['finished']> {
  const { state } = context;
  const size = await readJson(state, keys.size(job.id, phase), phaseSizeSchema);
  if (!size || (await countKeys(state, keys.donePrefix(job.id, phase))) < size.count) return undefined;
  const next = nextPhase[phase];
  if (!(await takeLock(state, keys.lock(job.id, next)))) return undefined;
  if (next === 'finish') return finishJob(context, job);
  const nextSize = await sizeOf(context, job, next);
  await overwrite(state, keys.size(job.id, next), JSON.stringify(nextSize));
  if (nextSize.count === 0) return advance(context, queue, job, next);
  await queue.send(Array.from({ length: nextSize.count }, (_, n) => stepMessage(job.id, next, n)));
  return undefined;
}

/** How many steps a phase about to start has, from what the phase before it left (the plan too, for render). */
async function sizeOf(
  context: RebuildContext,
  job: RebuildJob,
  phase: Exclude<RebuildPhase, 'read'>,
): Promise<PhaseSize> {
  const { state } = context;
  switch (phase) {
    case 'settle': {
      const read = await readJson(state, keys.size(job.id, 'read'), phaseSizeSchema);
      return { count: settleStepsFor(read?.count ?? 1) };
    }
    case 'reduce': {
      const reads = await readAll(state, keys.donePrefix(job.id, 'read'), readResultSchema);
      const sizes = new Map<string, number>();
      for (const [, read] of reads)
        for (const [bucket, count] of Object.entries(read.buckets))
          sizes.set(bucket, (sizes.get(bucket) ?? 0) + count);
      const groups = groupBuckets(sizes);
      return { count: groups.length, items: groups };
    }
    case 'render': {
      const groups = (await readJson(state, keys.size(job.id, 'reduce'), phaseSizeSchema))?.items ?? [];
      const reduced = await readAll(state, keys.donePrefix(job.id, 'reduce'), reducedGroupSchema);
      const shardTag = `${job.previousLayout.revision}-${sha256Hex(job.id).slice(0, 8)}`;
      // Groups hold consecutive buckets in order, so the last is the newest.
      const plan = planLayout(
        context.site,
        reduced.map(([, group]) => group).reverse(),
        job.previousLayout.revision,
        shardTag,
      );
      await overwrite(state, keys.plan(job.id), JSON.stringify(plan));
      return { count: groups.length, items: groups };
    }
    case 'pages': {
      const prefix = keys.donePrefix(job.id, 'render');
      const rendered = await readAll(state, prefix, renderedGroupSchema);
      const counts = new Map(
        rendered.map(([key, group]) => [
          Number(key.slice(prefix.length).replace(/\.json$/, '')),
          group.pages ?? {},
        ]),
      );
      const items = pageSteps(counts);
      return { count: items.length, items };
    }
    case 'sets': {
      const plan = await readJson(state, keys.plan(job.id), rebuildPlanSchema);
      const folders = Object.keys(plan?.sets ?? {});
      return { count: folders.length, items: folders };
    }
  }
}

async function finishJob(context: RebuildContext, job: RebuildJob): Promise<StepOutcome['finished']> {
  const { state } = context;
  const plan = await readJson(state, keys.plan(job.id), rebuildPlanSchema);
  if (!plan) throw new RebuildStepError(`rebuild ${job.id}: the plan is missing`);
  const reads = await readAll(state, keys.donePrefix(job.id, 'read'), readResultSchema);
  const settled = await readAll(state, keys.donePrefix(job.id, 'settle'), settledClaimsSchema);
  const sets = await readAll(state, keys.donePrefix(job.id, 'sets'), finishedSetSchema);
  const categories = new Map(
    sets.filter(([, set]) => set.folder !== mainSet).map(([, set]) => [set.folder, set.category] as const),
  );
  const finished = await finishRebuild(context, plan, job.previousLayout, {
    categories,
    partials: reads.map(([, read]) => read.partial),
    corrections: settled.flatMap(([, share]) => share.corrections),
    warnings: [
      ...settled.flatMap(([, share]) => share.notices),
      ...reads.flatMap(([, read]) => read.warnings),
    ],
  });
  const leftovers: string[] = [];
  for await (const page of state.list(`rebuilds/${job.id}/`))
    leftovers.push(...page.map((entry) => entry.key));
  await mapLimited(leftovers, concurrency, (key) => state.delete(key));
  await releaseLease(state, job.id);
  return finished;
}

/** The archive pages a finished rebuild rendered, for the invalidation (bounded by sets × periods). */
export function archivePathsOf(plan: RebuildPlan): string[] {
  return Object.entries(plan.sets).flatMap(([folder, set]) =>
    Object.keys(set.periods).flatMap((period) => periodPaths(folder, period)),
  );
}

export class RebuildStepError extends Error {
  override readonly name = 'RebuildStepError';
}

function stepMessage(job: string, phase: RebuildPhase, n: number): RebuildMessage {
  return { kind: 'rebuild-step', job, phase, n };
}

/** What step `n` of a phase works on: its buckets (layout, render), or its share and chunks (pages). */
async function groupOf(
  state: StateStore,
  job: RebuildJob,
  phase: RebuildPhase,
  n: number,
): Promise<string[]> {
  const item = (await readJson(state, keys.size(job.id, phase), phaseSizeSchema))?.items?.[n];
  if (item === undefined)
    throw new RebuildStepError(`rebuild ${job.id}: ${phase} step ${n} has nothing to do`);
  return item.split(' ');
}

/** Consecutive buckets, in order, grouped up to `groupRecords` records a group (a bucket is never split). */
function groupBuckets(sizes: ReadonlyMap<string, number>): string[] {
  const groups: string[] = [];
  let group: string[] = [];
  let records = 0;
  for (const bucket of [...sizes.keys()].sort()) {
    if (group.length > 0 && records + (sizes.get(bucket) ?? 0) > groupRecords) {
      groups.push(group.join(' '));
      group = [];
      records = 0;
    }
    group.push(bucket);
    records += sizes.get(bucket) ?? 0;
  }
  if (group.length > 0) groups.push(group.join(' '));
  return groups;
}

/** A rebuild's object, checked against its schema (rebuild-records.ts); undefined when absent. */
async function readJson<T>(
  state: StateStore,
  key: string,
  schema: v.GenericSchema<unknown, T>,
): Promise<T | undefined> {
  const stored = await state.read(key);
  return stored ? decodeJson(stored.text, schema, key) : undefined;
}

/** Every object under a prefix (those `keep` takes, when given), parsed, in key order. */
async function readAll<T>(
  state: StateStore,
  prefix: string,
  schema: v.GenericSchema<unknown, T>,
  keep: (key: string) => boolean = () => true,
): Promise<[string, T][]> {
  const found: string[] = [];
  for await (const page of state.list(prefix)) found.push(...page.map((entry) => entry.key).filter(keep));
  const parsed = await mapLimited(found, concurrency, async (key) => {
    const value = await readJson(state, key, schema);
    return value === undefined ? [] : [[key, value] as [string, T]];
  });
  return parsed.flat();
}

/** The numbers of the objects under a prefix (`…/000042.json`). */
async function keyNumbers(state: StateStore, prefix: string): Promise<number[]> {
  const found: number[] = [];
  for await (const page of state.list(prefix))
    for (const entry of page) found.push(Number(entry.key.slice(prefix.length).replace(/\.json$/, '')));
  return found;
}

async function countKeys(state: StateStore, prefix: string): Promise<number> {
  let total = 0;
  for await (const page of state.list(prefix)) total += page.length;
  return total;
}

/** Exactly one step takes a lock: the object is created only if absent. */
async function takeLock(state: StateStore, key: string): Promise<boolean> {
  try {
    await state.write(key, '{}\n', { version: undefined });
    return true;
  } catch (error) {
    if (error instanceof WriteConflictError) return false;
    throw error;
  }
}
