import { parseDocument } from 'yaml';
import { errorMessage } from '../error-message.ts';
import type { ArticleFields } from './article-fields.ts';
import { type FieldContext, readStructuredFields } from './structured-fields.ts';

const frontMatterPattern = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** Markdown with YAML front matter. The YAML is read as plain data: no tags that build objects or run code. */
export function parseMarkdownRecord(text: string, context: FieldContext): ArticleFields | undefined {
  const match = frontMatterPattern.exec(text);
  if (!match) {
    context.problems.add(
      '(front matter)',
      "must start with a '---' line, the YAML fields, and another '---' line",
    );
    return undefined;
  }
  const document = parseDocument(match[1] ?? '', {
    schema: 'core',
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
  });
  // Warnings include unknown tags such as `!!js/function`: front matter is plain data, so they are errors too.
  const [firstError] = [...document.errors, ...document.warnings];
  if (firstError) {
    // The front matter starts on line 2 of the file.
    const line = (firstError.linePos?.[0].line ?? 0) + 1;
    context.problems.add('(front matter)', `line ${line}: ${firstError.message.split('\n')[0]}`);
    return undefined;
  }
  let fields: unknown;
  try {
    // A small alias budget stops "billion laughs" documents before they expand.
    fields = document.toJS({ maxAliasCount: 50 });
  } catch (error) {
    context.problems.add('(front matter)', errorMessage(error));
    return undefined;
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    context.problems.add('(front matter)', 'must be a set of "key: value" lines');
    return undefined;
  }
  return readStructuredFields(fields as Record<string, unknown>, context, text.slice(match[0].length));
}
