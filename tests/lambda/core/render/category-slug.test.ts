import { describe, expect, it } from 'vitest';
import { categorySlug } from '../../../../lambda/core/render/category-slug.ts';
import { checkFeedFile } from '../../../helpers/feed-checks.ts';
import { fileBody } from '../../../helpers/published.ts';
import { makeRecord, planRecords } from '../../../helpers/site.ts';

describe('categorySlug', () => {
  it.each([
    ['World', 'world'],
    ['Économie & Finances', 'economie-finances'],
    ['  Science / Tech  ', 'science-tech'],
    ['Мир', 'мир'],
    ['日本 ニュース', '日本-ニュース'],
    ['Straße', 'straße'],
    ['ＦＵＬＬ width', 'full-width'],
    ['C++', 'c'],
  ])('turns %s into %s', (name, slug) => {
    expect(categorySlug(name)).toBe(slug);
  });

  it('gives a name without letters or digits a stable slug of its own', () => {
    expect(categorySlug('!!!')).toMatch(/^category-[0-9a-f]{10}$/);
    expect(categorySlug('!!!')).toBe(categorySlug('!!!'));
    expect(categorySlug('???')).not.toBe(categorySlug('!!!'));
  });
});

describe('category feeds', () => {
  const base = { date: '2025-01-01T00:00:00Z', content_text: 'x' };
  const result = planRecords([
    makeRecord('articles/a.json', { ...base, title: 'A', categories: ['World', 'Мир'] }),
    makeRecord('articles/b.json', { ...base, title: 'B', categories: ['world'] }),
    makeRecord('articles/c.json', { ...base, title: 'C', categories: ['Sport'], draft: true }),
  ]);

  it('publishes each category in all three formats, names differing only in case sharing one feed', () => {
    const folders = [
      ...new Set(
        result.files
          .map((file) => file.path)
          .filter((path) => /^categories\/[^/]+\//.test(path))
          .map((path) => path.split('/')[1]),
      ),
    ];
    expect(folders).toEqual(['world', 'мир']);
    expect(JSON.parse(fileBody(result, 'categories/world/feed.json')).items).toHaveLength(2);
    for (const file of result.files) expect(checkFeedFile(file.path, file.body)).toEqual([]);
  });

  it('percent-encodes non-Latin slugs in feed URLs', () => {
    expect(fileBody(result, 'categories/мир/atom.xml')).toContain(
      'href="https://feeds.example.com/categories/%D0%BC%D0%B8%D1%80/atom.xml"',
    );
  });

  it('never makes a feed for a category only drafts use', () => {
    expect(result.files.some((file) => file.path.startsWith('categories/sport/'))).toBe(false);
  });

  it('links every category feed from the subscribe page', () => {
    const html = fileBody(result, 'index.html');
    expect(html).toContain('href="https://feeds.example.com/categories/world/rss.xml"');
    expect(html).toContain('href="https://feeds.example.com/categories/%D0%BC%D0%B8%D1%80/feed.json"');
  });
});
