import { describe, expect, it } from 'vitest';
import { checkFeedFile } from '../../../helpers/feed-checks.ts';
import { fileBody, jsonFeedItems } from '../../../helpers/published.ts';
import { makeRecord, makeSite, planRecords } from '../../../helpers/site.ts';
import { parseXmlObject } from '../../../helpers/xml.ts';

/** Each case covers one known gap of the `feed` package; every one fails if our finishing step is removed. */
const base = { title: 'A title', date: '2025-03-01T12:00:00Z', content_html: '<p>Body</p>' };
const publishOne = (fields: object, site = makeSite()) =>
  planRecords([makeRecord('articles/a.json', { ...base, ...fields })], { site });
type Node = Record<string, unknown>;

describe('gaps of the feed package, covered', () => {
  it('publishes JSON Feed 1.1: version, authors lists, language, attachments and hubs', () => {
    const result = publishOne(
      {
        authors: [{ name: 'Ana', url: 'https://example.com/ana' }, 'Lee'],
        language: 'pt-BR',
        attachments: [
          { url: 'https://example.com/a.mp3', mime_type: 'audio/mpeg', size_in_bytes: 1234, title: 'Audio' },
        ],
      },
      makeSite({ hubUrl: 'https://hub.example.com/', author: { name: 'Desk' } }),
    );
    const feed = JSON.parse(fileBody(result, 'feed.json')) as Node;
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.language).toBe('en');
    expect(feed.authors).toEqual([{ name: 'Desk' }]);
    expect(feed.author).toBeUndefined();
    expect(feed.hubs).toEqual([{ type: 'WebSub', url: 'https://hub.example.com/' }]);
    const [item] = feed.items as Node[];
    expect(item?.authors).toEqual([{ name: 'Ana', url: 'https://example.com/ana' }, { name: 'Lee' }]);
    expect(item?.author).toBeUndefined();
    expect(item?.language).toBe('pt-BR');
    expect(item?.attachments).toEqual([
      { url: 'https://example.com/a.mp3', mime_type: 'audio/mpeg', title: 'Audio', size_in_bytes: 1234 },
    ]);
  });

  it('gives Atom an xml:lang and every category a term', () => {
    const atom = parseXmlObject(
      fileBody(publishOne({ categories: ['World', 'Rock & Roll <live>'] }), 'atom.xml'),
    );
    const feed = atom.feed as Node;
    expect(feed['@_xml:lang']).toBe('en');
    const [entry] = feed.entry as Node[];
    expect((entry?.category as Node[] | undefined)?.map((category) => category['@_term'])).toEqual([
      'World',
      'Rock & Roll <live>',
    ]);
  });

  it('names RSS authors without an e-mail in dc:creator, never in <author>', () => {
    const rss = fileBody(publishOne({ authors: ['Ana Souza'] }), 'rss.xml');
    expect(rss).toContain('<dc:creator>Ana Souza</dc:creator>');
    expect(rss).not.toMatch(/<author>/);
  });

  it('keeps content with several ]]> sequences well-formed and whole', () => {
    const html = '<p>a]]>b</p><p>c]]>d]]>e</p>';
    const result = publishOne({ content_html: html });
    for (const path of ['rss.xml', 'atom.xml'])
      expect(checkFeedFile(path, fileBody(result, path))).toEqual([]);
    const rssItem = ((parseXmlObject(fileBody(result, 'rss.xml')).rss as Node).channel as Node)
      .item as Node[];
    expect(String(rssItem[0]?.['content:encoded'])).toBe('<p>a]]&gt;b</p><p>c]]&gt;d]]&gt;e</p>');
  });

  it('removes characters XML cannot carry from every text', () => {
    const result = publishOne({
      title: 'Bell\u0007 form\u000cfeed \ud800 lone',
      summary: 'nul-free\u0001 summary\uffff',
      content_html: '<p>vertical\u000btab</p>',
      categories: ['Esc\u001bape'],
    });
    for (const file of result.files) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point.
      expect(file.body).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udfff]/);
      expect(checkFeedFile(file.path, file.body)).toEqual([]);
    }
    expect(jsonFeedItems(result)[0]?.title).toBe('Bell form feed lone');
  });

  it('writes literal Atom titles and summaries as text, not as HTML', () => {
    const result = publishOne({
      title: 'Tom & Jerry <script>alert(1)</script>',
      summary: '1 < 2 & "quotes"',
    });
    const entry = ((parseXmlObject(fileBody(result, 'atom.xml')).feed as Node).entry as Node[])[0] as Node;
    expect(entry.title).toEqual({ '#text': 'Tom & Jerry <script>alert(1)</script>', '@_type': 'text' });
    expect(entry.summary).toEqual({ '#text': '1 < 2 & "quotes"', '@_type': 'text' });
  });

  it('gives every JSON Feed item content, even one whose HTML was all removed', () => {
    const [item] = jsonFeedItems(publishOne({ content_html: '<script>alert(1)</script>' }));
    expect(item?.content_html).toBe('');
  });

  it('labels images with their real media type, not one guessed from the file name', () => {
    const result = publishOne({
      image: {
        url: 'https://example.com/photo.jpg',
        type: 'image/jpeg',
        caption: 'A crane',
        credit: '© Ana',
      },
    });
    const rss = fileBody(result, 'rss.xml');
    expect(rss).not.toContain('image/jpg');
    expect(rss).toContain(
      '<media:content url="https://example.com/photo.jpg" medium="image" type="image/jpeg">',
    );
    expect(rss).toContain('<media:credit>© Ana</media:credit>');
    expect(fileBody(result, 'atom.xml')).toContain(
      '<media:description type="plain">A crane</media:description>',
    );
    expect(jsonFeedItems(result)[0]?.image).toBe('https://example.com/photo.jpg');
  });

  it('writes an item without a URL with no empty link', () => {
    const result = publishOne({});
    expect(fileBody(result, 'atom.xml')).not.toMatch(/<link\s*\/>|<link href=""/);
    expect(checkFeedFile('atom.xml', fileBody(result, 'atom.xml'))).toEqual([]);
  });
});

