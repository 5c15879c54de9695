import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import {
  attachmentFields,
  imageFields,
  personFields,
  recordFields,
} from '../../lambda/core/records/record-fields.ts';
import { contentRoot } from '../helpers/sample.ts';
import { makeRecord, planRecords } from '../helpers/site.ts';

const schema = JSON.parse(
  readFileSync(new URL('../../docs/record.schema.json', import.meta.url), 'utf8'),
) as SchemaNode;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

interface SchemaNode {
  readonly properties?: Record<string, SchemaNode>;
  readonly items?: SchemaNode;
  readonly oneOf?: readonly SchemaNode[];
}

/** The names of the properties an object in the schema may have, wherever `oneOf` puts the object. */
function propertyNames(node: SchemaNode | undefined): string[] {
  if (!node) return [];
  const own = Object.keys(node.properties ?? {});
  return [...own, ...(node.oneOf ?? []).flatMap(propertyNames), ...propertyNames(node.items)];
}

const valid = { title: 'A title', date: '2024-05-31T09:30:00+02:00', content_html: '<p>x</p>' };
const sampleJsonRecords = readdirSync(`${contentRoot}articles`).filter((name) => name.endsWith('.json'));

/** Records the publisher accepts: the schema must accept them too. */
const accepted: object[] = [
  valid,
  { ...valid, authors: ['Ana', { name: 'Lee', email: 'lee@example.com', url: 'https://example.com/lee' }] },
  { ...valid, categories: ['World'], tags: ['a', 'b'], image: 'https://example.com/p.jpg' },
  {
    ...valid,
    image: {
      url: 'https://example.com/p.jpg',
      caption: 'c',
      credit: 'd',
      alt: 'e',
      type: 'image/jpeg',
      width: 1,
      height: 2,
    },
  },
  {
    ...valid,
    attachments: [{ url: 'https://example.com/a.mp3', mime_type: 'audio/mpeg', size_in_bytes: 10 }],
  },
  { ...valid, date: '2024-05-31', updated: '2024-06-01 10:00', expires: '2030-01-01T00:00Z', draft: false },
  { ...valid, language: 'pt-BR', source: 'Wire', dateline: 'LISBON', id: 'story-1' },
];

/** Records the publisher rejects for a reason a schema can express: the schema must reject them too. */
const rejected: [string, object][] = [
  ['no title', { date: valid.date, content_html: 'x' }],
  ['a numeric title', { ...valid, title: 3 }],
  ['no date', { title: 'x', content_html: 'x' }],
  ['a date in words', { ...valid, date: 'yesterday' }],
  ['no content', { title: 'x', date: valid.date }],
  ['two kinds of content', { ...valid, content_text: 'x' }],
  ['a relative url', { ...valid, url: '/x' }],
  ['authors as text', { ...valid, authors: 'Ana' }],
  ['an author without a name', { ...valid, authors: [{ email: 'a@example.com' }] }],
  ['a numeric category', { ...valid, categories: ['a', 1] }],
  ['one category as text, not a list', { ...valid, categories: 'World' }],
  ['tags as text, not a list', { ...valid, tags: 'a' }],
  ['draft as text', { ...valid, draft: 'yes' }],
  ['a bad language tag', { ...valid, language: 'english!' }],
  ['a negative image width', { ...valid, image: { width: -1 } }],
  ['an attachment without a media type', { ...valid, attachments: [{ url: 'https://example.com/a' }] }],
];

describe('docs/record.schema.json', () => {
  it.each([
    ['a record', propertyNames(schema), recordFields],
    ['an image', propertyNames(schema.properties?.image), imageFields],
    ['an author', propertyNames(schema.properties?.authors), personFields],
    ['an attachment', propertyNames(schema.properties?.attachments), attachmentFields],
  ])('declares the fields of %s the publisher reads, and no others', (_what, inSchema, declared) => {
    expect([...inSchema].sort()).toEqual([...declared].sort());
  });

  it.each(recordFields)(
    'has the publisher read the declared field %s: a wrong value in it is named',
    (field) => {
      const wrong = field === 'image' ? { url: 'https://example.com/p.jpg', bogus: 1 } : { bogus: 1 };
      const { report } = planRecords([makeRecord('articles/r.json', { ...valid, [field]: wrong })]);
      const named = [...report.errors, ...report.warnings].map((problem) => problem.field);
      expect(named.some((name) => name === field || name.startsWith(`${field}.`))).toBe(true);
    },
  );

  it.each(sampleJsonRecords)('accepts the sample record %s', (name) => {
    expect(validate(JSON.parse(readFileSync(`${contentRoot}articles/${name}`, 'utf8')))).toBe(true);
  });

  it.each(accepted.map((record, index) => [index, record] as const))(
    'accepts valid record %i, as the publisher does',
    (_index, record) => {
      expect(planRecords([makeRecord('articles/r.json', record)]).report.errors).toEqual([]);
      expect(validate(record), JSON.stringify(validate.errors)).toBe(true);
    },
  );

  it.each([
    ['a misspelt field', { ...valid, tittle: 'x' }, 'tittle'],
    [
      'a misspelt image field',
      { ...valid, image: { url: 'https://example.com/p.jpg', captoin: 'c' } },
      'image.captoin',
    ],
  ])('rejects %s, which the publisher warns of', (_case, record, field) => {
    expect(validate(record)).toBe(false);
    expect(planRecords([makeRecord('articles/r.json', record)]).report.warnings.map((w) => w.field)).toEqual([
      field,
    ]);
  });

  it.each(rejected)('rejects %s, as the publisher does', (_case, record) => {
    expect(planRecords([makeRecord('articles/r.json', record)]).report.errors).not.toEqual([]);
    expect(validate(record)).toBe(false);
  });
});
