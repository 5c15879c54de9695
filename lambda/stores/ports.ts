/**
 * The ports: every store and queue the publish and the statistics use, as interfaces. The
 * adapters in this folder implement them; lambda/publish and lambda/stats see only these.
 */
import type { Readable } from 'node:stream';
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
   * only those after `startAfter` (in `compareKeys` order (core/order.ts)) when given.
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

export class StoreReadError extends Error {
  override readonly name = 'StoreReadError';
}

/** Another publish wrote the same object first; the step starts over from fresh state. */
export class WriteConflictError extends Error {
  override readonly name = 'WriteConflictError';
}

/**
 * A rebuild runs in phases, each a set of steps that may run at once: the records are listed (a
 * chain of steps, a few thousand keys each), read a chunk at a time, the id claims settled a
 * share of the ids at a time, each archive period laid out, then rendered, the article pages
 * rendered, each feed set's window and current files written (a step per set); the last step
 * writes the site state. The last step of a phase starts the next. No step holds more
 * than a chunk, a share of the claims, or one period: memory and time stay flat per step however
 * large the archive (figures in docs/benchmarks.md).
 */
export type RebuildPhase = 'read' | 'settle' | 'reduce' | 'render' | 'pages' | 'sets';

/** One step of a rebuild, as sent over a queue. */
export type RebuildMessage =
  | {
      readonly kind: 'rebuild-list';
      readonly job: string;
      /** Which step of the listing chain this is. */
      readonly n: number;
      /** The key this step lists after (the last one the step before it listed). */
      readonly after?: string;
      /** The number its first chunk gets. */
      readonly chunk: number;
    }
  | { readonly kind: 'rebuild-step'; readonly job: string; readonly phase: RebuildPhase; readonly n: number }
  /** A step of a job an earlier version started: consumed and dropped (the job is taken over). */
  | { readonly kind: 'rebuild-read' | 'rebuild-render'; readonly job: string };

/** The message kinds of rebuild steps, this version's and earlier ones' (told from S3 events). */
export const rebuildMessageKinds: readonly string[] = [
  'rebuild-list',
  'rebuild-step',
  'rebuild-read',
  'rebuild-render',
];

/** Where rebuild steps are sent: an SQS queue the same function reads, or a test's array. */
export interface TaskQueue {
  send(messages: readonly RebuildMessage[]): Promise<void>;
}

/** Where access logs are read from: a folder, or a bucket prefix CloudFront delivers to. */
export interface LogSource {
  /** Every log file's key, in name order (CloudFront names carry the hour: that is time order). */
  list(): AsyncIterable<string>;
  /** A log's bytes, gzip or plain as stored. */
  open(key: string): Promise<Readable>;
}
