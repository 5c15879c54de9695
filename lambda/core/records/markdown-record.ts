import { parseDocument, type YAMLError } from 'yaml';
import { errorMessage } from '../error-message.ts';
import type { ArticleFields } from './article-fields.ts';
import { fieldLines } from './field-lines.ts';
import { lineAt } from './source-position.ts';
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
    prettyErrors: true,
    strict: true,
  });
  // Warnings include unknown tags such as `!!js/function`: front matter is plain data, so they are errors too.
  const [firstError] = [...document.errors, ...document.warnings];
  if (firstError) {
    context.problems.add('(front matter)', describeYamlError(firstError, text));
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
  context.problems.locate(fieldLines(document, match[1] ?? '', 2));
  return readStructuredFields(fields as Record<string, unknown>, context, text.slice(match[0].length));
}

/**
 * Where in the file the YAML went wrong (the front matter starts on line 2), the line itself, and
 * for the most common slip, a colon inside an unquoted value, how to write it.
 */
function describeYamlError(error: YAMLError, text: string): string {
  const what = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:$/, '') ?? error.code;
  const position = error.linePos?.[0];
  if (!position) return what;
  const line = position.line + 1;
  const source = lineAt(text, line);
  const where = `line ${line}, column ${position.col}: ${what}: ${JSON.stringify(source)}`;
  const colon = /^(\s*[\w-]+):\s+(.*:.*)$/.exec(source);
  if (error.code === 'BLOCK_AS_IMPLICIT_KEY' && colon) {
    return `${where}; a value with a colon in it must be quoted: ${colon[1]}: ${JSON.stringify(colon[2])}`;
  }
  return where;
}
