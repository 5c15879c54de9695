import { describe, expect, it } from 'vitest';
import type { PublishPlan } from '../../../lambda/core/plan.ts';
import { fixedNow, makeRecord, makeSite, planRecords } from '../../helpers/site.ts';

const article = (fields: object = {}) => ({
  title: 'Original title',
  date: '2025-06-01T10:00:00Z',
  content_text: 'Body.',
  ...fields,
});

type JsonFeed = { items: { id: string; title: string; date_published: string }[] };
const jsonFeed = (result: PublishPlan): JsonFeed =>
  JSON.parse(result.files.find((file) => file.path === 'feed.json')?.body ?? '{}') as JsonFeed;
const titles = (result: PublishPlan) => jsonFeed(result).items.map((item) => item.title);

describe('plan: last good versions', () => {
  it('keeps the last good version when a record turns invalid, and reports it every run', () => {
    const first = planRecords([makeRecord('articles/a.json', article())]);
    const second = planRecords(
      [makeRecord('articles/a.json', article({ title: 'Fixed?', date: '2025-02-30' }))],
      {
        previous: first.state,
      },
    );
    expect(titles(second)).toEqual(['Original title']);
    expect(second.report.errors).toEqual([
      { key: 'articles/a.json', field: 'date', message: expect.any(String) },
    ]);
    expect(second.report.keptLastGood).toEqual(['articles/a.json']);
    const third = planRecords([makeRecord('articles/a.json', '{ broken')], { previous: second.state });
    expect(titles(third)).toEqual(['Original title']);
    expect(third.report.errors).toHaveLength(1);
  });

  it('publishes the fixed version once the record is valid again', () => {
    const first = planRecords([makeRecord('articles/a.json', article())]);
    const broken = planRecords([makeRecord('articles/a.json', '{')], { previous: first.state });
    const fixed = planRecords([makeRecord('articles/a.json', article({ title: 'New title' }))], {
      previous: broken.state,
    });
    expect(titles(fixed)).toEqual(['New title']);
    expect(fixed.report.keptLastGood).toEqual([]);
  });

  it('drops a deleted record, even one that was kept at its last good version', () => {
    const first = planRecords([
      makeRecord('articles/a.json', article()),
      makeRecord('articles/b.json', article({ title: 'B' })),
    ]);
    const broken = planRecords(
      [makeRecord('articles/a.json', '{'), makeRecord('articles/b.json', article({ title: 'B' }))],
      {
        previous: first.state,
      },
    );
    const deleted = planRecords([makeRecord('articles/b.json', article({ title: 'B' }))], {
      previous: broken.state,
    });
    expect(titles(deleted)).toEqual(['B']);
    expect(Object.keys(deleted.state.articles)).toEqual(['articles/b.json']);
  });

  it('never publishes a record that was never valid', () => {
    const result = planRecords([makeRecord('articles/a.json', article({ date: 'soon' }))]);
    expect(titles(result)).toEqual([]);
    expect(result.report.keptLastGood).toEqual([]);
  });
});

describe('plan: stable ids', () => {
  it.each([
    ['the title', { title: 'A new title' }],
    ['the URL', { url: 'https://www.example.com/moved' }],
    ['the date', { date: '2025-06-02T10:00:00Z' }],
  ])('keeps the id when %s changes', (_what, change) => {
    const first = planRecords([makeRecord('articles/a.json', article())]);
    const second = planRecords([makeRecord('articles/a.json', article(change))], { previous: first.state });
    expect(jsonFeed(second).items[0]?.id).toBe(jsonFeed(first).items[0]?.id);
  });

  it('uses an explicit id, and remembers it when the field is later removed', () => {
    const first = planRecords([
      makeRecord('articles/a.json', article({ id: 'https://www.example.com/id/7' })),
    ]);
    expect(jsonFeed(first).items[0]?.id).toBe('https://www.example.com/id/7');
    const second = planRecords([makeRecord('articles/a.json', article())], { previous: first.state });
    expect(jsonFeed(second).items[0]?.id).toBe('https://www.example.com/id/7');
  });

  it('turns an explicit id that is not an IRI into a valid, stable URN', () => {
    const first = planRecords([makeRecord('articles/a.json', article({ id: 'story 42' }))]);
    const again = planRecords([makeRecord('articles/b.json', article({ id: 'story 42' }))]);
    expect(jsonFeed(first).items[0]?.id).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(jsonFeed(again).items[0]?.id).toBe(jsonFeed(first).items[0]?.id);
  });

  it('lets the older of two records claiming one id keep it, and reports both', () => {
    const first = planRecords([
      makeRecord('articles/z-old.json', article({ id: 'tag:example.com,2025:1', title: 'Old' })),
    ]);
    const second = planRecords(
      [
        makeRecord(
          'articles/a-new.json',
          article({ id: 'tag:example.com,2025:1', title: 'New', date: '2025-01-01T00:00:00Z' }),
        ),
        makeRecord('articles/z-old.json', article({ id: 'tag:example.com,2025:1', title: 'Old' })),
      ],
      { previous: first.state, now: new Date(fixedNow.getTime() + 60_000) },
    );
    expect(titles(second)).toEqual(['Old']);
    expect(second.report.errors.map((error) => [error.key, error.field])).toEqual([
      ['articles/z-old.json', 'id'],
      ['articles/a-new.json', 'id'],
    ]);
    expect(second.report.errors[1]?.message).toContain('already belongs to articles/z-old.json');
  });
});

describe('plan: visibility', () => {
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

describe('plan: dates', () => {
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

describe('plan: state', () => {
  it('is unchanged when nothing changed', () => {
    const first = planRecords([makeRecord('articles/a.json', article())]);
    const second = planRecords([makeRecord('articles/a.json', article())], {
      previous: first.state,
      now: new Date('2026-03-01T00:00:00Z'),
    });
    expect(second.state).toEqual(first.state);
  });
});
