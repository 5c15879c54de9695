import { describe, expect, it } from 'vitest';
import { checkFeedFile } from '../../../helpers/feed-checks.ts';
import { fileBody, jsonFeedItems } from '../../../helpers/published.ts';
import { makeRecord, makeSite, planRecords } from '../../../helpers/site.ts';

const records = Array.from({ length: 12 }, (_, index) =>
  makeRecord(`articles/${String(index).padStart(2, '0')}.json`, {
    title: `Story ${index}`,
    date: `2025-02-${String(index + 1).padStart(2, '0')}T00:00:00Z`,
    summary: `Summary ${index}`,
    content_text: `Long body ${index}. ${'Words words words. '.repeat(200)}`,
  }),
);

describe('feed size budget', () => {
  it('keeps every file within the budget, newest items whole, older ones as summaries', () => {
    const site = makeSite({ maxFeedBytes: 20_000 });
    const result = planRecords(records, { site });
    for (const path of ['rss.xml', 'atom.xml', 'feed.json']) {
      expect(new TextEncoder().encode(fileBody(result, path)).byteLength).toBeLessThanOrEqual(20_000);
      expect(checkFeedFile(path, fileBody(result, path))).toEqual([]);
    }
    const items = jsonFeedItems(result);
    expect(items).toHaveLength(12);
    expect(items[0]?.content_html).toContain('Long body 11.');
    expect(items.at(-1)?.content_html).toBe('<p>Summary 0</p>');
  });

  it('drops the oldest items when even summaries do not fit', () => {
    const site = makeSite({ maxFeedBytes: 3_000 });
    const result = planRecords(records, { site });
    const items = jsonFeedItems(result);
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThan(12);
    expect(items[0]?.title).toBe('Story 11');
    expect(new TextEncoder().encode(fileBody(result, 'feed.json')).byteLength).toBeLessThanOrEqual(3_000);
  });

  it('keeps everything whole when it fits', () => {
    const items = jsonFeedItems(planRecords(records));
    expect(items.every((item) => String(item.content_html).includes('Long body'))).toBe(true);
  });
});
