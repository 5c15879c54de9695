import { mapLimited } from '../core/async-lists.ts';
import { errorMessage } from '../core/error-message.ts';
import type { FeedFile } from '../core/model.ts';
import { StateReadError } from '../core/state/codec.ts';
import { sortKeys } from '../core/state/site-state.ts';
import { stateKeys } from '../core/state/state-keys.ts';
import type { FileWrite, OutputEntry, OutputStore, StateStore, StoredText } from '../stores/ports.ts';
import { retryOnConflict } from './retry.ts';

/** What the ledger remembers of one published file: the tag a listing shows, and its revision. */
export interface LedgerEntry {
  readonly tag: string;
  readonly revision: number;
}

/** A pending change to the ledger: a file written (with its tag) or removed. */
interface LedgerChange {
  readonly tag?: string;
  readonly revision: number;
}

/** Ledger objects are written a few at a time. */
const ledgerConcurrency = 8;

/**
 * An output store that remembers what it wrote: every file written (or found already right) and
 * every file removed is noted with the tag the store answered, and `flush` records the notes in
 * the state's ledger (`output/…`). A later publish lists the output and compares each file's tag
 * with the ledger: that is how a file deleted or changed behind the publisher's back is found
 * without reading any file.
 */
export class RecordingOutput implements OutputStore {
  private readonly changes = new Map<string, LedgerChange>();

  private constructor(readonly inner: OutputStore) {}

  /** `output` itself when it already records, so a run inside a run notes everything once. */
  static over(output: OutputStore): RecordingOutput {
    return output instanceof RecordingOutput ? output : new RecordingOutput(output);
  }

  read(path: string): Promise<StoredText | undefined> {
    return this.inner.read(path);
  }

  list(expected?: { keys(): Iterable<string> }): AsyncIterable<readonly OutputEntry[]> {
    return this.inner.list(expected);
  }

  isOwn(path: string): Promise<boolean> {
    return this.inner.isOwn(path);
  }

  async write(file: FeedFile, revision: number): Promise<FileWrite> {
    const outcome = await this.inner.write(file, revision);
    if (outcome.tag !== undefined) this.note(file.path, { tag: outcome.tag, revision });
    return outcome;
  }

  async delete(path: string, revision?: number): Promise<boolean> {
    const removed = await this.inner.delete(path, revision);
    this.forget(path, revision ?? Number.MAX_SAFE_INTEGER);
    return removed;
  }

  /** The ledger drops `path` (unless a later revision wrote it): the state no longer names it. */
  forget(path: string, revision: number): void {
    this.note(path, { revision });
  }

  /** Records the notes in the ledger; each ledger object is rewritten over the version read. */
  async flush(state: StateStore): Promise<void> {
    const byObject = new Map<string, Map<string, LedgerChange>>();
    for (const [path, change] of this.changes) {
      const key = stateKeys.ledger(path);
      const group = byObject.get(key) ?? new Map<string, LedgerChange>();
      group.set(path, change);
      byObject.set(key, group);
    }
    this.changes.clear();
    await mapLimited([...byObject], ledgerConcurrency, ([key, changes]) =>
      retryOnConflict(async () => {
        const stored = await state.read(key);
        const ledger: Record<string, [string, number]> = stored ? decodeLedger(stored.text, key) : {};
        for (const [path, change] of changes) {
          const known = ledger[path];
          // Two publishes may flush in either order: the later revision's note stands.
          if (known && known[1] > change.revision) continue;
          if (change.tag === undefined) delete ledger[path];
          else ledger[path] = [change.tag, change.revision];
        }
        const text = `${JSON.stringify(sortKeys(ledger))}\n`;
        if (text === stored?.text) return;
        if (Object.keys(ledger).length === 0) {
          if (stored) await state.delete(key, { version: stored.version });
        } else await state.write(key, text, { version: stored?.version });
      }),
    );
  }

  private note(path: string, change: LedgerChange): void {
    const known = this.changes.get(path);
    if (!known || known.revision <= change.revision) this.changes.set(path, change);
  }
}

/** Every file the ledger names, with its tag and revision. */
export async function readLedger(state: StateStore): Promise<Map<string, LedgerEntry>> {
  const keys: string[] = [];
  for await (const page of state.list(stateKeys.ledgerPrefix)) keys.push(...page.map((entry) => entry.key));
  const ledger = new Map<string, LedgerEntry>();
  await mapLimited(keys, ledgerConcurrency, async (key) => {
    const stored = await state.read(key);
    if (!stored) return;
    for (const [path, [tag, revision]] of Object.entries(decodeLedger(stored.text, key))) {
      ledger.set(path, { tag, revision });
    }
  });
  return ledger;
}

function decodeLedger(text: string, where: string): Record<string, [string, number]> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StateReadError(`${where} is not valid JSON: ${errorMessage(error)}`);
  }
  const valid =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every(
      (entry) =>
        Array.isArray(entry) &&
        entry.length === 2 &&
        typeof entry[0] === 'string' &&
        Number.isSafeInteger(entry[1]),
    );
  if (!valid) throw new StateReadError(`${where} must map published paths to [tag, revision]`);
  return value as Record<string, [string, number]>;
}
