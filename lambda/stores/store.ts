import type { FeedFile } from '../core/model.ts';

/** One record as a listing shows it, without its body. */
export interface RecordVersion {
  readonly key: string;
  /** When its bytes last changed (ms since the epoch): S3 LastModified, or a file's ctime. */
  readonly lastModified: number;
  /** Its version, when the listing tells it (S3 ETag); a local folder only knows it when read. */
  readonly etag?: string;
}

/** One record's bytes and the version they are. */
export interface RecordBody {
  readonly body: Uint8Array;
  readonly etag: string;
}

/** Where site.json and the article records are read from. */
export interface RecordStore {
  /** The text of site.json. */
  readSiteConfig(): Promise<string>;
  /**
   * How far the store's change times may be from the publisher's clock: a reconcile looks again
   * at records changed this long before the last one started.
   */
  readonly clockMarginMs: number;
  /**
   * Every record under the articles folder/prefix, keyed `articles/x.json`, a page at a time;
   * only those after `startAfter` (in `compareKeys` order) when given.
   */
  listRecords(startAfter?: string): AsyncIterable<readonly RecordVersion[]>;
  /** One record's bytes, or undefined when it no longer exists. */
  readRecord(key: string): Promise<RecordBody | undefined>;
  /** The site's own templates (`templates/*.liquid`) by file name; none when it has none. */
  readTemplates(): Promise<Record<string, string>>;
}

/** A template file's name: one folder, no subfolders, so a name is also its include path. */
export function isTemplateFile(name: string): boolean {
  return /^[\w.-]+\.liquid$/.test(name);
}

export interface StoredText {
  readonly text: string;
  /** Changes whenever the bytes do (the S3 ETag). */
  readonly version: string;
}

/**
 * Write only if the object is still at `version` (undefined: still absent), as read earlier in the
 * run; otherwise WriteConflictError.
 */
export interface ExpectedVersion {
  readonly version: string | undefined;
}

/** The publisher's own state: many small objects, each written only over the version it read. */
export interface StateStore {
  read(key: string): Promise<StoredText | undefined>;
  /** Writes over the version expected; answers the new version. */
  write(key: string, text: string, expected: ExpectedVersion): Promise<string>;
  /** Deletes; with an expected version, only that version (otherwise WriteConflictError). */
  delete(key: string, expected?: ExpectedVersion): Promise<void>;
  /** Keys under a prefix, in `compareKeys` order, a page at a time; those after `startAfter` when given. */
  list(prefix: string, startAfter?: string): AsyncIterable<readonly { readonly key: string }[]>;
}

/** What a write of a published file did, and the tag the file has now. */
export interface FileWrite {
  /** False when the file already held these bytes, or a later revision's. */
  readonly written: boolean;
  /**
   * The file's tag as a listing shows it (S3 ETag; size and change time in a folder), when the
   * file now holds these bytes; undefined when a later revision's file stays.
   */
  readonly tag?: string;
}

/** A published file as a listing shows it: cheap to get for every file, without reading any. */
export interface OutputEntry {
  readonly path: string;
  readonly tag: string;
}

/** Where published files are written. */
export interface OutputStore {
  /** The text at `path` under the output root with its version, or undefined when there is none. */
  read(path: string): Promise<StoredText | undefined>;
  /**
   * Writes `file`, rendered from `revision` of its feed set's state, unless the stored file is
   * already these bytes or was rendered from a later revision.
   */
  write(file: FeedFile, revision: number): Promise<FileWrite>;
  /**
   * Every published file with its tag, a page at a time (no file is read). `expected` names the
   * files the caller knows of: a store may look at those directly instead of listing a folder.
   */
  list(expected?: { keys(): Iterable<string> }): AsyncIterable<readonly OutputEntry[]>;
  /**
   * Whether the publisher wrote the file at `path` (S3: it carries a revision in its metadata);
   * false when the store cannot tell (a local folder), so nothing of anyone else's is removed.
   */
  isOwn(path: string): Promise<boolean>;
  /**
   * Removes a published file unless a later revision than `revision` wrote it (no revision: in
   * any case); true when it removed one.
   */
  delete(path: string, revision?: number): Promise<boolean>;
}

/**
 * The order listings come in: by UTF-8 bytes, as S3 lists keys. Two sorted listings (records and
 * record states) are compared by walking both at once, so both must use this one order.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x === y) continue;
    // UTF-16 units order as code points (and so as UTF-8 bytes) except a surrogate, whose code
    // point is above U+FFFF, against a unit from U+E000 up.
    const xHigh = x >= 0xd800 && x <= 0xdfff;
    const yHigh = y >= 0xd800 && y <= 0xdfff;
    if (xHigh !== yHigh && (xHigh ? y >= 0xe000 : x >= 0xe000)) return xHigh ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

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

export class StoreReadError extends Error {
  override readonly name = 'StoreReadError';
}

/** Another publish wrote the same object first; the step starts over from fresh state. */
export class WriteConflictError extends Error {
  override readonly name = 'WriteConflictError';
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

/**
 * Records with their bytes and versions, read a few at a time: the ones named, or every record
 * the store lists. A record gone between listing and reading is left out. For the in-memory
 * checks (validate, the drafts preview); publishes stream instead.
 */
export async function readRecords(
  store: RecordStore,
  keys?: readonly string[],
): Promise<(RecordBody & { readonly key: string })[]> {
  const wanted: string[] = keys ? [...keys] : [];
  if (!keys) for await (const page of store.listRecords()) wanted.push(...page.map((entry) => entry.key));
  const records = await mapLimited(wanted, 32, async (key) => {
    const body = await store.readRecord(key);
    return body && { key, ...body };
  });
  return records.filter((record) => record !== undefined);
}
