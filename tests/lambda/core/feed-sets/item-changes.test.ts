import { describe, expect, it } from 'vitest';
import { compareFeedItems } from '../../../../lambda/core/feed-sets/item-changes.ts';

const feed = (...items: object[]) => JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', items });
const a = { id: 'a', title: 'A', content_html: '<p>a</p>' };
const b = { id: 'b', title: 'B', content_html: '<p>b</p>' };

describe('compareFeedItems', () => {
  it.each([
    ['a new feed: every item added', undefined, feed(a, b), { added: ['a', 'b'], changed: [], removed: [] }],
    ['a removed feed: every item removed', feed(a), undefined, { added: [], changed: [], removed: ['a'] }],
    [
      'an edited item changed',
      feed(a, b),
      feed({ ...a, title: 'A2' }, b),
      { added: [], changed: ['a'], removed: [] },
    ],
    ['items compared by id, not by place', feed(a, b), feed(b, a), { added: [], changed: [], removed: [] }],
    ['one in, one out', feed(a), feed(b), { added: ['b'], changed: [], removed: ['a'] }],
    [
      'a feed that is not JSON: nothing known',
      'not json',
      feed(a),
      { added: ['a'], changed: [], removed: [] },
    ],
  ])('%s', (_name, before, after, expected) => {
    const changes = compareFeedItems(before, after);
    expect({
      added: changes.added.map((item) => item.id),
      changed: changes.changed.map((item) => item.id),
      removed: changes.removed.map((item) => item.id),
    }).toEqual(expected);
  });
});
