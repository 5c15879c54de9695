import { compareKeys } from './order.ts';

/** One key of two listings walked side by side, with its entry on the left, the right, or both. */
export interface JoinedEntry<L, R> {
  readonly key: string;
  readonly left?: L;
  readonly right?: R;
}

/**
 * Two listings in `compareKeys` order walked side by side: each key once, a page at a time.
 * Memory holds one page of each, however long they are; entries are compared synchronously
 * within pages (an await per entry costs more than the listing at tens of thousands).
 */
export async function* joinSorted<L extends { key: string }, R extends { key: string }>(
  left: AsyncIterable<readonly L[]>,
  right: AsyncIterable<readonly R[]>,
): AsyncIterable<readonly JoinedEntry<L, R>[]> {
  const lefts = new PageCursor(left);
  const rights = new PageCursor(right);
  for (;;) {
    const [l, r] = await Promise.all([lefts.peek(), rights.peek()]);
    if (l === undefined && r === undefined) return;
    const joined: JoinedEntry<L, R>[] = [];
    // Up to the end of whichever page ends first, no await is needed.
    for (;;) {
      const a = lefts.current();
      const b = rights.current();
      if ((a === undefined && !lefts.done) || (b === undefined && !rights.done)) break;
      if (a === undefined && b === undefined) break;
      const order = a === undefined ? 1 : b === undefined ? -1 : compareKeys(a.key, b.key);
      if (order < 0 && a) {
        joined.push({ key: a.key, left: a });
        lefts.advance();
      } else if (order > 0 && b) {
        joined.push({ key: b.key, right: b });
        rights.advance();
      } else if (a && b) {
        joined.push({ key: a.key, left: a, right: b });
        lefts.advance();
        rights.advance();
      }
    }
    yield joined;
  }
}

/** A position in a paged listing. */
class PageCursor<T> {
  private readonly pages: AsyncIterator<readonly T[]>;
  private page: readonly T[] = [];
  private index = 0;
  done = false;

  constructor(source: AsyncIterable<readonly T[]>) {
    this.pages = source[Symbol.asyncIterator]();
  }

  /** The entry here, reading the next page when this one is used up; undefined at the end. */
  async peek(): Promise<T | undefined> {
    while (this.index >= this.page.length && !this.done) {
      const next = await this.pages.next();
      if (next.done) this.done = true;
      else {
        this.page = next.value;
        this.index = 0;
      }
    }
    return this.page[this.index];
  }

  /** The entry here without reading on: undefined when the page is used up (or at the end). */
  current(): T | undefined {
    return this.page[this.index];
  }

  advance(): void {
    this.index += 1;
  }
}

/**
 * Runs `task` over `items` with at most `limit` at once, keeping the order of results. When a
 * task fails no further one starts, and the failure is thrown only once every task already
 * started has ended: nothing is left in flight (a frozen Lambda would finish it at some later
 * invocation, or never).
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const index = next;
      next += 1;
      try {
        results[index] = await task(items[index] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await settleAll(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Like Promise.all, but a failure is thrown only after every promise has settled. */
export async function settleAll<T>(promises: readonly Promise<T>[]): Promise<T[]> {
  const outcomes = await Promise.allSettled(promises);
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  return outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
}
