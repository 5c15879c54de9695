import type { ArticleFields } from './article-fields.ts';
import { type FieldContext, readStructuredFields } from './structured-fields.ts';

export function parseJsonRecord(text: string, context: FieldContext): ArticleFields | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    context.problems.add('(file)', `is not valid JSON: ${(error as Error).message}`);
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    context.problems.add('(file)', 'must hold one JSON object, like {"title": "...", "date": "..."}');
    return undefined;
  }
  return readStructuredFields(value as Record<string, unknown>, context);
}
