import { describe, expect, it } from 'vitest';
import {
  type DayPart,
  type FeedPart,
  mergeParts,
  namedLimit,
} from '../../../../lambda/core/stats/day-stats.ts';

const part = (feed: Partial<FeedPart>): DayPart => ({
  date: '2026-12-01',
  feeds: {
    '/rss.xml': { requests: 1, bytes: 10, notModified: 0, bots: 0, subscribers: {}, readers: {}, ...feed },
  },
});

describe('merging a day’s parts', () => {
  it('counts a reader seen in two log objects once, and keeps each aggregator’s highest report', () => {
    const day = mergeParts('2026-12-01', [
      part({ readers: { NetNewsWire: [1, 2], Reeder: [3] }, subscribers: { Feedly: 40 } }),
      part({ readers: { NetNewsWire: [2, 4] }, subscribers: { Feedly: 42, Inoreader: 3 }, notModified: 1 }),
    ]);
    expect(day.feeds['/rss.xml']).toEqual({
      requests: 2,
      bytes: 20,
      notModified: 1,
      bots: 0,
      readers: 4,
      subscribers: { Feedly: 42, Inoreader: 3 },
      apps: { NetNewsWire: 3, Reeder: 1 },
    });
  });

  it(`names at most ${namedLimit} apps and sums the rest as Other, however many are made up`, () => {
    const readers = Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`App${index}`, [index]]));
    const apps: Record<string, number> =
      mergeParts('2026-12-01', [part({ readers })]).feeds['/rss.xml']?.apps ?? {};
    expect(Object.keys(apps)).toHaveLength(namedLimit);
    expect(apps.Other).toBe(50 - (namedLimit - 1));
    expect(Object.values(apps).reduce((a, b) => a + b, 0)).toBe(50);
  });
});
