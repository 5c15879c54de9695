import { describe, expect, it } from 'vitest';
import { checkFeedFile } from '../../../helpers/feed-checks.ts';
import { sampleBytes, sampleExpectations, sampleKey } from '../../../helpers/sample.ts';
import { planRecords } from '../../../helpers/site.ts';
import { assertWellFormed, parseXmlObject, xmlText } from '../../../helpers/xml.ts';

const { files } = planRecords([{ key: sampleKey, body: sampleBytes() }]);
const body = (path: string) => {
  const file = files.find((candidate) => candidate.path === path);
  if (!file) throw new Error(`${path} was not rendered`);
  return file.body;
};
type Node = Record<string, unknown>;
const text = xmlText;

function expectSampleContent(html: string) {
  expect(html).toContain(sampleExpectations.caption.replace("'", '&#39;'));
  expect(html).toContain(sampleExpectations.credit);
  for (const opening of sampleExpectations.paragraphOpenings) expect(html).toContain(`<p>${opening}`);
}

describe('the sample article in every format', () => {
  it.each(['rss.xml', 'atom.xml'])('%s is well-formed XML', (path) => {
    expect(() => assertWellFormed(body(path))).not.toThrow();
  });

  it.each([
    'rss.xml',
    'atom.xml',
    'feed.json',
    'categories/world/rss.xml',
    'categories/world/atom.xml',
    'categories/world/feed.json',
  ])('%s meets its format rules and both reader libraries read it', (path) => {
    expect(checkFeedFile(path, body(path))).toEqual([]);
  });

  it('comes out whole in RSS 2.0', () => {
    const rss = parseXmlObject(body('rss.xml')).rss as Node;
    const channel = rss.channel as Node;
    const [item] = channel.item as Node[];
    if (!item) throw new Error('no item');
    expect(text(item.title)).toBe(sampleExpectations.title);
    expect(text(item.description)).toBe(sampleExpectations.summary.replace("'", '&#39;'));
    expect((item.category as unknown[]).map(text)).toEqual([sampleExpectations.category]);
    expect(new Date(text(item.pubDate)).toISOString()).toBe(sampleExpectations.published);
    expect(text(item['dc:source'])).toBe(sampleExpectations.source);
    expectSampleContent(text(item['content:encoded']));
  });

  it('comes out whole in Atom 1.0', () => {
    const feed = parseXmlObject(body('atom.xml')).feed as Node;
    const [entry] = feed.entry as Node[];
    if (!entry) throw new Error('no entry');
    expect(text(entry.title)).toBe(sampleExpectations.title);
    expect(text(entry.summary)).toBe(sampleExpectations.summary);
    expect((entry.category as Node[]).map((category) => category['@_term'])).toEqual([
      sampleExpectations.category,
    ]);
    expect(text(entry.published)).toBe(sampleExpectations.published);
    expect(text(entry['dc:source'])).toBe(sampleExpectations.source);
    expectSampleContent(text(entry.content));
  });

  it('comes out whole in JSON Feed 1.1', () => {
    const feed = JSON.parse(body('feed.json')) as Node;
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    const [item] = feed.items as Node[];
    if (!item) throw new Error('no item');
    expect(item.title).toBe(sampleExpectations.title);
    expect(item.summary).toBe(sampleExpectations.summary);
    expect(item.tags).toEqual([sampleExpectations.category]);
    expect(item.date_published).toBe(sampleExpectations.published);
    expect(item._news).toEqual({
      source: sampleExpectations.source,
      dateline: sampleExpectations.dateline,
      image_caption: sampleExpectations.caption,
      image_credit: sampleExpectations.credit,
    });
    expectSampleContent(String(item.content_html));
  });

  it('dates the feeds by the newest article, not by the clock', () => {
    const later = planRecords([{ key: sampleKey, body: sampleBytes() }], {
      now: new Date('2030-06-01T00:00:00Z'),
    });
    expect(later.files.map((file) => file.body)).toEqual(files.map((file) => file.body));
    expect(body('atom.xml')).toContain('<updated>2017-08-18T15:03:00.000Z</updated>');
  });

  it('links the three feeds for autodiscovery from the subscribe page', () => {
    const html = body('index.html');
    const links = [...html.matchAll(/<link rel="alternate" type="([^"]+)"[^>]*href="([^"]+)"/g)].map(
      ([, type, href]) => [type, href],
    );
    expect(links).toEqual([
      ['application/rss+xml', 'https://feeds.example.com/rss.xml'],
      ['application/atom+xml', 'https://feeds.example.com/atom.xml'],
      ['application/feed+json', 'https://feeds.example.com/feed.json'],
    ]);
    expect(html).toContain(sampleExpectations.title);
  });
});
