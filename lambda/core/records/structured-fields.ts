import { markdownToHtml } from '../content/markdown.ts';
import { cleanLine, cleanMultiline } from '../content/plain-text.ts';
import { textToHtml } from '../content/text.ts';
import type { ArticleImage, Attachment, Person } from '../model.ts';
import type { ArticleFields } from './article-fields.ts';
import { DateReadError, readDate } from './dates.ts';
import type { RecordProblems } from './problems.ts';
import { recordFields, warnUnknownKeys } from './unknown-keys.ts';

export interface FieldContext {
  readonly problems: RecordProblems;
  /** IANA zone for dates written without an offset. */
  readonly timeZone: string;
}

type Fields = Readonly<Record<string, unknown>>;

/**
 * Validates the fields of a JSON record or of Markdown front matter. `body`, when given, is the
 * Markdown body and stands for `content_markdown`. Returns undefined when any field is wrong;
 * every problem is in `context.problems`.
 */
export function readStructuredFields(
  fields: Fields,
  context: FieldContext,
  markdownBody?: string,
): ArticleFields | undefined {
  const { problems } = context;
  warnUnknownKeys(fields, recordFields, problems);
  const id = optionalString(fields, 'id', problems);
  const title = requiredString(fields, 'title', problems);
  const published = requiredDate(fields, 'date', context);
  const updated = optionalDate(fields, 'updated', context);
  if (published && updated && updated < published) {
    problems.add('updated', `'${String(fields.updated)}' is earlier than date '${String(fields.date)}'`);
  }
  const contentHtml = readContent(fields, problems, markdownBody);
  const contentField =
    markdownBody !== undefined && markdownBody.trim() !== ''
      ? '(body)'
      : ['content_html', 'content_markdown', 'content_text'].find((name) => fields[name] !== undefined);
  const categories = stringList(fields, 'categories', problems);
  const draft = fields.draft ?? false;
  if (typeof draft !== 'boolean') problems.add('draft', `must be true or false, not ${describe(draft)}`);
  const language = optionalString(fields, 'language', problems);
  if (language !== undefined && !/^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(language)) {
    problems.add('language', `'${language}' is not a language tag like 'en' or 'pt-BR'`);
  }
  const result = {
    id,
    title: title ?? '',
    published: published ?? new Date(0),
    updated,
    summary: optionalString(fields, 'summary', problems),
    contentHtml: contentHtml ?? '',
    url: optionalUrl(fields, 'url', problems),
    authors: readAuthors(fields, problems),
    categories,
    tags: stringList(fields, 'tags', problems),
    image: readImage(fields, problems),
    attachments: readAttachments(fields, problems),
    language,
    source: optionalString(fields, 'source', problems),
    dateline: optionalString(fields, 'dateline', problems),
    draft: draft === true,
    expires: optionalDate(fields, 'expires', context),
    contentField,
  } satisfies ArticleFields;
  return problems.any ? undefined : result;
}

function readContent(fields: Fields, problems: RecordProblems, markdownBody?: string): string | undefined {
  const given = ['content_html', 'content_markdown', 'content_text'].filter(
    (name) => fields[name] !== undefined,
  );
  if (markdownBody !== undefined && markdownBody.trim() !== '') {
    if (given.length > 0) {
      problems.add(given[0] ?? '', 'a Markdown record takes its content from the body; remove this field');
      return undefined;
    }
    return markdownToHtml(markdownBody);
  }
  if (given.length === 0) {
    problems.add(
      'content_html',
      'the record has no content: give one of content_html, content_markdown, content_text',
    );
    return undefined;
  }
  if (given.length > 1) {
    problems.add(given[1] ?? '', `give only one of ${given.join(', ')}`);
    return undefined;
  }
  const name = given[0] ?? '';
  const value = requiredString(fields, name, problems);
  if (value === undefined) return undefined;
  if (name === 'content_markdown') return markdownToHtml(value);
  if (name === 'content_text') return textToHtml(value);
  return value;
}

function readAuthors(fields: Fields, problems: RecordProblems): Person[] {
  const value = fields.authors;
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.add('authors', `must be a list of {name, email, url}, not ${describe(value)}`);
    return [];
  }
  const authors: Person[] = [];
  value.forEach((entry: unknown, index) => {
    const field = `authors[${index}]`;
    if (typeof entry === 'string' && cleanLine(entry) !== '') {
      authors.push({ name: cleanLine(entry) });
    } else if (isObject(entry)) {
      const name = requiredString(entry, 'name', problems, `${field}.name`);
      const email = optionalString(entry, 'email', problems, `${field}.email`);
      if (email !== undefined && !/^[^\s@<>()]+@[^\s@<>()]+$/.test(email)) {
        problems.add(`${field}.email`, `'${email}' is not an e-mail address`);
      }
      const url = optionalUrl(entry, 'url', problems, `${field}.url`);
      if (name !== undefined) authors.push({ name, email, url });
    } else {
      problems.add(field, `must be a name or {name, email, url}, not ${describe(entry)}`);
    }
  });
  return authors;
}

