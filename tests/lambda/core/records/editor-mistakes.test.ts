import { describe, expect, it } from 'vitest';
import { readArticle } from '../../../../lambda/core/records/read-article.ts';
import { makeRecord, makeSite } from '../../../helpers/site.ts';

const site = makeSite();

// The mistakes editors make most, each with the exact message they get: where, what, and how to fix.
describe('what an editor is told', () => {
  it.each([
    [
      'an unquoted colon in a YAML value',
      'articles/a.md',
      '---\ntitle: No: body\ndate: 2024-01-01\n---\nText.',
      '(front matter)',
      'line 2, column 8: Nested mappings are not allowed in compact mappings: "title: No: body"; a value with a colon in it must be quoted: title: "No: body"',
    ],
    [
      'a YAML list left open, past the front matter start',
      'articles/a.md',
      '---\ntitle: Fine\ntags: [one, two\ndate: 2024-01-01\n---\nText.',
      '(front matter)',
      expect.stringMatching(/^line [45], column \d+: .*: ".*"$/),
    ],
    [
      'a trailing comma in JSON',
      'articles/a.json',
      '{\n  "title": "A",\n  "date": "2024-01-01",\n}',
      '(file)',
      'is not valid JSON: line 4, column 1: Expected double-quoted property name: "}"',
    ],
    [
      'a missing comma in JSON',
      'articles/a.json',
      '{\n  "title": "A"\n  "date": "2024-01-01"\n}',
      '(file)',
      `is not valid JSON: line 3, column 3: Expected ',' or '}' after property value: "  \\"date\\": \\"2024-01-01\\""`,
    ],
  ])('%s', (_, key, text, field, message) => {
    const { errors } = readArticle(makeRecord(key, text), site, undefined);
    expect(errors).toEqual([{ key, field, message }]);
  });

  const json = (fields: object) => JSON.stringify({ title: 'A', date: '2024-01-01', ...fields });
  it.each([
    [
      'a misspelt field',
      'articles/a.json',
      JSON.stringify({ tittle: 'A', date: '2024-01-01', content_text: 'x' }),
      [{ field: 'tittle', line: 1, message: 'unknown field; did you mean title?' }],
    ],
    [
      'a misspelt field in front matter',
      'articles/a.md',
      '---\ntitle: A\ndate: 2024-01-01\ncategory: World\n---\nText.',
      [{ field: 'category', line: 4, message: 'unknown field; did you mean categories?' }],
    ],
    [
      'a field that is nothing like a known one',
      'articles/a.json',
      json({ content_text: 'x', wordcount: 3 }),
      [
        {
          field: 'wordcount',
          line: 1,
          message:
            'unknown field, ignored; known fields: id, title, date, updated, summary, content_html, content_markdown, content_text, url, authors, categories, tags, image, attachments, language, source, dateline, draft, expires',
        },
      ],
    ],
    [
      'a misspelt image field',
      'articles/a.json',
      json({ content_text: 'x', image: { url: 'https://e.com/a.jpg', captoin: 'Hi' } }),
      [{ field: 'image.captoin', line: 1, message: 'unknown field; did you mean caption?' }],
    ],
    [
      'a YouTube embed on a site that allows no iframes',
      'articles/a.json',
      json({ content_html: '<p>Watch</p><iframe src="https://www.youtube.com/embed/x"></iframe>' }),
      [
        {
          field: 'content_html',
          line: 1,
          message:
            'removed <iframe> from www.youtube.com; add "www.youtube.com" to allowedIframeHosts in site.json to keep it',
        },
      ],
    ],
    [
      'a script and inline styles',
      'articles/a.md',
      '---\ntitle: A\ndate: 2024-01-01\n---\n<p style="color:red">Hi</p>\n<p style="x">There</p>\n<script>alert(1)</script>',
      [
        { field: '(body)', message: 'removed the style attribute of <p> (2 times)' },
        { field: '(body)', message: 'removed <script>' },
      ],
    ],
    [
      'a javascript: link',
      'articles/a.json',
      json({ content_html: '<a href="javascript:alert(1)" onclick="x()">Go</a>' }),
      [
        {
          field: 'content_html',
          line: 1,
          message: 'removed the href of <a>: javascript: links are not allowed',
        },
        { field: 'content_html', line: 1, message: 'removed the onclick attribute of <a>' },
      ],
    ],
  ])('warns of %s', (_, key, text, warnings) => {
    const read = readArticle(makeRecord(key, text), site, undefined);
    expect(read.warnings).toEqual(warnings.map((warning) => ({ key, ...warning })));
  });

  it('publishes a record despite its warnings', () => {
    const read = readArticle(
      makeRecord('articles/a.json', json({ content_html: '<p style="x">Hi</p>', wordcount: 3 })),
      site,
      undefined,
    );
    expect(read.errors).toEqual([]);
    expect(read.article?.contentHtml).toBe('<p>Hi</p>');
    expect(read.warnings).toHaveLength(2);
  });
});

// A wrong type is named with the field, the type it must be, and the line to fix.
describe('a value of the wrong type', () => {
  const markdown = (line: string) => `---\ntitle: A\ndate: 2024-01-01\n${line}\n---\nText.`;
  const json = (entry: string) =>
    `{\n  "title": "A",\n  "date": "2024-01-01",\n  "content_text": "x",\n  ${entry}\n}`;
  it.each([
    [
      'one category as text (YAML)',
      'articles/a.md',
      markdown('categories: Economy'),
      {
        field: 'categories',
        line: 4,
        message: `must be a list of texts, like ["Economy"], not the text 'Economy'`,
      },
    ],
    [
      'one category as text (JSON)',
      'articles/a.json',
      json('"categories": "economy"'),
      {
        field: 'categories',
        line: 5,
        message: `must be a list of texts, like ["economy"], not the text 'economy'`,
      },
    ],
    [
      'a number for a title',
      'articles/a.json',
      json('"summary": 42'),
      { field: 'summary', line: 5, message: 'must be text, not number 42' },
    ],
    [
      'an object for a date',
      'articles/a.md',
      markdown('updated:\n  day: 2024-01-02'),
      {
        field: 'updated',
        line: 4,
        message: 'must be a date text like 2024-05-31T09:30:00+02:00, not an object',
      },
    ],
    [
      'a bad e-mail of the second author, on its own line',
      'articles/a.md',
      markdown('authors:\n  - Ana\n  - name: Lee\n    email: lee at example'),
      { field: 'authors[1].email', line: 7, message: "'lee at example' is not an e-mail address" },
    ],
  ])('%s', (_, key, text, expected) => {
    const { errors } = readArticle(makeRecord(key, text), site, undefined);
    expect(errors).toEqual([{ key, ...expected }]);
  });

  it('warns of an image without a url, on the line of the image, and publishes the article without it', () => {
    const { article, warnings } = readArticle(
      makeRecord('articles/a.md', markdown('image:\n  caption: The harbour at dawn')),
      site,
      undefined,
    );
    expect(article?.image).toBeUndefined();
    expect(warnings).toEqual([
      {
        key: 'articles/a.md',
        field: 'image.url',
        line: 4,
        message: 'is missing, so the image is left out; give its address: image: {url: "https://..."}',
      },
    ]);
  });
});
