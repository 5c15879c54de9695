import { nearestOf } from '../nearest-name.ts';
import type { RecordProblems } from './problems.ts';

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
