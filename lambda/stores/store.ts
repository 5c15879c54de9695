import type { FeedFile, SourceRecord } from '../core/model.ts';
import type { RecordVersion } from '../core/plan.ts';

/** Where site.json and the article records are read from. */
export interface RecordStore {
  /** The text of site.json. */
  readSiteConfig(): Promise<string>;
  /** Every record under the articles folder/prefix, keyed relative to the content root (`articles/x.json`). */
  listRecords(): Promise<RecordVersion[]>;
  /** The bytes of the records named. */
  readRecords(keys: readonly string[]): Promise<SourceRecord[]>;
}

export interface StoredText {
  readonly text: string;
  /** Changes whenever the bytes do (the S3 ETag). */
  readonly version: string;
}

/**
 * Write only if the file is still at `version` (undefined: still absent), as read at the start of
 * the run; otherwise WriteConflictError. Without it, a write replaces whatever version it finds.
 */
export interface ExpectedVersion {
  readonly version: string | undefined;
}

/** Where published files and the publisher's own state are written. */
export interface OutputStore {
  /** The text at `path` under the output root with its version, or undefined when there is none. */
  read(path: string): Promise<StoredText | undefined>;
  /** Writes `file` unless the stored bytes are already identical; true when it wrote. */
  write(file: FeedFile, expected?: ExpectedVersion): Promise<boolean>;
}

export class StoreReadError extends Error {
  override readonly name = 'StoreReadError';
}

/** Another publish wrote the same file first; the run starts over from fresh state. */
export class WriteConflictError extends Error {
  override readonly name = 'WriteConflictError';
}