function readImage(fields: Fields, problems: RecordProblems): ArticleImage | undefined {
  const value = fields.image;
  if (value === undefined) return undefined;
  if (typeof value === 'string') return { url: optionalUrl(fields, 'image', problems) };
  if (!isObject(value)) {
    problems.add('image', `must be a URL or {url, caption, credit, alt}, not ${describe(value)}`);
    return undefined;
  }
  warnUnknownKeys(value, ['url', 'caption', 'credit', 'alt', 'type', 'width', 'height'], problems, 'image.');
  return {
    url: optionalUrl(value, 'url', problems, 'image.url'),
    caption: optionalString(value, 'caption', problems, 'image.caption'),
    credit: optionalString(value, 'credit', problems, 'image.credit'),
    alt: optionalString(value, 'alt', problems, 'image.alt'),
    type: optionalMediaType(value, 'type', problems, 'image.type'),
    width: optionalCount(value, 'width', problems, 'image.width'),
    height: optionalCount(value, 'height', problems, 'image.height'),
  };
}

function readAttachments(fields: Fields, problems: RecordProblems): Attachment[] {
  const value = fields.attachments;
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.add(
      'attachments',
      `must be a list of {url, mime_type, title, size_in_bytes}, not ${describe(value)}`,
    );
    return [];
  }
  const attachments: Attachment[] = [];
  value.forEach((entry: unknown, index) => {
    const field = `attachments[${index}]`;
    if (!isObject(entry)) {
      problems.add(field, `must be {url, mime_type, title, size_in_bytes}, not ${describe(entry)}`);
      return;
    }
    const url =
      requiredString(entry, 'url', problems, `${field}.url`) &&
      optionalUrl(entry, 'url', problems, `${field}.url`);
    const mimeType =
      requiredString(entry, 'mime_type', problems, `${field}.mime_type`) &&
      optionalMediaType(entry, 'mime_type', problems, `${field}.mime_type`);
    const title = optionalString(entry, 'title', problems, `${field}.title`);
    const sizeInBytes = optionalCount(entry, 'size_in_bytes', problems, `${field}.size_in_bytes`);
    if (url && mimeType) attachments.push({ url, mimeType, title, sizeInBytes });
  });
  return attachments;
}

function optionalMediaType(
  fields: Fields,
  name: string,
  problems: RecordProblems,
  label: string,
): string | undefined {
  const value = optionalString(fields, name, problems, label);
  if (value === undefined) return undefined;
  if (/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i.test(value)) return value.toLowerCase();
  problems.add(label, `'${value}' is not a media type like 'image/jpeg'`);
  return undefined;
}

function optionalCount(
  fields: Fields,
  name: string,
  problems: RecordProblems,
  label: string,
): number | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  problems.add(label, `must be a whole number of 0 or more, not ${describe(value)}`);
  return undefined;
}

function stringList(fields: Fields, name: string, problems: RecordProblems): string[] {
  const value = fields[name];
  if (value === undefined) return [];
  const list: unknown[] = Array.isArray(value) ? value : [value];
  const strings: string[] = [];
  list.forEach((entry, index) => {
    if (typeof entry === 'string' && cleanLine(entry) !== '') strings.push(cleanLine(entry));
    else problems.add(`${name}[${index}]`, `must be a non-empty text, not ${describe(entry)}`);
  });
  return [...new Set(strings)];
}

function requiredString(
  fields: Fields,
  name: string,
  problems: RecordProblems,
  label = name,
): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null) {
    problems.add(label, 'is required');
    return undefined;
  }
  return optionalString(fields, name, problems, label);
}

/** Fields that may hold several lines; everything else is one line. */
const multilineFields = new Set(['content_html', 'content_markdown', 'content_text']);

function optionalString(
  fields: Fields,
  name: string,
  problems: RecordProblems,
  label = name,
): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    problems.add(label, `must be text, not ${describe(value)}`);
    return undefined;
  }
  const trimmed = multilineFields.has(name) ? cleanMultiline(value) : cleanLine(value);
  if (trimmed === '') {
    problems.add(label, 'is empty');
    return undefined;
  }
  return trimmed;
}

function optionalUrl(
  fields: Fields,
  name: string,
  problems: RecordProblems,
  label = name,
): string | undefined {
  const value = optionalString(fields, name, problems, label);
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
  } catch {
    // reported below
  }
  problems.add(label, `'${value}' is not an absolute http(s) URL`);
  return undefined;
}

function requiredDate(fields: Fields, name: string, context: FieldContext): Date | undefined {
  if (fields[name] === undefined || fields[name] === null) {
    context.problems.add(name, 'is required (like 2024-05-31T09:30:00+02:00)');
    return undefined;
  }
  return optionalDate(fields, name, context);
}

function optionalDate(fields: Fields, name: string, context: FieldContext): Date | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    context.problems.add(name, `must be a date text like 2024-05-31T09:30:00+02:00, not ${describe(value)}`);
    return undefined;
  }
  try {
    return readDate(value, context.timeZone);
  } catch (error) {
    if (!(error instanceof DateReadError)) throw error;
    context.problems.add(name, error.message);
    return undefined;
  }
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the text '${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  return `${typeof value} ${String(value)}`;
}
