/**
 * Every field a JSON record or Markdown front matter may have: the one list the reader warns of
 * unknown keys by, and docs/record.schema.json is tested against (tests/docs/record-schema.test.ts).
 */
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

export type RecordField = (typeof recordFields)[number];

/** The fields an article's body may come from; only one may be given. They may hold several lines. */
export const contentFields = [
  'content_html',
  'content_markdown',
  'content_text',
] as const satisfies readonly RecordField[];

/** The fields of `image` when it is an object. */
export const imageFields = ['url', 'caption', 'credit', 'alt', 'type', 'width', 'height'] as const;

/** The fields of an author (and of the site's author). */
export const personFields = ['name', 'email', 'url'] as const;

/** The fields of one attachment. */
export const attachmentFields = ['url', 'mime_type', 'title', 'size_in_bytes'] as const;
