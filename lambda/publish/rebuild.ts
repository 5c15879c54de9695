import type { PublishReport } from '../core/report.ts';
import type { SiteState } from '../core/state/site-state.ts';
import { readLegacyState } from './legacy-state.ts';
import {
  finishRebuild,
  type IndexedRecord,
  planRebuild,
  type RebuildContext,
  readChunk,
  readChunkSize,
  readPreviousLayout,
  renderTask,
} from './rebuild-steps.ts';

/** How far a rebuild has come, for a progress display. */
export interface Progress {
  readonly recordsRead: number;
  readonly records: number;
  readonly filesWritten: number;
}

/**
 * Every record read and every set rendered from scratch, in this process: a first publish, an
 * upgrade from the single-file state, or a change of the settings reading or rendering depend
 * on. It streams: records are read a chunk at a time into record states, the sets are laid out
 * from a small index of keys and dates, and each archive page is read back, rendered and written
 * on its own, so memory stays flat however large the archive. The same steps run spread over a
 * queue in Lambda (rebuild-job.ts), and `buildSite` does them in memory: all three agree.
 */
export async function rebuild(
  context: RebuildContext & {
    readonly previous?: SiteState;
    readonly onProgress?: (progress: Progress) => void;
    /** Awaited after each step (a chunk read, a task rendered): the lease notes progress. */
    readonly onStep?: () => Promise<void>;
  },
): Promise<{ report: PublishReport; written: string[]; deleted: string[]; read: number }> {
  const report = (progress: Progress) => context.onProgress?.(progress);
  const keys: string[] = [];
  for await (const page of context.records.listRecords()) keys.push(...page.map((entry) => entry.key));
  const previousLayout = await readPreviousLayout(context, context.previous);
  const legacy = await readLegacyState(context.output);
  const indexed: IndexedRecord[] = [];
  for (let start = 0; start < keys.length; start += readChunkSize) {
    indexed.push(...(await readChunk(context, keys.slice(start, start + readChunkSize), legacy)));
    await context.onStep?.();
    report({
      recordsRead: Math.min(start + readChunkSize, keys.length),
      records: keys.length,
      filesWritten: 0,
    });
  }
  const plan = await planRebuild(context, indexed, previousLayout.revision);
  const pages: string[] = [];
  for (const task of plan.tasks) {
    pages.push(...(await renderTask(context, task)));
    await context.onStep?.();
    report({ recordsRead: keys.length, records: keys.length, filesWritten: pages.length });
  }
  const finished = await finishRebuild(context, plan, previousLayout, new Set(pages));
  return { ...finished, written: [...pages, ...finished.written], read: keys.length };
}
