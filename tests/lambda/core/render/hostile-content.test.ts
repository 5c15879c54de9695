import { describe, expect, it } from 'vitest';
import { cleanLine } from '../../../../lambda/core/content/plain-text.ts';
import { hostileRecords } from '../../../fixtures/hostile-records.ts';
import { checkFeedFile } from '../../../helpers/feed-checks.ts';
import { fileBody, jsonFeedItems } from '../../../helpers/published.ts';
import { makeRecord, makeSite, planRecords } from '../../../helpers/site.ts';
import { parseXmlObject, xmlText } from '../../../helpers/xml.ts';

type Node = Record<string, unknown>;
const text = xmlText;
const base = { title: 'Hostile', date: '2025-01-01T00:00:00Z', content_html: '<p>Body</p>' };

describe('hostile but valid records', () => {
  it.each(hostileRecords.map((record) => [record.name, record.fields] as const))(
    'publish %s as valid feeds in every format, with the text intact',
    (_name, fields) => {
      const result = planRecords([makeRecord('articles/hostile.json', { ...base, ...fields })]);
      expect(result.report.errors).toEqual([]);
      for (const file of result.files) expect(checkFeedFile(file.path, file.body)).toEqual([]);

      const title = cleanLine(String(fields.title ?? base.title));
      const rssItem = (
        ((parseXmlObject(fileBody(result, 'rss.xml')).rss as Node).channel as Node).item as Node[]
      )[0];
      const entry = ((parseXmlObject(fileBody(result, 'atom.xml')).feed as Node).entry as Node[])[0];
      const [jsonItem] = jsonFeedItems(result);
      expect(text(rssItem?.title)).toBe(title);
      expect(text(entry?.title)).toBe(title);
      expect(jsonItem?.title).toBe(title);
      if (typeof fields.summary === 'string') expect(text(entry?.summary)).toBe(cleanLine(fields.summary));
    },
  );

  it('makes every relative link and source absolute against the article URL', () => {
    const record = hostileRecords.find((candidate) => candidate.name === 'relative links and sources');
    const result = planRecords([makeRecord('articles/r.json', { ...base, ...record?.fields })]);
    const html = String(jsonFeedItems(result)[0]?.content_html);
    expect(html).toContain('href="https://www.example.com/news/other"');
    expect(html).toContain('href="https://www.example.com/root"');
    expect(html).toContain('href="https://www.example.com/news/2025/story#frag"');
    expect(html).toContain('src="https://www.example.com/news/2025/pic.jpg"');
    expect(html).toContain(
      'srcset="https://www.example.com/news/2025/a.jpg 1x, https://www.example.com/b.jpg 2x"',
    );
    expect(html).toContain('poster="https://www.example.com/news/2025/poster.png"');
    expect(html).not.toMatch(/(href|src|poster)="(?!https:)/);
  });

  it('resolves relative links against the site when the article has no URL', () => {
    const result = planRecords([
      makeRecord('articles/r.json', { ...base, content_html: '<a href="about">a</a>' }),
    ]);
    expect(String(jsonFeedItems(result)[0]?.content_html)).toContain('href="https://www.example.com/about"');
  });

  it('keeps iframes only from hosts allowed in site.json', () => {
    const html =
      '<iframe src="https://www.youtube-nocookie.com/embed/1"></iframe><iframe src="https://evil.example/"></iframe>';
    const result = planRecords([makeRecord('articles/v.json', { ...base, content_html: html })], {
      site: makeSite({ allowedIframeHosts: ['www.youtube-nocookie.com'] }),
    });
    expect(String(jsonFeedItems(result)[0]?.content_html)).toBe(
      '<iframe src="https://www.youtube-nocookie.com/embed/1"></iframe>',
    );
  });
});
