import type { FeedFile } from '../core/model.ts';
import { compareKeys } from '../core/order.ts';
import { contentTag } from './content-tag.ts';
import {
  type ExpectedVersion,
  type FileWrite,
  type OutputEntry,
  type OutputStore,
  type StateStore,
  type StoredText,
  WriteConflictError,
} from './ports.ts';

/**
 * The publisher's state as a real store holds it, with every write and delete kept in memory
 * instead: a publish runs against it exactly as it would, and the store underneath is untouched.
 */
export class DryRunStateStore implements StateStore {
  private readonly changed = new Map<string, StoredText | null>();
  private counter = 0;

  constructor(private readonly under: StateStore) {}

  async read(key: string): Promise<StoredText | undefined> {
    const kept = this.changed.get(key);
    if (kept !== undefined) return kept ?? undefined;
    return this.under.read(key);
  }

  async write(key: string, text: string, expected: ExpectedVersion): Promise<string> {
    await this.expect(key, expected);
    this.counter += 1;
    const version = `dry-run-${this.counter}`;
    this.changed.set(key, { text, version });
    return version;
  }

  async delete(key: string, expected?: ExpectedVersion): Promise<void> {
    if (expected) await this.expect(key, expected);
    this.changed.set(key, null);
  }

  async *list(prefix: string, startAfter?: string): AsyncIterable<readonly { readonly key: string }[]> {
    const keys = new Set<string>();
    for await (const page of this.under.list(prefix, startAfter)) for (const { key } of page) keys.add(key);
    for (const [key, value] of this.changed) {
      if (!key.startsWith(prefix) || (startAfter !== undefined && compareKeys(key, startAfter) <= 0))
        continue;
      if (value === null) keys.delete(key);
      else keys.add(key);
    }
    yield [...keys].sort(compareKeys).map((key) => ({ key }));
  }

  private async expect(key: string, expected: ExpectedVersion): Promise<void> {
    const current = await this.read(key);
    if (current?.version !== expected.version) throw new WriteConflictError(`${key} changed meanwhile`);
  }
}

/** What a dry run would have done to one published file, with the text before and after. */
export interface FileChange {
  readonly path: string;
  readonly change: 'added' | 'changed' | 'removed';
  readonly before?: string;
  readonly after?: string;
}

/**
 * Published files as a real output holds them, with writes and removals kept in memory and
 * compared with what is there: `changes()` says which files a publish would add, change or remove.
 */
export class DryRunOutputStore implements OutputStore {
  private readonly files = new Map<string, string | null>();

  constructor(private readonly under: OutputStore) {}

  async read(path: string): Promise<StoredText | undefined> {
    const kept = this.files.get(path);
    if (kept === null) return undefined;
    if (kept !== undefined) return { text: kept, version: contentTag(kept) };
    return this.under.read(path);
  }

  async write(file: FeedFile): Promise<FileWrite> {
    const current = await this.read(file.path);
    this.files.set(file.path, file.body);
    return { written: current?.text !== file.body, tag: contentTag(file.body) };
  }

  async *list(expected?: { keys(): Iterable<string> }): AsyncIterable<readonly OutputEntry[]> {
    const entries = new Map<string, string>();
    for await (const page of this.under.list(expected))
      for (const entry of page) entries.set(entry.path, entry.tag);
    for (const [path, body] of this.files) {
      if (body === null) entries.delete(path);
      else entries.set(path, contentTag(body));
    }
    yield [...entries].sort(([a], [b]) => compareKeys(a, b)).map(([path, tag]) => ({ path, tag }));
  }

  isOwn(path: string): Promise<boolean> {
    return this.under.isOwn(path);
  }

  async delete(path: string): Promise<boolean> {
    const existed = (await this.read(path)) !== undefined;
    this.files.set(path, null);
    return existed;
  }

  /** Every file whose bytes would differ from the real output's, in path order. */
  async changes(): Promise<FileChange[]> {
    const found: FileChange[] = [];
    for (const path of [...this.files.keys()].sort(compareKeys)) {
      const after = this.files.get(path) ?? undefined;
      const before = (await this.under.read(path))?.text;
      if (before === after) continue;
      const change = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
      found.push({
        path,
        change,
        ...(before === undefined ? {} : { before }),
        ...(after === undefined ? {} : { after }),
      });
    }
    return found;
  }
}
