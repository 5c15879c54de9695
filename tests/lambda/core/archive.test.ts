import { describe, expect, it } from 'vitest';
import type { PublishState } from '../../../lambda/core/state.ts';
import { checkFeedFile } from '../../helpers/feed-checks.ts';
import { fileBody } from '../../helpers/published.ts';
import { makeRecord, makeSite, planRecords } from '../../helpers/site.ts';
import { parseXmlObject } from '../../helpers/xml.ts';

const site = makeSite({ maxItems: 3, archivePageSize: 2 });
const record = (day: number) =>
  makeRecord(`articles/${String(day).padStart(2, '0')}.json`, {
    title: `Day ${day}`,
    date: `2025-01-${String(day).padStart(2, '0')}T12:00:00Z`,
    content_text: `Story of day ${day}.`,
  });
const days = (count: number) => Array.from({ length: count }, (_, index) => record(index + 1));
type Node = Record<string, unknown>;
const links = (body: string, root: 'feed' | 'rss') => {
  const parsed = parseXmlObject(body);
  const holder = root === 'feed' ? (parsed.feed as Node) : ((parsed.rss as Node).channel as Node);
  const all = [holder.link, holder['atom:link']].flat().filter(Boolean) as Node[];
  return Object.fromEntries(all.map((link) => [link['@_rel'], link['@_href']]));
};
const titles = (body: string) =>
  ((parseXmlObject(body).feed as Node).entry as Node[] | undefined)?.map(
    (entry) => (entry.title as Node)['#text'],
  );

describe('RFC 5005 archives', () => {
  it('seals full pages of the oldest articles, newest first within a page', () => {
    const result = planRecords(days(5), { site });
    const paths = result.files.map((file) => file.path).filter((path) => path.startsWith('archive/'));
    expect(paths).toEqual([
      'archive/1/rss.xml',
      'archive/1/atom.xml',
      'archive/1/feed.json',
      'archive/2/rss.xml',
      'archive/2/atom.xml',
      'archive/2/feed.json',
    ]);
    expect(titles(fileBody(result, 'archive/1/atom.xml'))).toEqual(['Day 2', 'Day 1']);
    expect(titles(fileBody(result, 'archive/2/atom.xml'))).toEqual(['Day 4', 'Day 3']);
    expect(titles(fileBody(result, 'atom.xml'))).toEqual(['Day 5', 'Day 4', 'Day 3']);
    expect(result.state.archive.pages).toEqual([
      ['articles/01.json', 'articles/02.json'],
      ['articles/03.json', 'articles/04.json'],
    ]);
  });

  it('links current feeds and archive pages both ways, marks archives, and caches them for good', () => {
    const result = planRecords(days(5), { site });
    const base = 'https://feeds.example.com/';
    expect(links(fileBody(result, 'atom.xml'), 'feed')['prev-archive']).toBe(`${base}archive/2/atom.xml`);
    expect(links(fileBody(result, 'rss.xml'), 'rss')['prev-archive']).toBe(`${base}archive/2/rss.xml`);
    expect(links(fileBody(result, 'archive/2/atom.xml'), 'feed')).toMatchObject({
      self: `${base}archive/2/atom.xml`,
      current: `${base}atom.xml`,
      'prev-archive': `${base}archive/1/atom.xml`,
      'next-archive': `${base}archive/3/atom.xml`,
    });
    expect(links(fileBody(result, 'archive/1/rss.xml'), 'rss')['prev-archive']).toBeUndefined();
    expect(fileBody(result, 'archive/1/atom.xml')).toContain('<fh:archive/>');
    expect(fileBody(result, 'atom.xml')).not.toContain('fh:archive');
    const json = (path: string) => JSON.parse(fileBody(result, path)) as Node;
    expect(json('feed.json').next_url).toBe(`${base}archive/2/feed.json`);
    expect(json('archive/2/feed.json')).toMatchObject({
      next_url: `${base}archive/1/feed.json`,
      expired: true,
    });
    expect(json('archive/1/feed.json').next_url).toBeUndefined();
    const archived = result.files.filter((file) => file.path.startsWith('archive/'));
    for (const file of archived) {
      expect(file.cacheControl).toBe('public, max-age=31536000, immutable');
      expect(checkFeedFile(file.path, file.body)).toEqual([]);
    }
    expect(result.files.find((file) => file.path === 'rss.xml')?.cacheControl).toMatch(/max-age=300\b/);
  });

  it('never renders a sealed page again, even when its articles change', () => {
    const first = planRecords(days(5), { site });
    const edited = [
      makeRecord('articles/01.json', {
        title: 'Day 1, edited',
        date: '2025-01-01T12:00:00Z',
        content_text: 'x',
      }),
      ...days(5).slice(1),
    ];
    const second = planRecords(edited, { site, previous: first.state });
    const paths = second.files.map((file) => file.path).filter((path) => path.startsWith('archive/'));
    expect(paths).toEqual([]);
    const third = planRecords([...edited, record(6)], { site, previous: second.state });
    expect(third.files.map((file) => file.path).filter((path) => path.startsWith('archive/'))).toEqual([
      'archive/3/rss.xml',
      'archive/3/atom.xml',
      'archive/3/feed.json',
    ]);
    expect(titles(fileBody(third, 'archive/3/atom.xml'))).toEqual(['Day 6', 'Day 5']);
    expect(links(fileBody(third, 'atom.xml'), 'feed')['prev-archive']).toBe(
      'https://feeds.example.com/archive/3/atom.xml',
    );
  });

  it('holds the full history across archives and the current feed', () => {
    let previous: PublishState | undefined;
    const seen = new Set<string>();
    for (let count = 1; count <= 9; count += 1) {
      const result = planRecords(days(count), { site, previous });
      previous = result.state;
      for (const file of result.files.filter((candidate) => candidate.path.endsWith('atom.xml'))) {
        for (const title of titles(file.body) ?? []) seen.add(String(title));
      }
      const current = new Set(titles(fileBody(result, 'atom.xml'))?.map(String));
      const archivedKeys = new Set(result.state.archive.pages.flat());
      for (let day = 1; day <= count; day += 1) {
        const key = `articles/${String(day).padStart(2, '0')}.json`;
        expect(archivedKeys.has(key) || current.has(`Day ${day}`)).toBe(true);
      }
    }
    expect(seen.size).toBe(9);
  });
});
