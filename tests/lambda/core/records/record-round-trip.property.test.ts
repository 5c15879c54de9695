import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanLine } from '../../../../lambda/core/content/plain-text.ts';
import { paragraphTexts } from '../../../helpers/html.ts';
import { propertyRuns, propertyTimeout } from '../../../helpers/property-runs.ts';
import { makeRecord, planRecords } from '../../../helpers/site.ts';
import { assertWellFormed, parseXmlObject, xmlText } from '../../../helpers/xml.ts';

type Node = Record<string, unknown>;
const text = xmlText;

/** Any Unicode text with at least one visible character once cleaned. */
const anyText = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 120 })
  .filter((value) => cleanLine(value) !== '');
const anyInstant = fc.date({
  min: new Date('1971-01-01T00:00:00Z'),
  max: new Date('2099-12-31T23:59:59Z'),
  noInvalidDate: true,
});
const anyOffset = fc.integer({ min: -14 * 60, max: 14 * 60 });
/** Paragraphs are separated by blank lines, so one paragraph holds no line break. */
const anyParagraphs = fc.array(
  anyText
    .map((value) => value.replace(/[\r\n\u2028\u2029]/g, ' '))
    .filter((value) => cleanLine(value) !== ''),
  { minLength: 1, maxLength: 4 },
);

function isoWithOffset(instant: Date, offsetMinutes: number): string {
  const local = new Date(instant.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const hours = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offsetMinutes) % 60).padStart(2, '0');
  return `${local}${sign}${hours}:${minutes}`;
}

describe('random valid JSON records', () => {
  it(
    'always parse and keep title, id, date and content in RSS, Atom and JSON Feed',
    () => {
      fc.assert(
        fc.property(
          anyText,
          anyText,
          anyInstant,
          anyOffset,
          anyParagraphs,
          (title, id, instant, offset, paragraphs) => {
            const published = new Date(Math.floor(instant.getTime() / 1000) * 1000);
            const record = makeRecord('articles/random.json', {
              id,
              title,
              date: isoWithOffset(published, offset),
              content_text: paragraphs.join('\n\n'),
            });
            const result = planRecords([record], { now: new Date('2100-01-01T00:00:00Z') });
            expect(result.report.errors).toEqual([]);

            const expectedTitle = cleanLine(title);
            const expectedParagraphs = paragraphs.map((paragraph) => cleanLine(paragraph));
            const body = (path: string) => result.files.find((file) => file.path === path)?.body ?? '';

            const json = JSON.parse(body('feed.json')) as { items: Node[] };
            const [jsonItem] = json.items;
            expect(jsonItem?.title).toBe(expectedTitle);
            expect(paragraphTexts(String(jsonItem?.content_html))).toEqual(expectedParagraphs);
            expect(jsonItem?.date_published).toBe(published.toISOString());
            const itemId = String(jsonItem?.id);

            assertWellFormed(body('rss.xml'));
            const rssItem = ((parseXmlObject(body('rss.xml')).rss as Node).channel as Node).item as Node[];
            expect(text(rssItem[0]?.title)).toBe(expectedTitle);
            expect(text(rssItem[0]?.guid)).toBe(itemId);
            expect(paragraphTexts(text(rssItem[0]?.['content:encoded']))).toEqual(expectedParagraphs);
            expect(new Date(text(rssItem[0]?.pubDate)).toISOString()).toBe(published.toISOString());

            assertWellFormed(body('atom.xml'));
            const entry = ((parseXmlObject(body('atom.xml')).feed as Node).entry as Node[])[0];
            expect(text(entry?.title)).toBe(expectedTitle);
            expect(text(entry?.id)).toBe(itemId);
            expect(paragraphTexts(text(entry?.content))).toEqual(expectedParagraphs);
            expect(text(entry?.published)).toBe(published.toISOString());
          },
        ),
        { numRuns: propertyRuns(300) },
      );
    },
    propertyTimeout(300, 200),
  );
});