describe('feed-level metadata from site.json', () => {
  const site = makeSite({
    ttl: 15,
    imageUrl: 'https://www.example.com/logo.png',
    iconUrl: 'https://www.example.com/icon.png',
    copyright: '© Test Wire',
    hubUrl: 'https://hub.example.com/',
  });
  const result = planRecords([makeRecord('articles/a.json', { ...base })], { site });

  it('gives RSS its ttl, image, copyright, self and hub links', () => {
    const rss = fileBody(result, 'rss.xml');
    expect(rss).toContain('<ttl>15</ttl>');
    expect(rss).toMatch(
      /<image>\s*<title>Test Wire<\/title>\s*<url>https:\/\/www.example.com\/logo.png<\/url>/,
    );
    expect(rss).toContain('<copyright>© Test Wire</copyright>');
    expect(rss).toContain(
      '<atom:link href="https://feeds.example.com/rss.xml" rel="self" type="application/rss+xml"/>',
    );
    expect(rss).toContain('<atom:link href="https://hub.example.com/" rel="hub"/>');
  });

  it('gives Atom its logo, icon, rights, self and hub links', () => {
    const atom = fileBody(result, 'atom.xml');
    expect(atom).toContain('<logo>https://www.example.com/logo.png</logo>');
    expect(atom).toContain('<icon>https://www.example.com/icon.png</icon>');
    expect(atom).toContain('<rights>© Test Wire</rights>');
    expect(atom).toContain(
      '<link rel="self" href="https://feeds.example.com/atom.xml" type="application/atom+xml"/>',
    );
    expect(atom).toContain('<link rel="hub" href="https://hub.example.com/"/>');
  });

  it('gives JSON Feed its icon and favicon', () => {
    expect(JSON.parse(fileBody(result, 'feed.json'))).toMatchObject({
      icon: 'https://www.example.com/logo.png',
      favicon: 'https://www.example.com/icon.png',
    });
  });
});
