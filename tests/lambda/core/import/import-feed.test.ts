import { describe, expect, it } from 'vitest';
import { FeedImportError, importFeed } from '../../../../lambda/core/import/import-feed.ts';
import { readArticle } from '../../../../lambda/core/records/read-article.ts';
import { makeRecord, makeSite } from '../../../helpers/site.ts';

const rss = (items: string) => `<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Old site</title><link>https://old.example.com/</link><description>d</description>${items}</channel></rss>`;

const atom = (entries: string) => `<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>tag:old.example.com,2024:feed</id><title>Old</title>
<updated>2024-03-01T00:00:00Z</updated>${entries}</feed>`;

const wordpress = (items: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Blog</title><link>https://blog.example.com</link><description>d</description>${items}</channel></rss>`;

const wpItem = (title: string, type: string, status: string) => `<item><title>${title}</title>
<link>https://blog.example.com/${title}/</link><pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>
<guid isPermaLink="false">https://blog.example.com/?p=${title}</guid><dc:creator>admin</dc:creator>
<content:encoded><![CDATA[<p>${title} body</p>]]></content:encoded><excerpt:encoded><![CDATA[${title} excerpt]]></excerpt:encoded>
<wp:status>${status}</wp:status><wp:post_type>${type}</wp:post_type>
<category domain="category" nicename="news"><![CDATA[News]]></category><category domain="post_tag" nicename="t"><![CDATA[ferries]]></category></item>`;

describe('importFeed', () => {
  it.each([
    [
      'an RSS item with its body, author, categories and enclosure',
      rss(`<item><title>Ferry &amp; port</title><link>https://old.example.com/ferry</link>
        <description>&lt;b&gt;Short&lt;/b&gt; one</description><content:encoded><![CDATA[<p>Long body</p>]]></content:encoded>
        <guid isPermaLink="false">old-1</guid><pubDate>Tue, 05 Mar 2024 09:30:00 +0100</pubDate>
        <author>desk@old.example.com (News Desk)</author><category>Transport</category>
        <enclosure url="https://old.example.com/a.mp3" type="audio/mpeg" length="1234"/></item>`),
      {
        id: 'old-1',
        title: 'Ferry & port',
        date: '2024-03-05T08:30:00.000Z',
        url: 'https://old.example.com/ferry',
        summary: 'Short one',
        content_html: '<p>Long body</p>',
        authors: [{ name: 'News Desk', email: 'desk@old.example.com' }],
        categories: ['Transport'],
        attachments: [{ url: 'https://old.example.com/a.mp3', mime_type: 'audio/mpeg', size_in_bytes: 1234 }],
      },
    ],
    [
      'an Atom entry with text content, an update and an enclosure link',
      atom(`<entry><id>tag:old.example.com,2024:2</id><title type="html">A &amp;lt;b&amp;gt; title</title>
        <link href="https://old.example.com/2"/><link rel="enclosure" href="https://old.example.com/2.pdf" type="application/pdf" length="99"/>
        <published>2024-02-01T10:00:00Z</published><updated>2024-02-02T10:00:00Z</updated>
        <author><name>Ana</name><uri>https://old.example.com/ana</uri></author><category term="economy" label="Economy"/>
        <content type="text">Plain body</content></entry>`),
      {
        id: 'tag:old.example.com,2024:2',
        title: 'A <b> title',
        date: '2024-02-01T10:00:00.000Z',
        updated: '2024-02-02T10:00:00.000Z',
        url: 'https://old.example.com/2',
        content_text: 'Plain body',
        authors: [{ name: 'Ana', url: 'https://old.example.com/ana' }],
        categories: ['Economy'],
        attachments: [
          { url: 'https://old.example.com/2.pdf', mime_type: 'application/pdf', size_in_bytes: 99 },
        ],
      },
    ],
    [
      'a JSON Feed 1.0 item with a single author and tags',
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1',
        title: 'Old',
        items: [
          {
            id: 7,
            url: 'https://old.example.com/7',
            title: 'Seven',
            content_html: '<p>7</p>',
            date_published: '2024-01-07T00:00:00+02:00',
            author: { name: 'Lee' },
            tags: ['World'],
            image: 'https://old.example.com/7.jpg',
          },
        ],
      }),
      {
        id: '7',
        title: 'Seven',
        date: '2024-01-06T22:00:00.000Z',
        url: 'https://old.example.com/7',
        content_html: '<p>7</p>',
        authors: [{ name: 'Lee' }],
        categories: ['World'],
        image: 'https://old.example.com/7.jpg',
      },
    ],
  ])('carries %s across', (_, text, record) => {
    const imported = importFeed(text);
    expect(imported.problems).toEqual([]);
    expect(imported.records.map((entry) => entry.record)).toEqual([record]);
  });

  it.each([
    [
      'an item without a guid takes its link as id',
      `<item><title>T</title><link>https://old.example.com/t</link><pubDate>Tue, 05 Mar 2024 09:30:00 GMT</pubDate><description>x</description></item>`,
      [{ item: 'item 1 ("T")', field: 'id', message: 'no id: its link is the id' }],
      1,
    ],
    [
      'an item without a date is left out',
      `<item><title>T</title><guid>g</guid><description>x</description></item>`,
      [
        {
          item: 'item 1 ("T")',
          field: 'date',
          message: 'no publication date it could read: left out; add it by hand',
        },
      ],
      0,
    ],
    [
      'an item without a title gets one from its text',
      `<item><guid>g</guid><pubDate>Tue, 05 Mar 2024 09:30:00 GMT</pubDate><description>&lt;p&gt;Just a short note&lt;/p&gt;</description></item>`,
      [{ item: 'item 1', field: 'title', message: 'no title: made from its text ("Just a short note")' }],
      1,
    ],
  ])('notes what did not come across: %s', (_, item, problems, count) => {
    const imported = importFeed(rss(item));
    expect(imported.problems).toEqual(problems);
    expect(imported.records).toHaveLength(count);
  });

  it('imports a WordPress export: posts only, drafts as drafts, excerpts as summaries, tags as tags', () => {
    const imported = importFeed(
      wordpress(
        [
          wpItem('live', 'post', 'publish'),
          wpItem('unfinished', 'post', 'draft'),
          wpItem('about', 'page', 'publish'),
          wpItem('secret', 'post', 'private'),
        ].join(''),
      ),
    );
    expect(imported.format).toBe('wordpress');
    expect(
      imported.records.map(({ record }) => [record.title, record.draft, record.summary, record.tags]),
    ).toEqual([
      ['live', undefined, 'live excerpt', ['ferries']],
      ['unfinished', true, 'unfinished excerpt', ['ferries']],
    ]);
    expect(imported.problems.map((problem) => `${problem.item}: ${problem.message}`)).toEqual([
      'item 3 ("about"): a WordPress page, not a post: left out',
      'item 4 ("secret"): a private post: left out',
    ]);
  });

  it('names files by date and title, numbering names that would repeat', () => {
    const item = (guid: string) =>
      `<item><title>Same title</title><guid>${guid}</guid><pubDate>Tue, 05 Mar 2024 09:30:00 GMT</pubDate><description>x</description></item>`;
    expect(importFeed(rss(item('a') + item('b'))).records.map((entry) => entry.name)).toEqual([
      '2024-03-05-same-title.json',
      '2024-03-05-same-title-2.json',
    ]);
  });

  it('writes records the publisher reads without an error', () => {
    const imported = importFeed(
      rss(`<item><title>Ferry</title><link>https://old.example.com/ferry</link><guid>old-1</guid>
        <pubDate>Tue, 05 Mar 2024 09:30:00 GMT</pubDate><description>&lt;p&gt;Body&lt;/p&gt;</description></item>`),
    );
    for (const { name, record } of imported.records) {
      const read = readArticle(makeRecord(`articles/${name}`, record), makeSite(), undefined);
      expect(read.errors).toEqual([]);
      expect(read.warnings).toEqual([]);
    }
  });

  it('refuses a document that is no feed, saying so', () => {
    expect(() => importFeed('<html><body>hello</body></html>')).toThrow(FeedImportError);
  });
});
