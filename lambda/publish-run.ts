import type { FeedFile, SiteConfig } from './core/model.ts';
import { type PublishReport, publish } from './core/publish.ts';
import { readSiteConfig } from './core/site-config.ts';
import type { OutputStore, RecordStore } from './stores/store.ts';

export interface PublishRunOptions {
  readonly records: RecordStore;
  readonly output: OutputStore;
  readonly now: Date;
  /** Settings that win over site.json, such as the deployed feed URL. */
  readonly siteOverrides?: Partial<SiteConfig>;
}

export interface PublishRunResult {
  readonly report: PublishReport;
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
}

/** One publish: read the store, run the pure core, write what changed. The same in Lambda and locally. */
export async function runPublish(options: PublishRunOptions): Promise<PublishRunResult> {
  const site = readSiteConfig(await options.records.readSiteConfig(), options.siteOverrides);
  const records = await options.records.readRecords();
  const { files, report } = publish({ site, records, now: options.now });
  const outcomes = await writeAll(options.output, files);
  return {
    report,
    written: files.filter((_, index) => outcomes[index]).map((file) => file.path),
    unchanged: files.filter((_, index) => !outcomes[index]).map((file) => file.path),
  };
}

function writeAll(output: OutputStore, files: readonly FeedFile[]): Promise<boolean[]> {
  return Promise.all(files.map((file) => output.write(file)));
}
