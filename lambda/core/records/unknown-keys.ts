import { nearestOf } from '../nearest-name.ts';
import type { RecordProblems } from './problems.ts';

/** The fields a JSON record or Markdown front matter may have (docs/record.schema.json). */
export const recordFields = [
  'id',
  'title',
  'date',
  'updated',
  'summary',
  'content_html',
  'content_markdown',
  'content_text',
  'url',
  'authors',
  'categories',
  'tags',
  'image',
  'attachments',
  'language',
  'source',
  'dateline',
  'draft',
  'expires',
] as const;

/**
 * Warns of every key that is not a known field, with the nearest known one when a typo is
 * likely: a misspelt field is otherwise silently ignored.
 */
export function warnUnknownKeys(
  fields: Readonly<Record<string, unknown>>,
  known: readonly string[],
  problems: RecordProblems,
  prefix = '',
): void {
  for (const key of Object.keys(fields)) {
    if (known.includes(key)) continue;
    const nearest = nearestOf(key, known);
    problems.warn(
      `${prefix}${key}`,
      nearest
        ? `unknown field; did you mean ${nearest}?`
        : `unknown field, ignored; known fields: ${known.join(', ')}`,
    );
  }
}
