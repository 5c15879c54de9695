import { archiveFolder } from '../core/feed-sets/feed-set.ts';
import { sha256Hex } from '../core/hash.ts';
import type { ClaimCandidate } from '../core/records/read-record-state.ts';
import { feedPaths } from '../core/render/feed-files.ts';
import type { PublishReport } from '../core/report.ts';
import type { SiteState } from '../core/state/site-state.ts';
import { joinSorted, mapLimited, type StateStore, WriteConflictError } from '../stores/store.ts';
import { readLegacyState } from './legacy-state.ts';
import { RecordingOutput } from './output-ledger.ts';
import { releaseLease, takeLease, touchLease } from './rebuild-lease.ts';
import {
  finishRebuild,
  type LayoutRecord,
  overwrite,
  type PartialSiteState,
  type PreviousLayout,
  planLayout,
  type RebuildContext,
  type RebuildPlan,
  type ReducedPeriod,
  readChunk,
  readChunkSize,
  readPreviousLayout,
  reducePeriod,
  removePages,
  renderPeriod,
  type SettledClaims,
  settleClaims,
} from './rebuild-steps.ts';
import { recordStateKeys } from './record-listing.ts';

/**
 * A rebuild runs in phases, each a set of steps that may run at once: the records are listed (a
 * chain of steps, a few thousand keys each), read a chunk at a time, the id claims settled a
 * share of the ids at a time, each archive period laid out, then rendered; the last step writes
 * the windows and the site state. The last step of a phase starts the next. No step holds more
 * than a chunk, a share of the claims, or one period: memory and time stay flat per step however
 * large the archive (figures in docs/benchmarks.md).
 */
export type RebuildPhase = 'read' | 'settle' | 'reduce' | 'render';

/** One step of a rebuild, as sent over a queue. */
export type RebuildMessage =
  | {
      readonly kind: 'rebuild-list';
      readonly job: string;
      /** Which step of the listing chain this is. */
      readonly n: number;
      /** The key this step lists after (the last one the step before it listed). */
      readonly after?: string;
      /** The number its first chunk gets. */
      readonly chunk: number;
    }
  | { readonly kind: 'rebuild-step'; readonly job: string; readonly phase: RebuildPhase; readonly n: number }
  /** A step of a job an earlier version started: consumed and dropped (the job is taken over). */
  | { readonly kind: 'rebuild-read' | 'rebuild-render'; readonly job: string };

/** The message kinds of rebuild steps, this version's and earlier ones' (told from S3 events). */
export const rebuildMessageKinds: readonly string[] = [
  'rebuild-list',
  'rebuild-step',
  'rebuild-read',
  'rebuild-render',
];

/** Where rebuild steps are sent: an SQS queue the same function reads, or a test's array. */
export interface TaskQueue {
  send(messages: readonly RebuildMessage[]): Promise<void>;
}

interface RebuildJob {
  readonly version: 2;
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
  readonly periods: readonly string[];
  readonly read: number;
}

