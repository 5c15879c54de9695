import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { hostileRecords } from '../../../fixtures/hostile-records.ts';
import { fileBody } from '../../../helpers/published.ts';
import { makeRecord, makeSite, planRecords } from '../../../helpers/site.ts';

const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: { 'no-inline-style': 'off' },
});
const base = { date: '2025-01-01T00:00:00Z', content_html: '<p>x</p>' };

describe('the subscribe page', () => {
  const result = planRecords(
    [
      ...hostileRecords.map((record, index) =>
        makeRecord(`articles/h${index}.json`, { ...base, title: 'Hostile', ...record.fields }),
      ),
      makeRecord('articles/draft.json', { ...base, title: 'Secret draft', draft: true }),
    ],
    { site: makeSite({ title: 'News & <Views>', description: 'Quotes " and \' ampersands &' }) },
  );
  const html = fileBody(result, 'index.html');

  it('is built from valid records only', () => {
    expect(result.report.errors).toEqual([]);
  });

  it('is valid HTML, even with hostile titles and site settings', async () => {
    const report = await validator.validateString(html);
    expect(
      report.results.flatMap((entry) =>
        entry.messages.map((message) => `${message.ruleId}: ${message.message}`),
      ),
    ).toEqual([]);
  });

  it('loads nothing: no scripts, stylesheets, images, frames or XSLT', () => {
    expect(html).not.toMatch(/<script|<img|<iframe|<link rel="stylesheet"|@import|url\(|xml-stylesheet/i);
  });

  it('lists the latest items and never a draft', () => {
    expect(html).toContain('News &amp; &lt;Views&gt;');
    expect(html).not.toContain('Secret draft');
    expect(html.match(/<li>\s*<h3>/g)).toHaveLength(Math.min(10, hostileRecords.length));
  });
});

describe('the subscribe pages of the site and of each category', () => {
  const site = makeSite({ timezone: 'Europe/Moscow', archivePeriod: 'month' });
  const result = planRecords(
    [
      // 01:00 in Moscow on the 26th is still the 25th in UTC.
      makeRecord('articles/late.json', {
        title: 'Late story',
        date: '2026-11-26T01:00',
        categories: ['World'],
        content_text: 'x',
      }),
      makeRecord('articles/other.json', {
        title: 'Market story',
        date: '2026-11-20T12:00',
        categories: ['Business'],
        content_text: 'x',
      }),
    ],
    { site, now: new Date('2026-12-01T00:00:00Z') },
  );
  const home = fileBody(result, 'index.html');
  const world = fileBody(result, 'categories/world/index.html');

  it('dates items on the site clock', () => {
    expect(home).toContain('<time datetime="2026-11-25T22:00:00.000Z">November 26, 2026</time>');
  });

  it('gives each category a page with its own feeds for autodiscovery and only its items', async () => {
    expect(world).toContain('<title>Test Wire: World: subscribe</title>');
    expect(world).toContain(
      '<link rel="alternate" type="application/atom+xml" title="Test Wire: World (Atom)" href="https://feeds.example.com/categories/world/atom.xml">',
    );
    expect(world).toContain('Late story');
    expect(world).not.toContain('Market story');
    expect(world).toContain('<a href="https://feeds.example.com/">All of Test Wire</a>');
    expect(home).toContain('<a href="https://feeds.example.com/categories/world/">World</a>');
    const report = await validator.validateString(world);
    expect(report.valid).toBe(true);
  });

  it.each([
    ['Feedly', 'https://feedly.com/i/subscription/feed/https%3A%2F%2Ffeeds.example.com%2Frss.xml'],
    ['Inoreader', 'https://www.inoreader.com/?add_feed=https%3A%2F%2Ffeeds.example.com%2Frss.xml'],
    ['NewsBlur', 'https://www.newsblur.com/?url=https%3A%2F%2Ffeeds.example.com%2Frss.xml'],
    [
      'The Old Reader',
      'https://theoldreader.com/feeds/subscribe?url=https%3A%2F%2Ffeeds.example.com%2Frss.xml',
    ],
  ])('subscribes in one click in %s', (name, link) => {
    expect(home).toContain(`<a href="${link.replaceAll('&', '&amp;')}" rel="nofollow">${name}</a>`);
  });
});
