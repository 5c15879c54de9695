import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../../../lambda/core/records/parse-record.ts';
import { sampleBytes, sampleExpectations, sampleKey } from '../../../helpers/sample.ts';
import { makeSite } from '../../../helpers/site.ts';

const options = makeSite();

function parseText(text: string, key = 'articles/news.txt') {
  return parseRecord({ key, body: new TextEncoder().encode(text) }, options);
}

const layout = (timeLine: string, header = 'date 2018-03-05 Back to Main page') =>
  [
    header,
    'A title',
    'Business',
    timeLine,
    '',
    'The lead.',
    '',
    'BERLIN, March 5. /DPA/. The first paragraph.',
    '',
    'The second paragraph.',
  ].join('\n');

describe('parseNewsText', () => {
  it('reads every field of the sample article', () => {
    const parsed = parseRecord({ key: sampleKey, body: sampleBytes() }, options);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const { fields } = parsed;
    expect(fields.title).toBe(sampleExpectations.title);
    expect(fields.summary).toBe(sampleExpectations.summary);
    expect(fields.categories).toEqual([sampleExpectations.category]);
    expect(fields.published.toISOString()).toBe(sampleExpectations.published);
    expect(fields.source).toBe(sampleExpectations.source);
    expect(fields.dateline).toBe(sampleExpectations.dateline);
    expect(fields.image).toEqual({ caption: sampleExpectations.caption, credit: sampleExpectations.credit });
    const paragraphs = fields.contentHtml.split('\n');
    expect(paragraphs).toHaveLength(5);
    paragraphs.forEach((paragraph, index) => {
      expect(paragraph.startsWith(`<p>${sampleExpectations.paragraphOpenings[index]}`)).toBe(true);
    });
  });

  it.each([
    ['UTC+3', 'March 5, 18:03 UTC+3 BERLIN', '2018-03-05T15:03:00.000Z'],
    ['UTC', 'March 5, 18:03 UTC BERLIN', '2018-03-05T18:03:00.000Z'],
    ['UTC-5', 'March 5, 18:03 UTC-5 BERLIN', '2018-03-05T23:03:00.000Z'],
    ['UTC+5:30', 'March 5, 18:03 UTC+5:30 BERLIN', '2018-03-05T12:33:00.000Z'],
    // The site's zone (Europe/Moscow, UTC+3) when the line names none, with or without a city.
    ['no', 'March 5, 18:03', '2018-03-05T15:03:00.000Z'],
    ['no (with a city)', 'March 5, 18:03 MOSCOW', '2018-03-05T15:03:00.000Z'],
  ])('honours the %s offset of the time line', (_name, timeLine, expected) => {
    const parsed = parseText(layout(timeLine));
    expect(parsed.ok && parsed.fields.published.toISOString()).toBe(expected);
  });

  it('takes the year nearest the header date across a year boundary', () => {
    const parsed = parseText(layout('December 31, 23:50 UTC+3 MOSCOW', 'date 2018-01-01'));
    expect(parsed.ok && parsed.fields.published.toISOString()).toBe('2017-12-31T20:50:00.000Z');
  });

  it('reads an article without a photo, with CRLF line endings and a BOM', () => {
    const text = `\ufeff${layout('March 5, 18:03 UTC+1 BERLIN').replace(/\n/g, '\r\n')}`;
    const parsed = parseText(text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.fields.summary).toBe('The lead.');
    expect(parsed.fields.image).toBeUndefined();
    expect(parsed.fields.source).toBe('DPA');
    expect(parsed.fields.contentHtml).toBe(
      '<p>BERLIN, March 5. /DPA/. The first paragraph.</p>\n<p>The second paragraph.</p>',
    );
  });

  it('rejects a record whose time line cannot be read, quoting the line', () => {
    const parsed = parseText(layout('sometime on Friday'));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors).toEqual([
      {
        key: 'articles/news.txt',
        field: 'date',
        message: expect.stringContaining("line 4 'sometime on Friday'"),
      },
    ]);
  });

  it('rejects an impossible date instead of rolling it over', () => {
    const parsed = parseText(layout('February 30, 10:00 UTC BERLIN', 'date 2018-02-28'));
    expect(!parsed.ok && parsed.errors[0]?.field).toBe('date');
  });

  const fullArticle = (photoLines: string[], options: { lead?: boolean; timeLine?: string } = {}) =>
    [
      'date 2019-09-03',
      'Port strike ends',
      'Business',
      options.timeLine ?? 'September 3, 9:05 UTC+2 HAMBURG',
      ...(options.lead === false ? [] : ['Dock workers return after two days.']),
      ...photoLines,
      'HAMBURG, September 3. /DPA/. Work resumed at dawn.',
      'Ships queue outside the harbour.',
    ].join('\n\n');

  it.each([
    [
      'a photo with a repeated caption and a credit',
      ['A crane.', 'A crane.', '© Jan Berg/DPA'],
      'A crane.',
      '© Jan Berg/DPA',
    ],
    ['a caption that is not repeated', ['A crane.', '© Jan Berg/DPA'], 'A crane.', '© Jan Berg/DPA'],
    ['a photo without a credit', ['A crane at dawn.'], 'A crane at dawn.', undefined],
    ['a credit without a caption', ['© Jan Berg/DPA'], undefined, '© Jan Berg/DPA'],
  ])('reads %s', (_case, photoLines, caption, credit) => {
    const parsed = parseText(fullArticle(photoLines));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.fields.image).toEqual({ caption, credit });
    expect(parsed.fields.summary).toBe('Dock workers return after two days.');
    expect(parsed.fields.contentHtml).toBe(
      '<p>HAMBURG, September 3. /DPA/. Work resumed at dawn.</p>\n<p>Ships queue outside the harbour.</p>',
    );
  });

  it('reads an article without a lead: the body starts at once', () => {
    const parsed = parseText(fullArticle([], { lead: false }));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.fields.summary).toBeUndefined();
    expect(parsed.fields.image).toBeUndefined();
    expect(parsed.fields.contentHtml).toContain('<p>HAMBURG, September 3.');
  });

  it('reads a time line without a dateline', () => {
    const parsed = parseText(fullArticle([], { timeLine: 'September 3, 9:05 UTC+2' }));
    expect(parsed.ok && parsed.fields.dateline).toBeUndefined();
    expect(parsed.ok && parsed.fields.published.toISOString()).toBe('2019-09-03T07:05:00.000Z');
  });

  it.each([
    ['an abbreviated month with a dot', 'Sept. 3, 9:05 UTC+2 HAMBURG', '2019-09-03T07:05:00.000Z'],
    ['a short month name', 'Sep 3, 23:59 UTC HAMBURG', '2019-09-03T23:59:00.000Z'],
    ['a dateline of several words', 'September 3, 00:00 UTC-3 RIO DE JANEIRO', '2019-09-03T03:00:00.000Z'],
  ])('reads %s', (_case, timeLine, expected) => {
    const parsed = parseText(fullArticle([], { timeLine }));
    expect(parsed.ok && parsed.fields.published.toISOString()).toBe(expected);
  });

  it('ignores trailing whitespace and non-breaking spaces', () => {
    const text = fullArticle(['A crane.\u00a0\u00a0', '©\u00a0Jan Berg/DPA   ']).replace(/\n/g, '  \t\n');
    const parsed = parseText(text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.fields.title).toBe('Port strike ends');
    expect(parsed.fields.image).toEqual({ caption: 'A crane.', credit: '© Jan Berg/DPA' });
  });
});
