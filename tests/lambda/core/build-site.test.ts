import { describe, expect, it } from 'vitest';
import type { Build } from '../../../lambda/core/build-site.ts';
import { makeRecord, makeSite, planRecords } from '../../helpers/site.ts';

const article = (fields: object = {}) => ({
  title: 'Original title',
  date: '2025-06-01T10:00:00Z',
  content_text: 'Body.',
  ...fields,
});

type JsonFeed = { items: { id: string; title: string; date_published: string }[] };
const jsonFeed = (result: Build): JsonFeed =>
  JSON.parse(result.files.find((file) => file.path === 'feed.json')?.body ?? '{}') as JsonFeed;
const titles = (result: Build) => jsonFeed(result).items.map((item) => item.title);

describe('buildSite: stable ids', () => {
  it('turns an explicit id that is not an IRI into a valid, stable URN', () => {
    const first = planRecords([makeRecord('articles/a.json', article({ id: 'story 42' }))]);
    const again = planRecords([makeRecord('articles/b.json', article({ id: 'story 42' }))]);
    expect(jsonFeed(first).items[0]?.id).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(jsonFeed(again).items[0]?.id).toBe(jsonFeed(first).items[0]?.id);
  });

  it('lets the earlier of two records claiming one id keep it, and reports both', () => {
    const result = planRecords([
      makeRecord('articles/a-new.json', article({ id: 'tag:example.com,2025:1', title: 'New' })),
      makeRecord(
        'articles/z-old.json',
        article({ id: 'tag:example.com,2025:1', title: 'Old', date: '2025-01-01T00:00:00Z' }),
      ),
    ]);
    expect(titles(result)).toEqual(['Old']);
    expect(result.report.errors.map((error) => [error.key, error.field])).toEqual([
      ['articles/a-new.json', 'id'],
    ]);
    expect(result.report.errors[0]?.message).toContain('already belongs to articles/z-old.json');
    // The holder publishes, and is told.
    expect(result.report.warnings).toEqual([
      {
        key: 'articles/z-old.json',
        field: 'id',
        message: "id 'tag:example.com,2025:1' is also claimed by articles/a-new.json; this record keeps it",
      },
    ]);
    expect(result.state.site.invalid).toEqual({
      'articles/a-new.json': { errors: [result.report.errors[0]], keptLastGood: false },
    });
  });
});

describe('buildSite: visibility', () => {
  const records = [
    makeRecord('articles/now.json', article({ title: 'Now', date: '2025-12-31T00:00:00Z' })),
    makeRecord('articles/draft.json', article({ title: 'Draft', draft: true })),
    makeRecord('articles/embargo.json', article({ title: 'Embargoed', date: '2026-01-01T06:00:00Z' })),
    makeRecord('articles/expiring.json', article({ title: 'Expiring', expires: '2026-01-01T03:00:00Z' })),
    makeRecord('articles/expired.json', article({ title: 'Expired', expires: '2025-12-01T00:00:00Z' })),
  ];

  it('shows neither drafts, nor embargoed, nor expired articles, on any page', () => {
    const result = planRecords(records);
    expect(titles(result)).toEqual(['Now', 'Expiring']);
    for (const file of result.files) {
      for (const hidden of ['Draft', 'Embargoed', 'Expired']) expect(file.body).not.toContain(hidden);
    }
    expect(result.report).toMatchObject({ published: 2, drafts: 1, embargoed: 1, expired: 1 });
  });

  it('reports the next instant visibility changes, and changes it exactly then', () => {
    const result = planRecords(records);
    expect(result.report.nextChangeAt?.toISOString()).toBe('2026-01-01T03:00:00.000Z');
    const justBefore = planRecords(records, { now: new Date('2026-01-01T05:59:59.999Z') });
    expect(titles(justBefore)).toEqual(['Now']);
    const atEmbargo = planRecords(records, { now: new Date('2026-01-01T06:00:00.000Z') });
    expect(titles(atEmbargo)).toEqual(['Embargoed', 'Now']);
    expect(atEmbargo.report.nextChangeAt).toBeUndefined();
  });
});

describe('buildSite: dates', () => {
  const berlin = makeSite({ timezone: 'Europe/Berlin' });
  it.each([
    ['a summer wall-clock time in the site zone', '2025-07-01T12:00', '2025-07-01T10:00:00.000Z'],
    ['a winter wall-clock time in the site zone', '2025-01-15T12:00', '2025-01-15T11:00:00.000Z'],
    ['a date alone: midnight in the site zone', '2025-07-01', '2025-06-30T22:00:00.000Z'],
    ['an explicit offset, whatever the zone', '2025-07-01T12:00:00-05:00', '2025-07-01T17:00:00.000Z'],
    ['UTC', '2025-07-01T12:00:00Z', '2025-07-01T12:00:00.000Z'],
    ['a time in the hour skipped by the spring change', '2025-03-30T02:30', '2025-03-30T01:30:00.000Z'],
  ])('reads %s', (_case, date, expected) => {
    const result = planRecords([makeRecord('articles/a.json', article({ date }))], { site: berlin });
    expect(jsonFeed(result).items[0]?.date_published).toBe(expected);
  });
});
