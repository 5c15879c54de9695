import type { RecordError, SiteConfig, SourceRecord } from '../model.ts';
import type { ArticleFields } from './article-fields.ts';
import { parseJsonRecord } from './json-record.ts';
import { parseMarkdownRecord } from './markdown-record.ts';
import { parseNewsText } from './news-text-record.ts';
import { RecordProblems } from './problems.ts';
import type { FieldContext } from './structured-fields.ts';

/** What parsing needs from the site: the time zone for dates without an offset, and the limits. */
export type RecordSettings = Pick<SiteConfig, 'timezone' | 'limits'>;

export type ParsedRecord = (
  | { readonly ok: true; readonly key: string; readonly fields: ArticleFields }
  | { readonly ok: false; readonly key: string; readonly errors: readonly RecordError[] }
) & { readonly warnings: readonly RecordError[] };

const parsers: Record<string, (text: string, context: FieldContext) => ArticleFields | undefined> = {
  json: parseJsonRecord,
  md: parseMarkdownRecord,
  markdown: parseMarkdownRecord,
  txt: (text, context) => parseNewsText(text, context.problems, context.timeZone),
};

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Bytes of one record -> its validated fields, or every problem found in it. */
export function parseRecord(record: SourceRecord, settings: RecordSettings): ParsedRecord {
  const problems = new RecordProblems(record.key);
  const fields = readFields(record, settings, problems);
  if (fields) checkLimits(fields, settings, problems);
  const { warnings } = problems;
  return fields && !problems.any
    ? { ok: true, key: record.key, fields, warnings }
    : { ok: false, key: record.key, errors: problems.list, warnings };
}

function readFields(record: SourceRecord, settings: RecordSettings, problems: RecordProblems) {
  const extension = /\.([a-z0-9]+)$/i.exec(record.key)?.[1]?.toLowerCase();
  const parser = extension === undefined ? undefined : parsers[extension];
  if (!parser) {
    const kind = extension === undefined ? 'a file without an extension' : `'.${extension}'`;
    problems.add('(file)', `${kind} is not a record format; name records *.json, *.md or *.txt`);
    return undefined;
  }
  const { maxRecordBytes } = settings.limits;
  if (record.body.byteLength > maxRecordBytes) {
    problems.add(
      '(file)',
      `is ${record.body.byteLength} bytes; the limit is ${maxRecordBytes} (site.json limits)`,
    );
    return undefined;
  }
  let text: string;
  try {
    text = utf8.decode(record.body);
  } catch {
    problems.add('(file)', 'is not UTF-8 text; save it as UTF-8');
    return undefined;
  }
  if (text.includes('\u0000')) {
    problems.add('(file)', 'looks like a binary file, not a text record');
    return undefined;
  }
  return parser(text, { problems, timeZone: settings.timezone });
}

function checkLimits(fields: ArticleFields, settings: RecordSettings, problems: RecordProblems): void {
  const { maxTitleLength, maxCategories } = settings.limits;
  if ([...fields.title].length > maxTitleLength) {
    problems.add('title', `is ${[...fields.title].length} characters long; the limit is ${maxTitleLength}`);
  }
  if (fields.categories.length > maxCategories) {
    problems.add('categories', `has ${fields.categories.length} entries; the limit is ${maxCategories}`);
  }
}
