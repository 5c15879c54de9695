import { describe, expect, it } from 'vitest';
import { readSiteConfig, siteConfigWarnings, siteDefaults } from '../../../lambda/core/site-config.ts';
import { makeRecord, makeSite, planRecords } from '../../helpers/site.ts';

const minimal = {
  title: 'Wire',
  description: 'News',
  siteUrl: 'https://www.example.com',
  feedBaseUrl: 'https://feeds.example.com/news',
};
const read = (fields: object, overrides = {}) =>
  readSiteConfig(JSON.stringify({ ...minimal, ...fields }), overrides);

describe('readSiteConfig', () => {
  it('fills defaults and makes the feed base URL a folder', () => {
    expect(read({})).toEqual({
      ...minimal,
      siteUrl: 'https://www.example.com/',
      feedBaseUrl: 'https://feeds.example.com/news/',
      ...siteDefaults,
      author: undefined,
      copyright: undefined,
      hubUrl: undefined,
      imageUrl: undefined,
      iconUrl: undefined,
    });
  });

  it('lets overrides win over the file', () => {
    expect(read({}, { feedBaseUrl: 'https://d111.cloudfront.net/' }).feedBaseUrl).toBe(
      'https://d111.cloudfront.net/',
    );
  });

  it.each([
    ['a missing title', { title: undefined }, /title must be a non-empty text/],
    ['a relative feed URL', { feedBaseUrl: '/feeds' }, /feedBaseUrl '\/feeds' is not an absolute/],
    [
      'an unknown time zone',
      { timezone: 'Mars/Olympus' },
      /timezone 'Mars\/Olympus' is not an IANA time zone/,
    ],
    ['a zero item limit', { maxItems: 0 }, /maxItems must be a whole number of at least 1/],
    [
      'an archive period that is not one',
      { archivePeriod: 'week' },
      /archivePeriod must be one of "month", "day", not "week"/,
    ],
    [
      'an iframe host that is a URL',
      { allowedIframeHosts: ['https://x.com/'] },
      /allowedIframeHosts must be a list of host names/,
    ],
    [
      'a limit that is text',
      { limits: { maxTitleLength: 'long' } },
      /limits.maxTitleLength must be a whole number/,
    ],
    [
      'an author e-mail that is a number',
      { author: { name: 'Desk', email: 5 } },
      'site.json: author.email: must be text, not number 5',
    ],
    [
      'an author e-mail that is no address',
      { author: { name: 'Desk', email: 'desk at example' } },
      "site.json: author.email: 'desk at example' is not an e-mail address",
    ],
    [
      'an author without a name',
      { author: { email: 'desk@example.com' } },
      'site.json: author.name: is required',
    ],
    [
      'an author URL that runs script',
      { author: { name: 'Desk', url: 'javascript:alert(1)' } },
      "site.json: author.url: 'javascript:alert(1)' is not an absolute http(s) URL",
    ],
  ])('throws on %s, naming the setting', (_case, fields, message) => {
    expect(() => read(fields)).toThrow(message);
  });

  it.each([
    ['timeZone', 'unknown setting; did you mean timezone?'],
    ['maxitems', 'unknown setting; did you mean maxItems?'],
    ['feedBaseURL', 'unknown setting; did you mean feedBaseUrl?'],
    ['colours', 'unknown setting, ignored'],
  ])('warns of the unknown setting %s', (key, message) => {
    const text = JSON.stringify({ ...minimal, [key]: 'x' });
    expect(siteConfigWarnings(text)).toEqual([{ key: 'site.json', field: key, message }]);
    expect(siteConfigWarnings(JSON.stringify(minimal))).toEqual([]);
  });

  it('reads a theme: the accent lower-cased, navigation paths on the website', () => {
    const theme = read({
      theme: {
        logoUrl: 'https://www.example.com/logo.svg',
        accentColor: '#8A1C1C',
        navigation: [
          { label: 'Sport', url: '/sport/' },
          { label: 'Shop', url: 'https://shop.example.org/' },
        ],
        footerText: 'Published by Example Media',
      },
    }).theme;
    expect(theme).toEqual({
      logoUrl: 'https://www.example.com/logo.svg',
      accentColor: '#8a1c1c',
      navigation: [
        { label: 'Sport', url: 'https://www.example.com/sport/' },
        { label: 'Shop', url: 'https://shop.example.org/' },
      ],
      footerText: 'Published by Example Media',
    });
  });

  it.each([
    [
      'an accent that is a colour name',
      { accentColor: 'red' },
      `theme.accentColor 'red' is not a colour like "#0b5394"`,
    ],
    [
      'an accent too pale to read on white',
      { accentColor: '#ffcc00' },
      `theme.accentColor '#ffcc00' has a contrast of 1.51:1 on white; links need 4.5:1 (WCAG AA)`,
    ],
    [
      'a navigation link that runs script',
      { navigation: [{ label: 'x', url: 'javascript:alert(1)' }] },
      `theme.navigation[0].url 'javascript:alert(1)' is not an absolute http(s) URL`,
    ],
    [
      'a navigation link to another host by a protocol-relative path',
      { navigation: [{ label: 'x', url: '//evil.example/' }] },
      `theme.navigation[0].url '//evil.example/' is not an absolute http(s) URL`,
    ],
    [
      'a navigation link without a label',
      { navigation: [{ url: '/a' }] },
      'theme.navigation[0].label must be a non-empty text',
    ],
    [
      'nine navigation links',
      { navigation: Array.from({ length: 9 }, () => ({ label: 'a', url: '/a' })) },
      'theme.navigation must be a list of at most 8 links',
    ],
    ['a logo that is a data URL', { logoUrl: 'data:image/svg+xml,<svg/>' }, 'theme.logoUrl'],
    [
      'a misspelt theme setting',
      { accentColour: '#000000' },
      'theme.accentColour is not a theme setting; did you mean accentColor?',
    ],
  ])('refuses a theme with %s, naming the setting', (_case, theme, message) => {
    expect(() => read({ theme })).toThrow(message);
  });

  it('throws on a file that is not JSON', () => {
    expect(() => readSiteConfig('{ title')).toThrow(/site.json is not valid JSON/);
  });
});

describe('record limits from site.json', () => {
  const strict = makeSite({ limits: { maxRecordBytes: 400, maxTitleLength: 10, maxCategories: 2 } });
  const base = { title: 'Short', date: '2024-01-01', content_text: 'x' };

  it.each([
    ['title', { ...base, title: 'Eleven char' }],
    ['categories', { ...base, categories: ['a', 'b', 'c'] }],
    ['(file)', { ...base, content_text: 'x'.repeat(400) }],
  ])('rejects a record over the configured %s limit', (field, record) => {
    const { report } = planRecords([makeRecord('articles/a.json', record)], { site: strict });
    expect(report.errors.map((error) => error.field)).toEqual([field]);
  });

  it('counts title length in characters, not UTF-16 units', () => {
    const { report } = planRecords([makeRecord('articles/a.json', { ...base, title: '😀'.repeat(10) })], {
      site: strict,
    });
    expect(report.errors).toEqual([]);
  });
});
