import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import type { SiteConfig } from '../../../../lambda/core/model.ts';
import { checkTemplates, withTemplates } from '../../../../lambda/core/render/template-check.ts';
import { makeRecord, makeSite, planRecords } from '../../../helpers/site.ts';

const site = makeSite();

describe('checkTemplates', () => {
  it('keeps every template that reads and renders', () => {
    const sources = {
      'article.liquid': '<h1>{{ article.title }}</h1>',
      'byline.liquid': '{{ author.name }}',
    };
    const check = checkTemplates(
      site,
      { ...sources, 'article.liquid': `${sources['article.liquid']}{% include 'byline.liquid' %}` },
      {},
    );
    expect(check.errors).toEqual([]);
    expect(check.warnings).toEqual([]);
    expect(Object.keys(check.templates).sort()).toEqual(['article.liquid', 'byline.liquid']);
  });

  it.each([
    ['an unknown filter', '{{ site.title | shout }}', 1, /undefined filter: shout/],
    ['an unclosed tag', '\n\n{% for link in page.links %}', 3, /not closed/],
    ['an attribute value without quotes', '<p>\n<a href={{ article.url }}>x</a>', 2, /without quotes/],
    [
      'an include of a missing file',
      '<p>\n{% include "nowhere.liquid" %}',
      2,
      /includes nowhere\.liquid, which is neither in templates\/ nor in the theme/,
    ],
  ])(
    'reports %s with its file and line, and falls back to the last good version',
    (_case, broken, line, reason) => {
      const lastGood = { 'footer.liquid': '<footer>good</footer>' };
      const check = checkTemplates(site, { 'footer.liquid': broken }, lastGood);
      expect(check.errors).toEqual([
        { key: 'templates/footer.liquid', field: 'template', line, message: expect.stringMatching(reason) },
      ]);
      expect(check.templates).toEqual(lastGood);
      expect(check.keptLastGood).toEqual(['templates/footer.liquid']);
    },
  );

  it('falls back to the default theme when a bad template never rendered', () => {
    const check = checkTemplates(site, { 'footer.liquid': '{{ x | nope }}' }, {});
    expect(check.templates).toEqual({});
    expect(check.keptLastGood).toEqual([]);
    expect(check.errors).toHaveLength(1);
  });

  it('stops a template that would loop for too long', () => {
    const check = checkTemplates(
      site,
      { 'footer.liquid': '{% for i in (1..100000000) %}{{ i }}{% endfor %}' },
      {},
    );
    expect(check.errors[0]?.key).toBe('templates/footer.liquid');
    expect(check.templates).toEqual({});
  });

  it('warns about a file that is no template of the theme and that no template includes', () => {
    const check = checkTemplates(site, { 'artcle.liquid': '<p></p>' }, {});
    expect(check.warnings).toEqual([
      {
        key: 'templates/artcle.liquid',
        field: 'template',
        message: expect.stringContaining('did you mean article.liquid?'),
      },
    ]);
  });
});

const hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>';

/** A template that prints every value it is given, none of them `raw`, as a careless theme might. */
const echoingArticle = `<h1 title="{{ article.title }}">{{ article.title }}</h1>
{% for author in article.authors %}<a href="{{ author.url }}">{{ author.name }}</a>{% endfor %}
{% for category in article.categories %}<a href='{{ category.url }}'>{{ category.name }}</a>{% endfor %}
<p data-summary='{{ article.summary }}'>{{ article.dateline }}</p>{{ article.content | raw }}`;

describe('an overriding template with hostile records and site.json values', () => {
  const themed: SiteConfig = withTemplates(makeSite({ title: `Wire ${hostile}`, copyright: hostile }), {
    'article.liquid': echoingArticle,
  }).site;
  const record = makeRecord('articles/a.json', {
    title: hostile,
    date: '2024-01-01',
    summary: hostile,
    dateline: hostile,
    // javascript: addresses are refused when a record is read; quotes in an address are not.
    authors: [{ name: hostile, url: 'https://example.com/"onmouseover="x' }],
    categories: [hostile],
    content_html: `<p>ok</p><script>alert(4)</script><a href="javascript:alert(5)">x</a>`,
  });
  const html =
    planRecords([record], { site: themed }).files.find((file) => file.path.startsWith('articles/'))?.body ??
    '';
  const document = parseDocument(html);
  const elements = DomUtils.getElementsByTagName(() => true, document);

  it('is drawn with the override', () => {
    expect(html).toContain('<h1 title=');
  });

  it('has no script, no event attribute and no javascript: link', () => {
    expect(DomUtils.getElementsByTagName('script', document)).toEqual([]);
    expect(
      elements.flatMap((element) => Object.keys(element.attribs)).filter((name) => name.startsWith('on')),
    ).toEqual([]);
    const links = elements.flatMap((element) => Object.values(element.attribs));
    expect(links.filter((value) => /^\s*javascript:/i.test(value))).toEqual([]);
  });

  it('shows each hostile text as the text it is', () => {
    const heading = DomUtils.getElementsByTagName('h1', document)[0];
    expect(heading && DomUtils.textContent(heading)).toBe(hostile);
    expect(heading?.attribs.title).toBe(hostile);
  });
});
