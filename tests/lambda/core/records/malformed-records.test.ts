import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../../../lambda/core/model.ts';
import { makeRecord, planRecords } from '../../../helpers/site.ts';

const valid = {
  title: 'A good article',
  date: '2024-05-31T09:30:00+02:00',
  content_html: '<p>Fine.</p>',
};
const json = (fields: object) => JSON.stringify({ ...valid, ...fields });
const without = (name: keyof typeof valid) => {
  const { [name]: _removed, ...rest } = valid;
  return JSON.stringify(rest);
};
const markdown = (frontMatter: string, body = 'The body.') => `---\n${frontMatter}\n---\n${body}\n`;
const news = (lines: string[]) => lines.join('\n');
const newsHead = ['date 2018-03-05 Back to Main page', 'A title', 'Business', 'March 5, 18:03 UTC+1 BERLIN'];
const aliasBomb = [
  'title: bomb',
  'date: 2024-01-01',
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
].join('\n');

/** [what is wrong, record key, body, the field the error must name] */
const cases: [string, string, string | Uint8Array, string][] = [
  ['JSON that does not parse', 'a.json', '{"title": "x",', '(file)'],
  ['a JSON list instead of an object', 'a.json', '[1, 2]', '(file)'],
  ['a JSON text instead of an object', 'a.json', '"hello"', '(file)'],
  ['no title', 'a.json', without('title'), 'title'],
  ['an empty title', 'a.json', json({ title: '   ' }), 'title'],
  ['a numeric title', 'a.json', json({ title: 42 }), 'title'],
  ['a title over 1000 characters', 'a.json', json({ title: 'x'.repeat(1001) }), 'title'],
  ['no date', 'a.json', without('date'), 'date'],
  ['February 30th', 'a.json', json({ date: '2017-02-30' }), 'date'],
  ['a 13th month', 'a.json', json({ date: '2024-13-01' }), 'date'],
  ['hour 25', 'a.json', json({ date: '2024-05-01T25:00:00Z' }), 'date'],
  ['a date in words', 'a.json', json({ date: 'yesterday' }), 'date'],
  ['an offset beyond 14 hours', 'a.json', json({ date: '2024-05-01T10:00:00+25:00' }), 'date'],
  ['a numeric date', 'a.json', json({ date: 1717140600 }), 'date'],
  ['updated before date', 'a.json', json({ updated: '2024-05-30T00:00:00Z' }), 'updated'],
  ['an impossible expiry', 'a.json', json({ expires: '2024-04-31' }), 'expires'],
  ['no content at all', 'a.json', without('content_html'), 'content_html'],
  ['two kinds of content', 'a.json', json({ content_markdown: '*x*' }), 'content_markdown'],
  ['a relative url', 'a.json', json({ url: '/news/1' }), 'url'],
  ['a javascript: url', 'a.json', json({ url: 'javascript:alert(1)' }), 'url'],
  ['authors as text', 'a.json', json({ authors: 'Ana' }), 'authors'],
  ['an author that is a number', 'a.json', json({ authors: [7] }), 'authors[0]'],
  ['an author without a name', 'a.json', json({ authors: [{ email: 'a@example.com' }] }), 'authors[0].name'],
  [
    'an author e-mail without @',
    'a.json',
    json({ authors: [{ name: 'Ana', email: 'ana' }] }),
    'authors[0].email',
  ],
  ['a numeric category', 'a.json', json({ categories: ['World', 5] }), 'categories[1]'],
  [
    '101 categories',
    'a.json',
    json({ categories: Array.from({ length: 101 }, (_, index) => `c${index}`) }),
    'categories',
  ],
  ['an empty tag', 'a.json', json({ tags: [''] }), 'tags[0]'],
  ['draft as text', 'a.json', json({ draft: 'yes' }), 'draft'],
  ['a language that is no tag', 'a.json', json({ language: 'english!' }), 'language'],
  ['an image URL that is not a URL', 'a.json', json({ image: { url: 'photo.jpg' } }), 'image.url'],
  [
    'a negative image width',
    'a.json',
    json({ image: { url: 'https://e.com/p.jpg', width: -1 } }),
    'image.width',
  ],
  ['an image media type without a slash', 'a.json', json({ image: { type: 'jpeg' } }), 'image.type'],
  [
    'an attachment without a media type',
    'a.json',
    json({ attachments: [{ url: 'https://e.com/a.mp3' }] }),
    'attachments[0].mime_type',
  ],
  [
    'an attachment size as text',
    'a.json',
    json({ attachments: [{ url: 'https://e.com/a.mp3', mime_type: 'audio/mpeg', size_in_bytes: '12' }] }),
    'attachments[0].size_in_bytes',
  ],
  [
    'the same key twice',
    'a.json',
    '{"title": "One", "title": "Two", "date": "2024-01-01", "content_text": "x"}',
    '(file)',
  ],
  ['invalid UTF-8', 'a.json', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), '(file)'],
  ['a binary file', 'a.json', new Uint8Array([0x7b, 0x00, 0x01, 0x7d]), '(file)'],
  ['a record over 1 MiB', 'a.json', json({ content_text: 'x'.repeat(1024 * 1024) }), '(file)'],
  ['an unknown extension', 'a.docx', json({}), '(file)'],
  ['no extension', 'README', 'hello', '(file)'],
  ['Markdown without front matter', 'a.md', '# Just a heading\n\nText.', '(front matter)'],
  ['a ---js front matter block', 'a.md', '---js\n{ title: (() => "pwned")() }\n---\nBody', '(front matter)'],
  ['YAML that does not parse', 'a.md', markdown('title: [unclosed\ndate: 2024-01-01'), '(front matter)'],
  ['a YAML alias bomb', 'a.md', markdown(aliasBomb), '(front matter)'],
  [
    'a YAML code tag',
    'a.md',
    markdown('title: !!js/function "function () {}"\ndate: 2024-01-01'),
    '(front matter)',
  ],
  ['a YAML key twice', 'a.md', markdown('title: One\ntitle: Two\ndate: 2024-01-01'), '(front matter)'],
  ['front matter that is a list', 'a.md', markdown('- title\n- date'), '(front matter)'],
  [
    'content in both front matter and body',
    'a.md',
    markdown('title: x\ndate: 2024-01-01\ncontent_html: <p>x</p>'),
    'content_html',
  ],
  ['Markdown with an empty body', 'a.md', markdown('title: x\ndate: 2024-01-01', ''), 'content_html'],
  ['Markdown without a title', 'a.md', markdown('date: 2024-01-01'), 'title'],
  ['a YAML date without quotes that is impossible', 'a.md', markdown('title: x\ndate: 2024-02-30'), 'date'],
  ['news text without a date line', 'a.txt', news(newsHead.slice(1)), 'date'],
  [
    'news text with an impossible header date',
    'a.txt',
    news(['date 2017-02-30', ...newsHead.slice(1), 'Lead.', 'Body.']),
    'date',
  ],
  [
    'news text with an unreadable time line',
    'a.txt',
    news([...newsHead.slice(0, 3), 'Friday evening', 'Lead.', 'Body.']),
    'date',
  ],
  [
    'news text with an unknown month',
    'a.txt',
    news([...newsHead.slice(0, 3), 'Smarch 5, 10:00 UTC', 'Lead.', 'Body.']),
    'date',
  ],
  ['news text that ends after the date line', 'a.txt', 'date 2018-03-05', 'title'],
  ['news text without a body', 'a.txt', news(newsHead), 'content'],
  ['an empty news file', 'a.txt', '', 'date'],
];

