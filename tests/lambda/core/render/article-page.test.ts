import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { articlePagePath } from '../../../../lambda/core/render/article-address.ts';
import { hostileRecords } from '../../../fixtures/hostile-records.ts';
import { fileBody, jsonFeedItems } from '../../../helpers/published.ts';
import { sampleBytes, sampleExpectations, sampleKey } from '../../../helpers/sample.ts';
import { makeRecord, makeSite, planRecords } from '../../../helpers/site.ts';
import { xmlText } from '../../../helpers/xml.ts';

const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  // Titles are the editors' to choose; the body keeps the self-closing tags the feeds need.
  rules: { 'no-inline-style': 'off', 'long-title': 'off', 'void-style': 'off' },
});

async function htmlProblems(html: string): Promise<string[]> {
  const report = await validator.validateString(html);
  return report.results.flatMap((entry) =>
    entry.messages.map((message) => `${message.ruleId}: ${message.message}`),
  );
}

/** The one article page of a publish, with its path. */
function onlyPage(files: readonly { path: string; body: string }[]) {
  const pages = files.filter((file) => file.path.startsWith('articles/'));
  expect(pages).toHaveLength(1);
  return pages[0] as { path: string; body: string };
}

describe('the article page of the sample news article', () => {
  const result = planRecords([{ key: sampleKey, body: sampleBytes() }]);
  const page = onlyPage(result.files);
  const address = `https://feeds.example.com/${page.path.replace(/index\.html$/, '')}`;

  it('shows the title, dateline, photo with caption and credit, the body and the category', () => {
    expect(page.body).toContain(`<h1>${sampleExpectations.title}</h1>`);
    expect(page.body).toContain(`<span class="dateline">${sampleExpectations.dateline}</span>`);
    expect(page.body).toContain(sampleExpectations.caption.replace("'", '&#39;'));
    expect(page.body).toContain(sampleExpectations.credit);
    for (const opening of sampleExpectations.paragraphOpenings) expect(page.body).toContain(`<p>${opening}`);
    expect(page.body).toContain('<a href="https://feeds.example.com/categories/world/">World</a>');
  });

  it('dates the article on the site clock and links back to the feeds', () => {
    // 15:03 UTC is 18:03 in Moscow, the same day; the date shows as the site's language writes it.
    expect(page.body).toContain('<time datetime="2017-08-18T15:03:00.000Z">August 18, 2017</time>');
    for (const feed of ['rss.xml', 'atom.xml', 'feed.json'])
      expect(page.body).toContain(`href="https://feeds.example.com/${feed}"`);
  });

  it('is the link of the item in every format and on the subscribe page', () => {
    expect(xmlText(fileBody(result, 'rss.xml'))).toContain(`<link>${address}</link>`);
    expect(fileBody(result, 'atom.xml')).toContain(`<link rel="alternate" href="${address}"/>`);
    expect(jsonFeedItems(result)[0]?.url).toBe(address);
    expect(fileBody(result, 'index.html')).toContain(`<a href="${address}">`);
  });

  it('is valid HTML and loads no script', async () => {
    expect(await htmlProblems(page.body)).toEqual([]);
    expect(page.body).not.toMatch(/<script|<iframe|xml-stylesheet/i);
  });
});

describe('article pages', () => {
  const base = { date: '2025-01-01T00:00:00Z', content_html: '<p>x</p>' };

  it.each(hostileRecords.map((record) => [record.name, record.fields] as const))(
    'stay valid HTML with %s',
    async (_, fields) => {
      const { files } = planRecords([
        makeRecord('articles/h.json', { ...base, title: 'Hostile', ...fields, url: undefined }),
      ]);
      expect(await htmlProblems(onlyPage(files).body)).toEqual([]);
    },
  );

  it.each([
    ['a draft', { draft: true }],
    ['an embargoed article', { date: '2030-01-01T00:00:00Z' }],
    ['an article with a url of its own', { url: 'https://www.example.com/a' }],
  ])('are not published for %s', (_, fields) => {
    const { files } = planRecords([makeRecord('articles/a.json', { ...base, title: 'A', ...fields })]);
    expect(files.filter((file) => file.path.startsWith('articles/'))).toEqual([]);
  });

  it('keep their address when the record is edited or moved under the same id', () => {
    const at = (key: string, title: string) =>
      onlyPage(planRecords([makeRecord(key, { ...base, id: 'story-1', title })]).files).path;
    expect(at('articles/a.json', 'First')).toBe(at('articles/2025/a.json', 'Second'));
    expect(at('articles/a.json', 'First')).toBe(
      articlePagePath({ id: `urn:uuid:${at('articles/a.json', 'x').split('/')[1]}` }),
    );
  });

  it.each(hostileRecords.map((record) => [record.name, record.fields] as const))(
    'link a neighbour with %s as valid, escaped HTML',
    async (_, fields) => {
      const { files } = planRecords([
        makeRecord('articles/h.json', { ...base, title: 'Hostile <b>"neighbour"</b>', ...fields }),
        makeRecord('articles/n.json', { ...base, date: '2025-01-02T00:00:00Z', title: 'Next' }),
      ]);
      const page = files.find((file) => file.body.includes('<h1>Next</h1>'));
      expect(page?.body).toContain('rel="prev">← ');
      expect(page?.body).not.toContain('<b>"neighbour"</b>');
      expect(await htmlProblems(page?.body ?? '')).toEqual([]);
    },
  );

  it('show the date on the site clock, not in UTC', () => {
    const site = makeSite({ timezone: 'Europe/Moscow', language: 'en-GB' });
    const { files } = planRecords(
      [makeRecord('articles/late.json', { ...base, date: '2026-11-26T01:00', title: 'Late' })],
      {
        site,
        now: new Date('2027-01-01T00:00:00Z'),
      },
    );
    expect(onlyPage(files).body).toContain('>26 November 2026</time>');
  });
});
