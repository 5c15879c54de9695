import type { PublishReport } from '../core/report.ts';
import type { SiteState } from '../core/state/site-state.ts';
import { mapLimited, type StateStore, WriteConflictError } from '../stores/store.ts';
import { readLegacyState } from './legacy-state.ts';
import { RecordingOutput } from './output-ledger.ts';
import { releaseLease, takeLease, touchLease } from './rebuild-lease.ts';
import {
  finishRebuild,
  type IndexedRecord,
  overwrite,
  type PreviousLayout,
  planRebuild,
  type RebuildContext,
  type RebuildPlan,
  type RenderTask,
  readChunk,
  readChunkSize,
  readPreviousLayout,
  renderTask,
} from './rebuild-steps.ts';

/** One step of a rebuild spread over a queue. */
export type RebuildMessage =
  | {
      readonly kind: 'rebuild-read';
      readonly job: string;
      readonly chunk: number;
      readonly keys: readonly string[];
      /** Ids the earlier single-file state held for these keys. */
      readonly remembered?: Readonly<Record<string, { readonly id?: string; readonly since?: string }>>;
    }
  | { readonly kind: 'rebuild-render'; readonly job: string; readonly task: number };

/** Where rebuild steps are sent: an SQS queue the same function reads, or a test's array. */
export interface TaskQueue {
  send(messages: readonly RebuildMessage[]): Promise<void>;
}

interface RebuildJob {
  readonly id: string;
  /** The rebuild's clock: every step decides visibility as of this instant. */
  readonly now: string;
  readonly chunks: number;
  readonly previousLayout: PreviousLayout;
}

const keys = {
  job: (id: string) => `rebuilds/${id}/job.json`,
  read: (id: string, chunk: number) => `rebuilds/${id}/read/${String(chunk).padStart(6, '0')}.json`,
  readPrefix: (id: string) => `rebuilds/${id}/read/`,
  plan: (id: string) => `rebuilds/${id}/plan.json`,
  task: (id: string, task: number) => `rebuilds/${id}/tasks/${String(task).padStart(6, '0')}.json`,
  rendered: (id: string, task: number) => `rebuilds/${id}/rendered/${String(task).padStart(6, '0')}.json`,
  renderedPrefix: (id: string) => `rebuilds/${id}/rendered/`,
  lock: (id: string, step: string) => `rebuilds/${id}/${step}.lock`,
  /** Each read step's message, kept so a stopped job can send again the steps it lacks. */
  chunk: (id: string, chunk: number) => `rebuilds/${id}/chunks/${String(chunk).padStart(6, '0')}.json`,
};

/**
 * Starts a rebuild spread over the queue: lists the records and sends one read step per chunk.
 * Each read step, when it finds itself the last, plans and sends the render steps; the last
 * render step finishes. No step reads more than a chunk of records or renders more than a task.
 */
export async function startRebuildJob(
  context: RebuildContext,
  queue: TaskQueue,
  previous: SiteState | undefined,
): Promise<void> {
  const { state, now } = context;
  const id = now.getTime().toString(36);
  // Taken before listing: of two publishes starting a rebuild at once, one goes on.
  await takeLease(state, { id, startedAt: now.toISOString(), progressAt: now.toISOString() });
  const legacy = await readLegacyState(context.output);
  const messages: RebuildMessage[] = [];
  let chunk: string[] = [];
  const flush = () => {
    if (chunk.length === 0) return;
    const remembered = legacy
      ? Object.fromEntries(
          chunk.flatMap((key) => {
            const known = legacy(key);
            return known ? [[key, { id: known.id, since: known.since }]] : [];
          }),
        )
      : undefined;
    messages.push({ kind: 'rebuild-read', job: id, chunk: messages.length, keys: chunk, remembered });
    chunk = [];
  };
  for await (const page of context.records.listRecords()) {
    for (const entry of page) {
      chunk.push(entry.key);
      if (chunk.length >= readChunkSize) flush();
    }
  }
  flush();
  const job: RebuildJob = {
    id,
    now: now.toISOString(),
    chunks: messages.length,
    previousLayout: await readPreviousLayout(context, previous),
  };
  await mapLimited(messages, 16, (message) =>
    message.kind === 'rebuild-read'
      ? overwrite(state, keys.chunk(id, message.chunk), JSON.stringify(message))
      : Promise.resolve(),
  );
  await state.write(keys.job(id), JSON.stringify(job), { version: undefined });
  if (messages.length === 0) {
    await finishJob(context, job, await planRebuild(context, [], job.previousLayout.revision));
  } else {
    await queue.send(messages);
  }
}

