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