const goodRecord = makeRecord('articles/good.json', { ...valid, title: 'Still here' });

describe('malformed and tricky records', () => {
  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('reports %s with the key and field, and publishes the rest', (_case, name, body, field) => {
    const key = `articles/${name}`;
    const record: SourceRecord = typeof body === 'string' ? makeRecord(key, body) : { key, body };
    const { report, files } = planRecords([goodRecord, record]);
    expect(report.errors.length).toBeGreaterThan(0);
    expect(report.errors.map((error) => [error.key, error.field])).toContainEqual([key, field]);
    for (const error of report.errors) {
      expect(error.key).toBe(key);
      expect(error.message.length).toBeGreaterThan(5);
    }
    expect(report.published).toBe(1);
    const rss = files.find((file) => file.path === 'rss.xml')?.body;
    expect(rss).toContain('Still here');
  });

  it('explains an impossible date in words a writer can act on', () => {
    const { report } = planRecords([makeRecord('articles/x.json', json({ date: '2017-02-30' }))]);
    expect(report.errors).toEqual([
      { key: 'articles/x.json', field: 'date', line: 1, message: "'2017-02-30' is not a real date" },
    ]);
  });

  it('names the line of a front matter error in the file, and quotes it', () => {
    const { report } = planRecords([makeRecord('articles/x.md', markdown('title: ok\ndate: [2024'))]);
    expect(report.errors[0]?.message).toMatch(/^line 3, column \d+: .+: "date: \[2024"$/);
  });

  it('turns a YAML alias bomb away at the alias cap instead of expanding it', () => {
    // Expanded, the document would hold 9^7 (4.7 million) strings.
    const { report } = planRecords([makeRecord('articles/x.md', markdown(aliasBomb))]);
    expect(report.errors).toEqual([
      { key: 'articles/x.md', field: '(front matter)', message: expect.stringMatching(/alias/i) },
    ]);
  });

  it('never lets __proto__ in JSON or YAML set fields', () => {
    const viaJson = makeRecord('articles/p.json', `{"__proto__": {"draft": true}, ${json({}).slice(1)}`);
    const viaYaml = makeRecord(
      'articles/p.md',
      markdown('__proto__: {draft: true}\ntitle: Proto\ndate: 2024-01-01'),
    );
    const { report } = planRecords([viaJson, viaYaml]);
    expect(report.errors).toEqual([]);
    expect(report.drafts).toBe(0);
    expect(report.published).toBe(2);
    expect(({} as Record<string, unknown>).draft).toBeUndefined();
  });
});
