import { markdownToHtml } from '../content/markdown.ts';
import { cleanLine } from '../content/plain-text.ts';
import { textToHtml } from '../content/text.ts';
import type { ArticleImage, Attachment, Person } from '../model.ts';
import type { ArticleFields } from './article-fields.ts';
import { describe, FieldReader, type Fields } from './field-reader.ts';
import type { RecordProblems } from './problems.ts';
import { attachmentFields, contentFields, imageFields, personFields, recordFields } from './record-fields.ts';
import { warnUnknownKeys } from './unknown-keys.ts';

export interface FieldContext {
  readonly problems: RecordProblems;
  /** IANA zone for dates written without an offset. */
  readonly timeZone: string;
}

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
  const { problems, timeZone } = context;
  warnUnknownKeys(fields, recordFields, problems);
  const read = new FieldReader(fields, problems);
  const id = read.string('id');
  const title = read.string('title', { required: true });
  const published = read.date('date', timeZone, { required: true });
  const updated = read.date('updated', timeZone);
  if (published && updated && updated < published) {
    read.report('updated', `'${String(fields.updated)}' is earlier than date '${String(fields.date)}'`);
  }
  const contentHtml = readContent(read, markdownBody);
  const contentField =
    markdownBody !== undefined && markdownBody.trim() !== ''
      ? '(body)'
      : contentFields.find((name) => fields[name] !== undefined);
  const categories = read.strings('categories');
  const draft = read.boolean('draft', false);
  const language = read.string('language');
  if (language !== undefined && !/^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(language)) {
    read.report('language', `'${language}' is not a language tag like 'en' or 'pt-BR'`);
  }
  const result = {
    id,
    title: title ?? '',
    published: published ?? new Date(0),
    updated,
    summary: read.string('summary'),
    contentHtml: contentHtml ?? '',
    url: read.url('url'),
    authors: readAuthors(read),
    categories,
    tags: read.strings('tags'),
    image: readImage(read),
    attachments: readAttachments(read),
    language,
    source: read.string('source'),
    dateline: read.string('dateline'),
    draft,
    expires: read.date('expires', timeZone),
    contentField,
    contentLine: contentField === undefined ? undefined : problems.lineOf(contentField),
  } satisfies ArticleFields;
  return problems.any ? undefined : result;
}

function readContent(read: FieldReader, markdownBody?: string): string | undefined {
  const given = contentFields.filter((name) => read.fields[name] !== undefined);
  if (markdownBody !== undefined && markdownBody.trim() !== '') {
    if (given.length > 0) {
      read.report(given[0] ?? '', 'a Markdown record takes its content from the body; remove this field');
      return undefined;
    }
    return markdownToHtml(markdownBody);
  }
  if (given.length === 0) {
    read.report('content_html', `the record has no content: give one of ${contentFields.join(', ')}`);
    return undefined;
  }
  if (given.length > 1) {
    read.report(given[1] ?? '', `give only one of ${given.join(', ')}`);
    return undefined;
  }
  const name = given[0] ?? 'content_html';
  const value = read.string(name, { required: true });
  if (value === undefined) return undefined;
  if (name === 'content_markdown') return markdownToHtml(value);
  if (name === 'content_text') return textToHtml(value);
  return value;
}

/** Authors: names, or `{name, email, url}` objects. */
function readAuthors(read: FieldReader): Person[] {
  return read
    .objects('authors', `{${personFields.join(', ')}}`)
    .flatMap(({ index, entry, reader }): Person[] => {
      if (typeof entry === 'string' && cleanLine(entry) !== '') return [{ name: cleanLine(entry) }];
      if (!reader) {
        read.report(
          `authors[${index}]`,
          `must be a name or {${personFields.join(', ')}}, not ${describe(entry)}`,
        );
        return [];
      }
      const person = readPerson(reader);
      return person ? [person] : [];
    });
}

/** One person, `{name, email?, url?}`: a record's author or the site's. */
export function readPerson(read: FieldReader): Person | undefined {
  const name = read.string('name', { required: true });
  const email = read.email('email');
  const url = read.url('url');
  return name === undefined ? undefined : { name, email, url };
}

function readImage(read: FieldReader): ArticleImage | undefined {
  const value = read.fields.image;
  if (value === undefined) return undefined;
  if (typeof value === 'string') return { url: read.url('image') };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    read.report('image', `must be a URL or {url, caption, credit, alt}, not ${describe(value)}`);
    return undefined;
  }
  const image = read.nested(value as Fields, 'image.');
  warnUnknownKeys(image.fields, imageFields, read.problems, 'image.');
  const described = {
    url: image.url('url'),
    caption: image.string('caption'),
    credit: image.string('credit'),
    alt: image.string('alt'),
    type: image.mediaType('type'),
    width: image.count('width'),
    height: image.count('height'),
  };
  if (!image.has('url')) {
    read.problems.warn(
      'image.url',
      'is missing, so the image is left out; give its address: image: {url: "https://..."}',
    );
    return undefined;
  }
  return described;
}

function readAttachments(read: FieldReader): Attachment[] {
  const shape = `{${attachmentFields.join(', ')}}`;
  return read.objects('attachments', shape).flatMap(({ index, entry, reader }): Attachment[] => {
    if (!reader) {
      read.report(`attachments[${index}]`, `must be ${shape}, not ${describe(entry)}`);
      return [];
    }
    const url = reader.url('url', { required: true });
    const mimeType = reader.mediaType('mime_type', { required: true });
    const title = reader.string('title');
    const sizeInBytes = reader.count('size_in_bytes');
    return url && mimeType ? [{ url, mimeType, title, sizeInBytes }] : [];
  });
}
