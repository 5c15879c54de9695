import { describe, expect, it } from 'vitest';
import { joinSorted, mapLimited, settleAll } from '../../../lambda/core/async-lists.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapLimited', () => {
  it('keeps the order of results and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const results = await mapLimited([5, 1, 4, 2, 3], 2, async (value) => {
      running += 1;
      most = Math.max(most, running);
      await pause(value * 3);
      running -= 1;
      return value * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it('fails only once the tasks already started have ended, and starts no more after a failure', async () => {
    const ended: number[] = [];
    const started: number[] = [];
    const outcome = mapLimited([0, 1, 2, 3, 4, 5], 3, async (value) => {
      started.push(value);
      if (value === 0) throw new Error('task 0 failed');
      await pause(40);
      ended.push(value);
    });
    await expect(outcome).rejects.toThrow('task 0 failed');
    expect(started).toEqual([0, 1, 2]);
    expect(ended.sort()).toEqual([1, 2]);
  });
});

describe('settleAll', () => {
  it('throws the first failure only after every promise has settled', async () => {
    let slowDone = false;
    const slow = pause(30).then(() => {
      slowDone = true;
    });
    await expect(settleAll([Promise.reject(new Error('first')), slow])).rejects.toThrow('first');
    expect(slowDone).toBe(true);
  });
});

describe('joinSorted', () => {
  const pages = (keys: readonly string[], size: number) =>
    (async function* () {
      for (let start = 0; start < keys.length; start += size)
        yield keys.slice(start, start + size).map((key) => ({ key }));
    })();
  const join = async (left: string[], right: string[], leftSize: number, rightSize: number) => {
    const joined: string[] = [];
    for await (const page of joinSorted(pages(left, leftSize), pages(right, rightSize))) {
      for (const entry of page)
        joined.push(`${entry.left ? 'L' : '-'}${entry.right ? 'R' : '-'} ${entry.key}`);
    }
    return joined;
  };

  it.each([
    [1, 1],
    [2, 3],
    [1000, 1],
  ])('walks two sorted listings side by side, each key once, with pages of %i and %i', async (l, r) => {
    expect(await join(['a', 'b', 'd', 'e', 'z', 'é'], ['b', 'c', 'e', 'f', '😀'], l, r)).toEqual([
      'L- a',
      'LR b',
      '-R c',
      'L- d',
      'LR e',
      '-R f',
      'L- z',
      'L- é',
      '-R 😀',
    ]);
  });

  it('walks a listing beside an empty one', async () => {
    expect(await join([], ['x'], 1, 1)).toEqual(['-R x']);
    expect(await join(['x'], [], 1, 1)).toEqual(['L- x']);
    expect(await join([], [], 1, 1)).toEqual([]);
  });
});
