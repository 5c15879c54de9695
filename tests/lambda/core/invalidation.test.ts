import { describe, expect, it } from 'vitest';
import { invalidationPaths, maxInvalidationPaths } from '../../../lambda/core/invalidation.ts';

describe('invalidationPaths', () => {
  it('lists each changed file, and the root for the subscribe page', () => {
    expect(invalidationPaths(['rss.xml', 'index.html', 'categories/world/feed.json'])).toEqual([
      '/rss.xml',
      '/',
      '/index.html',
      '/categories/world/feed.json',
    ]);
  });

  it('percent-encodes non-ASCII category folders', () => {
    expect(invalidationPaths(['categories/мир/rss.xml'])).toEqual(['/categories/%D0%BC%D0%B8%D1%80/rss.xml']);
  });

  it('collapses many paths into folder wildcards', () => {
    const changed = [
      'rss.xml',
      ...Array.from({ length: maxInvalidationPaths }, (_, index) => `categories/c${index}/rss.xml`),
    ];
    expect(invalidationPaths(changed)).toEqual(['/categories/*', '/rss.xml']);
  });

  it('asks for nothing when nothing changed', () => {
    expect(invalidationPaths([])).toEqual([]);
  });
});
