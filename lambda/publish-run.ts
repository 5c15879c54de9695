import type { FeedFile, SiteConfig } from './core/model.ts';
import { type PublishReport, plan, recordsToRead } from './core/plan.ts';
import { readSiteConfig } from './core/site-config.ts';
import { readState, writeState } from './core/state.ts';
import { type OutputStore, type RecordStore, WriteConflictError } from './stores/store.ts';

/** Where the publisher keeps its own state, beside the feeds but never served. */
export const statePath = '_state/state.json';

export interface PublishRunOptions {
  readonly records: RecordStore;
  readonly output: OutputStore;
  readonly now: Date;
  /** Settings that win over site.json, such as the deployed feed URL. */
  readonly siteOverrides?: Partial<SiteConfig>;
  /** Render every feed, not only those whose items changed (see PlanInput.renderAll). */
  readonly renderAll?: boolean;
}

export interface PublishRunResult {
  readonly report: PublishReport;
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
}

/**
 * One publish: read the state and the records, run the pure core, write the files that changed,
 * then the state. A run that fails before the state is written is safe to repeat.
 */
export async function runPublish(options: PublishRunOptions): Promise<PublishRunResult> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await publishOnce(options);
    } catch (error) {
      // A concurrent publish won a conditional write: read its state and records again and redo the work.
      if (!(error instanceof WriteConflictError) || attempt >= maxAttempts) throw error;
    }
  }
}

const maxAttempts = 3;

async function publishOnce(options: PublishRunOptions): Promise<PublishRunResult> {
  const site = readSiteConfig(await options.records.readSiteConfig(), options.siteOverrides);
  const stored = await options.output.read(statePath);
  const previous = readState(stored?.text);
  const listing = await options.records.listRecords();
  const records = await options.records.readRecords(recordsToRead(listing, previous, site));
  const { files, state, report } = plan({
    site,
    listing,
    records,
    previous,
    now: options.now,
    renderAll: options.renderAll ?? true,
  });
  const outcomes = await writeAll(options.output, files);
  const stateText = writeState(state);
  if (stateText !== stored?.text) {
    // Only over the state this run started from: a publish that ran meanwhile makes this one start over.
    await options.output.write(
      {
        path: statePath,
        contentType: 'application/json; charset=utf-8',
        cacheControl: 'no-store',
        body: stateText,
      },
      { version: stored?.version },
    );
  }
  return {
    report,
    written: files.filter((_, index) => outcomes[index]).map((file) => file.path),
    unchanged: files.filter((_, index) => !outcomes[index]).map((file) => file.path),
  };
}

function writeAll(output: OutputStore, files: readonly FeedFile[]): Promise<boolean[]> {
  return Promise.all(files.map((file) => output.write(file)));
}
