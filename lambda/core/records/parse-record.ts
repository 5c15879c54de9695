import type { RecordError, SourceRecord } from '../model.ts';
import type { ArticleFields } from './article-fields.ts';
import { parseJsonRecord } from './json-record.ts';
import { parseMarkdownRecord } from './markdown-record.ts';
import { parseNewsText } from './news-text-record.ts';
import { RecordProblems } from './problems.ts';
import type { FieldContext, RecordLimits } from './structured-fields.ts';

export interface RecordOptions extends RecordLimits {
  readonly timeZone: string;
  readonly maxRecordBytes: number;
}

export type ParsedRecord =
  | { readonly ok: true; readonly key: string; readonly fields: ArticleFields }
  | { readonly ok: false; readonly key: string; readonly errors: readonly RecordError[] };

const parsers: Record<string, (text: string, context: FieldContext) => ArticleFields | undefined> = {
  json: parseJsonRecord,
  md: parseMarkdownRecord,
  markdown: parseMarkdownRecord,
  txt: (text, context) => parseNewsText(text, context.problems),
};

/** The record formats, by file extension. */
export const recordExtensions = Object.keys(parsers);

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Bytes of one record -> its validated fields, or every problem found in it. */
export function parseRecord(record: SourceRecord, options: RecordOptions): ParsedRecord {
  const problems = new RecordProblems(record.key);
  const fields = readFields(record, options, problems);
  return fields && !problems.any
    ? { ok: true, key: record.key, fields }
    : { ok: false, key: record.key, errors: problems.list };
}

function readFields(record: SourceRecord, options: RecordOptions, problems: RecordProblems) {
  const extension = /\.([a-z0-9]+)$/i.exec(record.key)?.[1]?.toLowerCase() ?? '';
  const parser = parsers[extension];
  if (!parser) {
    problems.add('(file)', `'.${extension}' is not a record format; use .json, .md or .txt`);
    return undefined;
  }
  if (record.body.byteLength > options.maxRecordBytes) {
    problems.add('(file)', `is ${record.body.byteLength} bytes; the limit is ${options.maxRecordBytes}`);
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
  return parser(text, { problems, timeZone: options.timeZone, limits: options });
}
