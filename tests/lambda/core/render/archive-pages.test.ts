import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { periodLabel } from '../../../../lambda/core/render/archive-pages.ts';
import { makeRecord, makeSite, planRecords } from '../../../helpers/site.ts';

/** Five stories over three months, with room for two in the current feeds. */
function archiveSite() {
  const site = makeSite({ maxItems: 2 });
  const dates = ['2024-01-05', '2024-01-20', '2024-02-10', '2024-03-01', '2024-03-15'];
  const records = dates.map((date, index) =>
    makeRecord(`articles/${index}.json`, {
      title: `Story ${index}`,
      date: `${date}T10:00:00Z`,
      url: `https://www.example.com/${index}`,
      categories: ['Economy'],
      content_text: 'x',
    }),
  );
  return { site, files: new Map(planRecords(records, { site }).files.map((file) => [file.path, file.body])) };
}

function textOf(html: string | undefined, tag: string): string[] {
  const document = parseDocument(html ?? '');
  return DomUtils.getElementsByTagName(tag, document).map((element) => DomUtils.textContent(element).trim());
}

describe('archive pages', () => {
  const { files } = archiveSite();

  it('list every period of the site with its count, newest first, on archive/', () => {
    const index = files.get('archive/index.html');
    expect(textOf(index, 'li').filter((text) => /\d+ articles?$/.test(text))).toEqual([
      'February 2024 1 article',
      'January 2024 2 articles',
    ]);
    expect(index).toContain('The newest 2 articles are on');
    expect(index).toContain('aria-current="page">Archive</a>');
  });

  it('give each period a page of its stories with links to the periods either side', () => {
    const january = files.get('archive/2024-01/index.html');
    expect(textOf(january, 'h3')).toEqual(['Story 1', 'Story 0']);
    expect(january).toContain('href="https://feeds.example.com/archive/2024-02/" rel="next">February 2024 →');
    expect(january).not.toContain('rel="prev"');
    expect(january).toContain('href="https://feeds.example.com/archive/2024-01/rss.xml"');
  });

  it('exist for each category too', () => {
    expect(textOf(files.get('categories/economy/archive/index.html'), 'h1')).toEqual([
      'Test Wire: Economy: archive',
    ]);
    expect(files.has('categories/economy/archive/2024-01/index.html')).toBe(true);
  });
});

describe('periodLabel', () => {
  it.each([
    ['en', 'month', '2024-05', 'May 2024'],
    ['de', 'month', '2024-05', 'Mai 2024'],
    ['en', 'day', '2024-05-31', 'May 31, 2024'],
    ['fr', 'day', '2024-05-01', '1 mai 2024'],
  ] as const)(
    'names %s %s periods in the site’s language: %s is %s',
    (language, archivePeriod, period, label) => {
      expect(periodLabel(makeSite({ language, archivePeriod }), period)).toBe(label);
    },
  );
});
