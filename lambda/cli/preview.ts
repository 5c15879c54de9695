import { buildSite } from '../core/build-site.ts';
import type { FeedFile } from '../core/model.ts';
import { withTemplates } from '../core/render/template-check.ts';
import type { PublishReport } from '../core/report.ts';
import { readSiteConfig } from '../core/site-config.ts';
import { FsRecordStore } from '../stores/fs.ts';
import type { PreviewSource } from './file-server.ts';
import { readRecords } from './read-records.ts';

/**
 * The site as it would be with every draft and embargoed article published, built in memory
 * with its links at the preview's own origin. Nothing of it is ever written: the preview is the
 * one place drafts may be seen.
 */
export async function buildPreview(
  contentRoot: string,
  origin: string,
  now: Date,
  templates?: string,
): Promise<{ files: Map<string, FeedFile>; report: PublishReport }> {
  const store = new FsRecordStore(contentRoot, templates);
  const { site, check } = withTemplates(
    readSiteConfig(await store.readSiteConfig(), { feedBaseUrl: origin }),
    await store.readTemplates(),
  );
  const build = buildSite({ site, records: await readRecords(store), now, preview: true });
  const report = {
    ...build.report,
    errors: [...check.errors, ...build.report.errors],
    warnings: [...check.warnings, ...build.report.warnings],
  };
  return { files: new Map(build.files.map((file) => [file.path, file])), report };
}

/** Serves the latest preview build. */
export function memorySource(current: () => { files: Map<string, FeedFile>; builtAt: Date }): PreviewSource {
  return async (path) => {
    const { files, builtAt } = current();
    const file = files.get(path);
    return file ? { body: Buffer.from(file.body, 'utf8'), modified: builtAt } : undefined;
  };
}
