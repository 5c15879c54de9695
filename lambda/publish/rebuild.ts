import type { PublishReport } from '../core/report.ts';
import type { SiteState } from '../core/state/site-state.ts';
import type { RebuildMessage } from '../stores/ports.ts';
import { createRebuildJob, RebuildStepError, runRebuildStep } from './rebuild-job.ts';
import type { RebuildContext } from './rebuild-steps.ts';

/** How far a rebuild has come, for a progress display. */
export interface Progress {
  readonly recordsRead: number;
  /** Records listed so far: the listing goes on while the first chunks are read. */
  readonly records: number;
  readonly filesWritten: number;
}

/**
 * Every record read and every set rendered from scratch, in this process: a first publish, an
 * upgrade from the single-file state, or a change of the settings reading or rendering depend
 * on. It runs the very steps a rebuild spread over the queue runs in Lambda (rebuild-job.ts), one
 * after another from a queue in memory, so memory stays flat however large the archive, and
 * both give the same files; `buildSite` does the same in memory for tests and previews.
 */
export async function rebuild(
  context: RebuildContext & {
    /** The job's id: the id of the lease the caller holds. */
    readonly id: string;
    readonly previous?: SiteState;
    readonly onProgress?: (progress: Progress) => void;
    /** Awaited after each step: the lease notes progress. */
    readonly onStep?: () => Promise<void>;
  },
): Promise<{ report: PublishReport; written: string[]; deleted: string[]; read: number }> {
  const queue: RebuildMessage[] = [await createRebuildJob(context, context.previous, context.id)];
  const local = { send: async (messages: readonly RebuildMessage[]) => void queue.push(...messages) };
  const written: string[] = [];
  const deleted: string[] = [];
  let listed = 0;
  let read = 0;
  for (let message = queue.shift(); message; message = queue.shift()) {
    const outcome = await runRebuildStep(context, local, message);
    listed += outcome?.listed ?? 0;
    written.push(...(outcome?.written ?? []));
    deleted.push(...(outcome?.deleted ?? []));
    read += outcome?.read ?? 0;
    await context.onStep?.();
    context.onProgress?.({
      recordsRead: read,
      records: Math.max(listed, read),
      filesWritten: written.length,
    });
    if (outcome?.finished) {
      const { finished } = outcome;
      return {
        report: finished.report,
        written: [...written, ...finished.written],
        deleted: [...deleted, ...finished.deleted],
        read,
      };
    }
  }
  throw new RebuildStepError(`rebuild ${context.id} ran out of steps before it finished`);
}
