import { describe, expect, it } from 'vitest';
import { plan, recordsToRead } from '../../../lambda/core/plan.ts';
import { versionOf } from '../../../lambda/core/records/content-tag.ts';
import { checkFeedFile } from '../../helpers/feed-checks.ts';
import { fileBody } from '../../helpers/published.ts';
import { fixedNow, makeRecord, makeSite, planRecords } from '../../helpers/site.ts';

const site = makeSite();
const record = (name: string, fields: object) =>
  makeRecord(`articles/${name}.json`, { date: '2025-01-01T00:00:00Z', content_text: 'x', ...fields });
const good = record('good', { title: 'Good' });
const bad = record('bad', { title: 'Bad', date: 'never' });

describe('incremental publishing', () => {
  const first = planRecords([good, bad]);

  it('reads only new and changed records', () => {
    const changed = record('good', { title: 'Good, edited' });
    const added = record('new', { title: 'New' });
    const listing = [changed, bad, added].map(versionOf);
    expect(recordsToRead(listing, first.state, site).sort()).toEqual([
      'articles/good.json',
      'articles/new.json',
    ]);
  });

  it('reads everything again when a setting that reading depends on changes', () => {
    const listing = [good, bad].map(versionOf);
    expect(recordsToRead(listing, first.state, site)).toEqual([]);
    expect(recordsToRead(listing, first.state, makeSite({ timezone: 'Asia/Tokyo' })).sort()).toEqual([
      'articles/bad.json',
      'articles/good.json',
    ]);
  });

  it('publishes the same files from the state alone when nothing changed, reporting old problems again', () => {
    const again = plan({
      site,
      listing: [good, bad].map(versionOf),
      records: [],
      previous: first.state,
      now: fixedNow,
    });
    expect(again.files).toEqual(first.files);
    expect(again.report.errors).toEqual(first.report.errors);
    expect(again.report.errors.map((error) => error.key)).toEqual(['articles/bad.json']);
    expect(again.state).toEqual(first.state);
  });

  it('drops a record that left the listing without reading anything', () => {
    const after = plan({
      site,
      listing: [bad].map(versionOf),
      records: [],
      previous: first.state,
      now: fixedNow,
    });
    expect(fileBody(after, 'feed.json')).not.toContain('Good');
    expect(Object.keys(after.state.records)).toEqual(['articles/bad.json']);
  });

  it('refuses to guess when a changed record was not read', () => {
    const changed = record('good', { title: 'Changed' });
    expect(() =>
      plan({ site, listing: [changed].map(versionOf), records: [], previous: first.state, now: fixedNow }),
    ).toThrow(/articles\/good.json changed but its body was not read/);
  });
});

describe('incremental publishing and id claims', () => {
  it('keeps reporting two records claiming one id on later runs that read nothing new', () => {
    const older = record('older', { title: 'Older', id: 'tag:example.com,2025:1' });
    const newer = record('newer', {
      title: 'Newer',
      id: 'tag:example.com,2025:1',
      date: '2025-02-01T00:00:00Z',
    });
    const first = planRecords([older]);
    const second = planRecords([older, newer], { previous: first.state });
    const listing = [older, newer].map(versionOf);
    const toRead = new Set(recordsToRead(listing, second.state, site));
    expect([...toRead]).toEqual(['articles/newer.json']);
    const third = plan({
      site,
      listing,
      records: [older, newer].filter((candidate) => toRead.has(candidate.key)),
      previous: second.state,
      now: fixedNow,
    });
    expect(third.report.errors.map((error) => [error.key, error.field])).toEqual(
      second.report.errors.map((error) => [error.key, error.field]),
    );
    expect(third.report.errors).toHaveLength(2);
    expect(fileBody(third, 'feed.json')).toContain('Older');
    expect(fileBody(third, 'feed.json')).not.toContain('Newer');
  });
});

describe('incremental rendering', () => {
  const world = record('world', { title: 'World news', categories: ['World'] });
  const sport = record('sport', { title: 'Sport news', categories: ['Sport'], date: '2024-12-01T00:00:00Z' });
  const first = planRecords([world, sport]);
  const next = (records: ReturnType<typeof record>[], renderAll = false) =>
    plan({ site, listing: records.map(versionOf), records, previous: first.state, now: fixedNow, renderAll });
  const paths = (result: { files: readonly { path: string }[] }) =>
    result.files.map((file) => file.path).sort();

  it('renders nothing when no feed set changed', () => {
    expect(next([world, sport]).files).toEqual([]);
  });

  it('renders only the feed sets whose items changed, with the main feeds and the page', () => {
    const edited = record('sport', {
      title: 'Sport news, updated',
      categories: ['Sport'],
      date: '2024-12-01T00:00:00Z',
    });
    expect(paths(next([world, edited]))).toEqual([
      'atom.xml',
      'categories/sport/atom.xml',
      'categories/sport/feed.json',
      'categories/sport/rss.xml',
      'feed.json',
      'index.html',
      'rss.xml',
    ]);
  });

  it('renders every feed set on request, to restore files lost from the output', () => {
    expect(next([world, sport], true).files.map((file) => file.body)).toEqual(
      first.files.map((file) => file.body),
    );
  });

  it('empties the feeds of a category that lost all its articles instead of leaving them stale', () => {
    const result = next([world]);
    const sportFeed = JSON.parse(fileBody(result, 'categories/sport/feed.json')) as {
      title: string;
      items: unknown[];
    };
    expect(sportFeed).toMatchObject({ title: 'Test Wire: Sport', items: [] });
    expect(paths(result)).toContain('categories/sport/rss.xml');
    for (const file of result.files) expect(checkFeedFile(file.path, file.body)).toEqual([]);
  });
});
