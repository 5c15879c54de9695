import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { count, type OutputFlags, printProblems } from './cli-output.ts';
import { buildSite } from './core/build-site.ts';
import { readSiteConfig, siteConfigWarnings } from './core/site-config.ts';
import { FsRecordStore } from './stores/fs.ts';
import { readRecords } from './stores/store.ts';

/** Checks every record (or one record file) as a first publish would, ids included, without writing anything. */
export async function validateCommand(target: string, flags: OutputFlags): Promise<number> {
  const file = await stat(target).catch(() => undefined);
  if (!file) {
    console.error(`feed-publisher: ${target} does not exist`);
    return 2;
  }
  // One record: the folder holding site.json above it is its content root.
  const contentRoot = file.isFile() ? findContentRoot(target) : target;
  if (!contentRoot) {
    console.error(
      `feed-publisher: no site.json above ${target}; a record is checked with its site's settings`,
    );
    return 2;
  }
  if (!file.isFile() && !(await stat(join(contentRoot, 'articles')).catch(() => undefined))) {
    console.error(
      `feed-publisher: ${contentRoot} has no articles/ folder; records go in ${join(contentRoot, 'articles')}/`,
    );
    return 2;
  }
  const store = new FsRecordStore(contentRoot);
  const siteText = await store.readSiteConfig();
  const site = readSiteConfig(siteText);
  const present = await readRecords(
    store,
    file.isFile() ? [relative(contentRoot, target).split(sep).join('/')] : undefined,
  );
  const { errors, warnings: recordWarnings } = buildSite({ site, records: present, now: new Date() }).report;
  const warnings = [...siteConfigWarnings(siteText), ...recordWarnings];
  const bad = new Set(errors.map((error) => error.key)).size;
  const failed = bad > 0 || (flags.strict && warnings.length > 0);
  if (flags.json) {
    console.log(JSON.stringify({ checked: present.length, invalid: bad, errors, warnings }));
    return failed ? 1 : 0;
  }
  printProblems(errors, warnings);
  console.log(
    `${count(present.length, 'record')} checked, ${present.length - bad} valid, ${bad} invalid; ${count(warnings.length, 'warning')}`,
  );
  return failed ? 1 : 0;
}

/** The nearest folder above `file` that holds site.json. */
function findContentRoot(file: string): string | undefined {
  for (let folder = dirname(file); ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'site.json'))) return folder;
    if (dirname(folder) === folder) return undefined;
  }
}