/** Ids are settled in this many shares (by the first hex digit of the id's hash). */
const claimShares = 16;
/** Records one listing step takes on: 20 pages of an S3 listing, 40 chunks. */
const listStepRecords = 20_000;
const concurrency = 16;
const nextPhase = { read: 'settle', settle: 'reduce', reduce: 'render', render: 'finish' } as const;
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
  index: (id: string, period: string, chunk: number) => `rebuilds/${id}/index/${period}/${pad(chunk)}.json`,
  indexPrefix: (id: string, period: string) => `rebuilds/${id}/index/${period}/`,
  claims: (id: string, share: number, chunk: number) =>
    `rebuilds/${id}/claims/${share.toString(16)}/${pad(chunk)}.json`,
  claimsPrefix: (id: string, share: number) => `rebuilds/${id}/claims/${share.toString(16)}/`,
  /** A period's records, set by set in feed order. */
  lists: (id: string, period: string) => `rebuilds/${id}/lists/${period}.json`,
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
    version: 2,
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
  const job = await readJson<RebuildJob>(state, keys.job(id));
  if (job?.version !== 2) return false;
  const phases: RebuildPhase[] = ['read', 'settle', 'reduce', 'render'];
  const sizes = await Promise.all(phases.map((phase) => readJson<PhaseSize>(state, keys.size(id, phase))));
  const current = phases.findLast((_, index) => sizes[index] !== undefined);
  const size = sizes[phases.indexOf(current ?? 'read')];
  const messages: RebuildMessage[] = [];
  if (!current || !size) {
    // Still listing: the latest listing step, and the read steps of the chunks listed so far.
    const list = await readJson<RebuildMessage>(state, keys.list(id));
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
  const job = await readJson<RebuildJob>(context.state, keys.job(message.job));
  if (job?.version !== 2 || (message.kind !== 'rebuild-list' && message.kind !== 'rebuild-step'))
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
  let outcome: StepOutcome = nothing;
  let result: unknown = {};
  switch (message.phase) {
    case 'read': {
      const read = await readStep(step, job, message.n);
      result = read.result;
      outcome = { ...nothing, deleted: read.deleted, read: read.result.read };
      break;
    }
    case 'settle':
      result = await settleStep(step, job, message.n);
      break;
    case 'reduce':
      result = await reduceStep(step, job, message.n);
      break;
    case 'render':
      outcome = { ...nothing, written: await renderStep(step, job, message.n) };
      break;
  }
  await overwrite(context.state, done, JSON.stringify(result));
  return { ...outcome, finished: await advance(step, queue, job, message.phase) };
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
    recordStateKeys(state, message.after),
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

/** Reads a chunk; leaves its records by period, its id claims by share, and its site state. */
async function readStep(
  context: RebuildContext,
  job: RebuildJob,
  n: number,
): Promise<{ result: ReadResult; deleted: string[] }> {
  const { state } = context;
  const chunk = await readJson<StoredChunk>(state, keys.chunk(job.id, n));
  if (!chunk) throw new RebuildStepError(`rebuild ${job.id}: chunk ${n} is missing`);
  const remembered = chunk.remembered;
  const read = await readChunk(
    context,
    chunk.keys,
    chunk.stale,
    remembered ? (key) => remembered[key] : undefined,
  );
  await mapLimited([...read.byPeriod], concurrency, ([period, records]) =>
    overwrite(state, keys.index(job.id, period, n), JSON.stringify(records)),
  );
  const shares = new Map<number, ClaimCandidate[]>();
  for (const candidate of read.candidates) {
    const share = Number.parseInt(sha256Hex(candidate.id).slice(0, 1), 16);
    shares.set(share, [...(shares.get(share) ?? []), candidate]);
  }
  await mapLimited([...shares], concurrency, ([share, candidates]) =>
    overwrite(state, keys.claims(job.id, share, n), JSON.stringify(candidates)),
  );
  // Pages left go now; a page another record holds since is written again when its period renders.
  const deleted = await removePages(context.output, read.pagesLeft, job.previousLayout.revision);
  return {
    result: {
      partial: read.partial,
      warnings: read.warnings,
      periods: [...read.byPeriod.keys()],
      read: chunk.keys.length,
    },
    deleted,
  };
}

async function settleStep(context: RebuildContext, job: RebuildJob, share: number): Promise<SettledClaims> {
  const parts = await readAll<ClaimCandidate[]>(context.state, keys.claimsPrefix(job.id, share));
  const settled = await settleClaims(
    context,
    parts.flatMap(([, candidates]) => candidates),
  );
  await mapLimited(parts, concurrency, ([key]) => context.state.delete(key));
  return settled;
}

async function reduceStep(context: RebuildContext, job: RebuildJob, n: number): Promise<ReducedPeriod> {
  const { state } = context;
  const period = await periodOf(state, job, 'reduce', n);
  const settled = await readAll<SettledClaims>(state, keys.donePrefix(job.id, 'settle'));
  const losers = new Set(settled.flatMap(([, share]) => share.losers));
  const parts = await readAll<LayoutRecord[]>(state, keys.indexPrefix(job.id, period));
  const { reduced, lists } = reducePeriod(
    context.site,
    period,
    parts.flatMap(([, records]) => records),
    losers,
  );
  await overwrite(state, keys.lists(job.id, period), JSON.stringify(lists));
  await mapLimited(parts, concurrency, ([key]) => state.delete(key));
  return reduced;
}

async function renderStep(context: RebuildContext, job: RebuildJob, n: number): Promise<string[]> {
  const { state } = context;
  const period = await periodOf(state, job, 'render', n);
  const plan = await readJson<RebuildPlan>(state, keys.plan(job.id));
  const lists = await readJson<Record<string, string[]>>(state, keys.lists(job.id, period));
  if (!plan || !lists)
    throw new RebuildStepError(`rebuild ${job.id}: the plan or period ${period} is missing`);
  return renderPeriod(context, plan, period, lists);
}

/** When the last step of a phase is done, one step (the one that takes its lock) starts the next. */
async function advance(
  context: RebuildContext,
  queue: TaskQueue,
  job: RebuildJob,
  phase: RebuildPhase,
): Promise<StepOutcome['finished']> {
  const { state } = context;
  const size = await readJson<PhaseSize>(state, keys.size(job.id, phase));
  if (!size || (await countKeys(state, keys.donePrefix(job.id, phase))) < size.count) return undefined;
  const next = nextPhase[phase];
  if (!(await takeLock(state, keys.lock(job.id, next)))) return undefined;
  const begin = async (phase: RebuildPhase, size: PhaseSize) => {
    await overwrite(state, keys.size(job.id, phase), JSON.stringify(size));
    if (size.count === 0) return advance(context, queue, job, phase);
    await queue.send(Array.from({ length: size.count }, (_, n) => stepMessage(job.id, phase, n)));
    return undefined;
  };
  switch (next) {
    case 'settle':
      return begin('settle', { count: claimShares });
    case 'reduce': {
      const reads = await readAll<ReadResult>(state, keys.donePrefix(job.id, 'read'));
      const periods = [...new Set(reads.flatMap(([, read]) => read.periods))].sort();
      return begin('reduce', { count: periods.length, items: periods });
    }
    case 'render': {
      const reduced = await readAll<ReducedPeriod>(state, keys.donePrefix(job.id, 'reduce'));
      const shardTag = `${job.previousLayout.revision}-${sha256Hex(job.id).slice(0, 8)}`;
      const plan = planLayout(
        context.site,
        reduced.map(([, period]) => period),
        job.previousLayout.revision,
        shardTag,
      );
      await overwrite(state, keys.plan(job.id), JSON.stringify(plan));
      const periods = reduced.map(([, period]) => period.period);
      return begin('render', { count: periods.length, items: periods });
    }
    case 'finish':
      return finishJob(context, job);
  }
}

async function finishJob(context: RebuildContext, job: RebuildJob): Promise<StepOutcome['finished']> {
  const { state } = context;
  const plan = await readJson<RebuildPlan>(state, keys.plan(job.id));
  if (!plan) throw new RebuildStepError(`rebuild ${job.id}: the plan is missing`);
  const reads = await readAll<ReadResult>(state, keys.donePrefix(job.id, 'read'));
  const settled = await readAll<SettledClaims>(state, keys.donePrefix(job.id, 'settle'));
  const finished = await finishRebuild(context, plan, job.previousLayout, {
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
    Object.keys(set.periods).flatMap((period) => feedPaths(archiveFolder(folder, period))),
  );
}

export class RebuildStepError extends Error {
  override readonly name = 'RebuildStepError';
}

function stepMessage(job: string, phase: RebuildPhase, n: number): RebuildMessage {
  return { kind: 'rebuild-step', job, phase, n };
}

async function periodOf(state: StateStore, job: RebuildJob, phase: RebuildPhase, n: number): Promise<string> {
  const period = (await readJson<PhaseSize>(state, keys.size(job.id, phase)))?.items?.[n];
  if (period === undefined) throw new RebuildStepError(`rebuild ${job.id}: ${phase} step ${n} has no period`);
  return period;
}

async function readJson<T>(state: StateStore, key: string): Promise<T | undefined> {
  const stored = await state.read(key);
  return stored ? (JSON.parse(stored.text) as T) : undefined;
}

/** Every object under a prefix, parsed, in key order. */
async function readAll<T>(state: StateStore, prefix: string): Promise<[string, T][]> {
  const found: string[] = [];
  for await (const page of state.list(prefix)) found.push(...page.map((entry) => entry.key));
  const parsed = await mapLimited(found, concurrency, async (key) => {
    const value = await readJson<T>(state, key);
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