/**
 * Sends again the steps a stopped job lacks (its lease made no progress for a while: steps lost,
 * or an invocation that died holding a lock), so it goes on from where it stopped instead of
 * starting over. False when there is no job to resume (a rebuild in one process): take it over.
 */
export async function resumeRebuildJob(
  context: RebuildContext,
  queue: TaskQueue,
  id: string,
): Promise<boolean> {
  const { state } = context;
  const jobText = await state.read(keys.job(id));
  if (!jobText) return false;
  const job = JSON.parse(jobText.text) as RebuildJob;
  const chunkMessage = async (chunk: number) => {
    const stored = await state.read(keys.chunk(id, chunk));
    return stored ? [JSON.parse(stored.text) as RebuildMessage] : [];
  };
  const present = async (prefix: string) => {
    const found = new Set<number>();
    for await (const page of state.list(prefix))
      for (const entry of page) found.add(Number(entry.key.slice(prefix.length).replace(/\.json$/, '')));
    return found;
  };
  let messages: RebuildMessage[];
  if (!(await state.read(keys.lock(id, 'plan')))) {
    const read = await present(keys.readPrefix(id));
    const missing = Array.from({ length: job.chunks }, (_, chunk) => chunk).filter(
      (chunk) => !read.has(chunk),
    );
    // Every chunk read and no plan begun: the last read step, sent again, plans.
    messages = (await mapLimited(missing.length > 0 ? missing : [job.chunks - 1], 16, chunkMessage)).flat();
  } else {
    const plan = await state.read(keys.plan(id));
    if (!plan) {
      // The planner died: its lock goes, and a read step sent again plans anew.
      await state.delete(keys.lock(id, 'plan'));
      messages = await chunkMessage(job.chunks - 1);
    } else {
      const tasks = (JSON.parse(plan.text) as StoredPlan).tasks;
      if (tasks === 0) {
        // A plan with no page to render finishes in the planning step: plan again.
        await state.delete(keys.lock(id, 'plan'));
        await queue.send(await chunkMessage(job.chunks - 1));
        await touchLease(state, id, context.now);
        return true;
      }
      if (await state.read(keys.lock(id, 'finish'))) await state.delete(keys.lock(id, 'finish'));
      const rendered = await present(keys.renderedPrefix(id));
      const missing = Array.from({ length: tasks }, (_, task) => task).filter((task) => !rendered.has(task));
      messages = (missing.length > 0 ? missing : [tasks - 1]).map((task) => ({
        kind: 'rebuild-render' as const,
        job: id,
        task,
      }));
    }
  }
  await queue.send(messages);
  await touchLease(state, id, context.now);
  return true;
}

/** Runs one step of a rebuild. Steps may arrive more than once and in any order. */
export async function runRebuildMessage(
  context: RebuildContext,
  queue: TaskQueue,
  message: RebuildMessage,
): Promise<{ report: PublishReport; written: string[]; deleted: string[] } | undefined> {
  const output = RecordingOutput.over(context.output);
  const result = await runStep({ ...context, output }, queue, message).catch(async (error: unknown) => {
    await output.flush(context.state).catch(() => undefined);
    throw error;
  });
  await output.flush(context.state);
  return result;
}

