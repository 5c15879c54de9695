import { describe, expect, it } from 'vitest';
import { xssVectors } from '../../../fixtures/xss-vectors.ts';
import { checkFeedFile } from '../../../helpers/feed-checks.ts';
import { fileBody, jsonFeedItems } from '../../../helpers/published.ts';
import { makeRecord, planRecords } from '../../../helpers/site.ts';
import { findUnsafeHtml } from '../../../helpers/unsafe-html.ts';
import { parseXmlObject, xmlText } from '../../../helpers/xml.ts';

type Node = Record<string, unknown>;
const text = xmlText;

describe('script injection in article HTML', () => {
  it('has a corpus of at least 100 vectors', () => {
    expect(xssVectors.length).toBeGreaterThanOrEqual(100);
  });

  it.each(xssVectors.map((vector, index) => [index, vector] as const))(
    'vector %i survives into no output',
    (_index, vector) => {
      const result = planRecords([
        makeRecord('articles/x.json', {
          title: 'XSS',
          date: '2025-01-01T00:00:00Z',
          content_html: `<p>before</p>${vector}<p>after</p>`,
        }),
        makeRecord(
          'articles/y.md',
          `---\ntitle: XSS in Markdown\ndate: 2025-01-02T00:00:00Z\n---\n${vector}\n`,
        ),
      ]);
      const rssItems = ((parseXmlObject(fileBody(result, 'rss.xml')).rss as Node).channel as Node)
        .item as Node[];
      const atomEntries = (parseXmlObject(fileBody(result, 'atom.xml')).feed as Node).entry as Node[];
      const bodies = [
        ...rssItems.map((item) => text(item['content:encoded'])),
        ...atomEntries.map((entry) => text(entry.content)),
        ...jsonFeedItems(result).map((item) => String(item.content_html)),
        // The subscribe page's own head holds meta, link and style elements; what records put in is in the body.
        /<body>([\s\S]*)<\/body>/.exec(fileBody(result, 'index.html'))?.[1] ?? 'no body',
      ];
      for (const body of bodies) expect(findUnsafeHtml(body)).toEqual([]);
      for (const file of result.files) expect(checkFeedFile(file.path, file.body)).toEqual([]);
    },
  );
});
