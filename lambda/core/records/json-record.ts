import { parseDocument } from 'yaml';
import { errorMessage } from '../error-message.ts';
import type { ArticleFields } from './article-fields.ts';
import { fieldLines } from './field-lines.ts';
import { lineAt, positionOf } from './source-position.ts';
import { type FieldContext, readStructuredFields } from './structured-fields.ts';

export function parseJsonRecord(text: string, context: FieldContext): ArticleFields | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    context.problems.add('(file)', `is not valid JSON: ${describeJsonError(errorMessage(error), text)}`);
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    context.problems.add('(file)', 'must hold one JSON object, like {"title": "...", "date": "..."}');
    return undefined;
  }
  // JSON.parse keeps the last of two equal keys silently; a record saying two things is rejected instead.
  const document = parseDocument(text, { uniqueKeys: true });
  const duplicate = document.errors.find((error) => error.code === 'DUPLICATE_KEY');
  if (duplicate) {
    const line = duplicate.linePos?.[0].line ?? 0;
    context.problems.add('(file)', `line ${line}: a key appears twice in the same object; keep one`);
    return undefined;
  }
  context.problems.locate(fieldLines(document, text));
  return readStructuredFields(value as Record<string, unknown>, context);
}

/** JSON.parse says "at position 12"; editors count lines and columns, and want to see the line. */
function describeJsonError(message: string, text: string): string {
  const found = / in JSON at position (\d+)/.exec(message);
  if (!found) return message;
  const { line, column } = positionOf(text, Number(found[1]));
  return `line ${line}, column ${column}: ${message.replace(found[0], '')}: ${JSON.stringify(lineAt(text, line))}`;
}