async function runStep(
  context: RebuildContext,
  queue: TaskQueue,
  message: RebuildMessage,
): Promise<{ report: PublishReport; written: string[]; deleted: string[] } | undefined> {
  const jobText = await context.state.read(keys.job(message.job));
  if (!jobText) return undefined;
  const job = JSON.parse(jobText.text) as RebuildJob;
  const jobContext = { ...context, now: new Date(job.now) };
  await touchLease(context.state, job.id, context.now);
  // A step delivered again after the job moved on must not undo what came after it (such as the
  // records the plan rewrote when they lost an id claim).
  const next = message.kind === 'rebuild-read' ? 'plan' : 'finish';
  if (await context.state.read(keys.lock(job.id, next))) return undefined;
  if (message.kind === 'rebuild-read') {
    const remembered = message.remembered;
    const indexed = await readChunk(
      jobContext,
      message.keys,
      remembered ? (key) => remembered[key] : undefined,
    );
    await overwrite(context.state, keys.read(job.id, message.chunk), JSON.stringify(indexed));
    if ((await count(context.state, keys.readPrefix(job.id))) < job.chunks) return undefined;
    if (!(await takeLock(context.state, keys.lock(job.id, 'plan')))) return undefined;
    const records: IndexedRecord[] = [];
    for (let chunk = 0; chunk < job.chunks; chunk += 1) {
      const stored = await context.state.read(keys.read(job.id, chunk));
      records.push(...(JSON.parse(stored?.text ?? '[]') as IndexedRecord[]));
    }
    const plan = await planRebuild(jobContext, records, job.previousLayout.revision);
    // Each render step reads its own task, not the whole plan.
    await mapLimited([...plan.tasks.entries()], 16, ([task, content]) =>
      overwrite(context.state, keys.task(job.id, task), JSON.stringify(content)),
    );
    await overwrite(context.state, keys.plan(job.id), JSON.stringify({ ...plan, tasks: plan.tasks.length }));
    if (plan.tasks.length === 0) return finishJob(jobContext, job, plan);
    await queue.send(plan.tasks.map((_, task) => ({ kind: 'rebuild-render', job: job.id, task })));
    return undefined;
  }
  const stored = await context.state.read(keys.task(job.id, message.task));
  if (!stored) return undefined;
  const written = await renderTask(jobContext, JSON.parse(stored.text) as RenderTask);
  await overwrite(context.state, keys.rendered(job.id, message.task), JSON.stringify(written));
  const plan = JSON.parse((await context.state.read(keys.plan(job.id)))?.text ?? 'null') as StoredPlan | null;
  if (!plan || (await count(context.state, keys.renderedPrefix(job.id))) < plan.tasks) return undefined;
  if (!(await takeLock(context.state, keys.lock(job.id, 'finish')))) return undefined;
  return finishJob(jobContext, job, { ...plan, tasks: [] }, plan.tasks);
}

/** The plan as kept between steps: its tasks stored one by one, counted here. */
type StoredPlan = Omit<RebuildPlan, 'tasks'> & { readonly tasks: number };

async function finishJob(
  context: RebuildContext,
  job: RebuildJob,
  plan: RebuildPlan,
  taskCount = plan.tasks.length,
) {
  const pages: string[] = [];
  for (let task = 0; task < taskCount; task += 1) {
    const stored = await context.state.read(keys.rendered(job.id, task));
    pages.push(...(JSON.parse(stored?.text ?? '[]') as string[]));
  }
  const finished = await finishRebuild(context, plan, job.previousLayout, new Set(pages));
  const leftovers: string[] = [];
  for await (const page of context.state.list(`rebuilds/${job.id}/`))
    leftovers.push(...page.map((entry) => entry.key));
  await mapLimited(leftovers, 16, (key) => context.state.delete(key));
  await releaseLease(context.state, job.id);
  return { ...finished, written: [...pages, ...finished.written] };
}

async function count(state: StateStore, prefix: string): Promise<number> {
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
