import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanLine, cleanMultiline } from '../../../../lambda/core/content/plain-text.ts';
import { checkAtom, checkJsonFeed, checkRss } from '../../../helpers/feed-checks.ts';
import { propertyRuns, propertyTimeout } from '../../../helpers/property-runs.ts';
import { fileBody, jsonFeedItems } from '../../../helpers/published.ts';
import { makeRecord, planRecords } from '../../../helpers/site.ts';
import { findUnsafeHtml } from '../../../helpers/unsafe-html.ts';
import { assertWellFormed, parseXmlObject, xmlText } from '../../../helpers/xml.ts';

type Node = Record<string, unknown>;
const text = xmlText;
const list = (value: unknown) =>
  (value === undefined ? [] : Array.isArray(value) ? value : [value]) as Node[];

/** Any UTF-16 text at all: controls, lone surrogates, noncharacters, markup, entities. */
const anyString = fc.string({ unit: 'binary', maxLength: 60 });
const visible = anyString.filter((value) => cleanLine(value) !== '');
const markupish = fc.oneof(
  anyString,
  fc.constantFrom(
    '<',
    '>',
    '&',
    '&amp;',
    ']]>',
    '<![CDATA[',
    '"',
    "'",
    '<b>',
    '</p>',
    '<script>',
    '\u0000',
    '\ud800',
    '\ufffe',
  ),
);
const anyHtml = fc
  .array(markupish, { minLength: 1, maxLength: 12 })
  .map((parts) => parts.join(''))
  .filter((html) => cleanMultiline(html) !== '');

const anyRecord = fc.record({
  title: visible,
  summary: fc.option(visible, { nil: undefined }),
  content_html: anyHtml,
  authors: fc.array(visible, { maxLength: 2 }),
  categories: fc.array(visible, { maxLength: 2 }),
  tags: fc.array(visible, { maxLength: 2 }),
  source: fc.option(visible, { nil: undefined }),
  dateline: fc.option(visible, { nil: undefined }),
  image: fc.record({
    caption: fc.option(visible, { nil: undefined }),
    credit: fc.option(visible, { nil: undefined }),
  }),
});

describe('records with arbitrary Unicode in every field', () => {
  it(
    'always give well-formed, valid feeds that keep every text, for any records',
    () => {
      fc.assert(
        fc.property(anyRecord, (fields) => {
          const record = makeRecord('articles/any.json', { ...fields, date: '2025-01-01T00:00:00Z' });
          const result = planRecords([record]);
          expect(result.report.errors).toEqual([]);
          for (const file of result.files) {
            if (file.path.endsWith('.xml')) assertWellFormed(file.body);
            if (file.path.endsWith('.json')) JSON.parse(file.body);
          }
          expect(checkRss(fileBody(result, 'rss.xml'))).toEqual([]);
          expect(checkAtom(fileBody(result, 'atom.xml'))).toEqual([]);
          expect(checkJsonFeed(fileBody(result, 'feed.json'))).toEqual([]);

          const item = (
            ((parseXmlObject(fileBody(result, 'rss.xml')).rss as Node).channel as Node).item as Node[]
          )[0] as Node;
          const entry = (
            (parseXmlObject(fileBody(result, 'atom.xml')).feed as Node).entry as Node[]
          )[0] as Node;
          const [jsonItem] = jsonFeedItems(result);
          const title = cleanLine(fields.title);
          expect([text(item.title), text(entry.title), jsonItem?.title]).toEqual([title, title, title]);
          if (fields.summary !== undefined) {
            expect([text(entry.summary), jsonItem?.summary]).toEqual([
              cleanLine(fields.summary),
              cleanLine(fields.summary),
            ]);
          }
          const names = fields.authors.map(cleanLine);
          expect(list(item['dc:creator']).map(text)).toEqual(names);
          expect(list(entry.author).map((author) => text(author.name))).toEqual(names);
          const categories = [...new Set(fields.categories.map(cleanLine))];
          expect(list(item.category).map(text)).toEqual(categories);
          expect(list(entry.category).map((category) => category['@_term'])).toEqual(categories);
          if (fields.source !== undefined) expect(text(item['dc:source'])).toBe(cleanLine(fields.source));
          // The same sanitized HTML reaches readers of every format, and none of it can run.
          const html = String(jsonItem?.content_html);
          expect(text(item['content:encoded'])).toBe(html);
          expect(text(entry.content)).toBe(html);
          expect(findUnsafeHtml(html)).toEqual([]);
        }),
        { numRuns: propertyRuns(300) },
      );
    },
    propertyTimeout(300, 200),
  );
});
