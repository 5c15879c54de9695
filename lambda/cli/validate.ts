import { existsSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { buildSite } from '../core/build-site.ts';
import { withTemplates } from '../core/render/template-check.ts';
import { readSiteConfig, siteConfigWarnings } from '../core/site-config.ts';
import { articleOf, type RecordState } from '../core/state/record-state.ts';
import { type VisibilityState, visibilityOf } from '../core/visibility.ts';
import { FsRecordStore } from '../stores/fs.ts';
import { count, linkWarnings, type OutputFlags, printProblems } from './output.ts';
import { readRecords } from './read-records.ts';
import { templatesFolder } from './stores.ts';

/** Checks every record (or one record file) as a first publish would, ids included, without writing anything. */
export async function validateCommand(
  target: string,
  flags: OutputFlags & { readonly templates?: string },
): Promise<number> {
  const place = await placeOf(target);
  if (typeof place === 'string') {
    console.error(`feed-publisher: ${place}`);
    return 2;
  }
  const { file, contentRoot } = place;
  const store = new FsRecordStore(contentRoot, templatesFolder(contentRoot, flags.templates));
  const siteText = await store.readSiteConfig();
  const { site, check } = withTemplates(readSiteConfig(siteText), await store.readTemplates());
  const present = await readRecords(
    store,
    file.isFile() ? [relative(contentRoot, target).split(sep).join('/')] : undefined,
  );
  const now = new Date();
  const build = buildSite({ site, records: present, now });
  const errors = [...check.errors, ...build.report.errors];
  const held = heldBack(build.state.records, now);
  const warnings = [
    ...siteConfigWarnings(siteText),
    ...check.warnings,
    ...linkWarnings(store),
    ...build.report.warnings,
  ];
  const faulty = [...new Set(errors.map((error) => error.key))];
  const templateErrors = faulty.filter((key) => key.startsWith('templates/')).length;
  const bad = faulty.length - templateErrors;
  const failed = faulty.length > 0 || (flags.strict && warnings.length > 0);
  if (flags.json) {
    console.log(
      JSON.stringify({ checked: present.length, invalid: bad, templateErrors, errors, warnings, held }),
    );
    return failed ? 1 : 0;
  }
  printProblems(errors, warnings);
  for (const record of held) console.log(describeHeld(record, site.timezone));
  const states = held.map((record) => record.state);
  const not = (state: VisibilityState) => states.filter((value) => value === state).length;
  console.log(
    `${count(present.length, 'record')} checked, ${present.length - bad} valid, ${bad} invalid; ${templateErrors > 0 ? `${count(templateErrors, 'template error')}; ` : ''}${count(warnings.length, 'warning')}${
      held.length > 0
        ? `; not published now: ${count(not('draft'), 'draft')}, ${not('embargoed')} embargoed, ${not('expired')} expired`
        : ''
    }`,
  );
  return failed ? 1 : 0;
}

/** What is checked: one record file or a content folder, and its content root; or what is wrong. */
async function placeOf(target: string): Promise<{ file: Stats; contentRoot: string } | string> {
  const file = await stat(target).catch(() => undefined);
  if (!file) return `${target} does not exist`;
  // One record: the folder holding site.json above it is its content root.
  const contentRoot = file.isFile() ? findContentRoot(target) : target;
  if (!contentRoot) return `no site.json above ${target}; a record is checked with its site's settings`;
  if (!file.isFile() && !(await stat(join(contentRoot, 'articles')).catch(() => undefined))) {
    return `${contentRoot} has no articles/ folder; records go in ${join(contentRoot, 'articles')}/`;
  }
  return { file, contentRoot };
}

/** A valid record that a publish now would leave out of the feeds, and until or since when. */
interface HeldRecord {
  readonly key: string;
  readonly state: Exclude<VisibilityState, 'published'>;
  readonly date: string;
  /** An embargo's end; an expired record's expiry. */
  readonly until?: string;
  readonly since?: string;
}

function heldBack(records: readonly RecordState[], now: Date): HeldRecord[] {
  return records.flatMap((record): HeldRecord[] => {
    const article = articleOf(record);
    if (!article) return [];
    const { state } = visibilityOf(article, now);
    if (state === 'published') return [];
    const date = article.published.toISOString();
    if (state === 'embargoed') return [{ key: record.key, state, date, until: date }];
    if (state === 'expired')
      return [{ key: record.key, state, date, since: article.expires?.toISOString() ?? date }];
    return [{ key: record.key, state, date }];
  });
}

/** `embargoed  articles/x.md: until 2026-12-10 08:00 (Europe/Berlin)`, in the site's time zone as records are written. */
function describeHeld(record: HeldRecord, timeZone: string): string {
  const local = (iso: string | undefined) => {
    const text = new Intl.DateTimeFormat('sv-SE', {
      timeZone,
      dateStyle: 'short',
      timeStyle: 'short',
    }).format(new Date(iso ?? record.date));
    return `${text} (${timeZone})`;
  };
  const when =
    record.state === 'embargoed'
      ? `until ${local(record.until)}`
      : record.state === 'expired'
        ? `expired ${local(record.since)}`
        : `draft: true, dated ${local(record.date)}`;
  return `${record.state.padEnd(9)}  ${record.key}: ${when}`;
}

/** The nearest folder above `file` that holds site.json. */
function findContentRoot(file: string): string | undefined {
  for (let folder = dirname(file); ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'site.json'))) return folder;
    if (dirname(folder) === folder) return undefined;
  }
}
