import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { errorMessage } from '../core/error-message.ts';
import type { FeedFile } from '../core/model.ts';
import { contentTag } from './content-tag.ts';
import {
  compareKeys,
  type ExpectedVersion,
  type FileWrite,
  mapLimited,
  type OutputEntry,
  type OutputStore,
  type RecordBody,
  type RecordStore,
  type RecordVersion,
  type StateStore,
  type StoredText,
  StoreReadError,
  WriteConflictError,
} from './store.ts';

/** Files open at once: far below a laptop's default limit of 256. */
const openFiles = 32;
const pageSize = 1000;

/** Records in a local folder: `<root>/site.json` and `<root>/articles/**`. */
export class FsRecordStore implements RecordStore {
  constructor(private readonly root: string) {}

  /** The same clock; file systems keep times to the second or better. */
  readonly clockMarginMs = 2000;

  async readSiteConfig(): Promise<string> {
    const path = join(this.root, 'site.json');
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      throw new StoreReadError(`cannot read ${path}: ${errorMessage(error)}`);
    }
  }

  /** Names and change times only; ctime moves on every write, even one that restores an old mtime. */
  async *listRecords(): AsyncIterable<readonly RecordVersion[]> {
    for await (const page of listFiles(this.root, 'articles')) {
      yield page.map(({ key, changed }) => ({ key, lastModified: changed }));
    }
  }

  async readRecord(key: string): Promise<RecordBody | undefined> {
    const body = await readIfExists(join(this.root, ...key.split('/')));
    return body === undefined ? undefined : { body: new Uint8Array(body), etag: contentTag(body) };
  }
}

/** The publisher's state in a local folder beside the output (`.publisher/`), never inside it. */
export class FsStateStore implements StateStore {
  constructor(private readonly root: string) {}

  async read(key: string): Promise<StoredText | undefined> {
    const body = await readIfExists(this.path(key));
    return body === undefined ? undefined : { text: body.toString('utf8'), version: contentTag(body) };
  }

  async write(key: string, text: string, expected: ExpectedVersion): Promise<string> {
    const path = this.path(key);
    const current = await readIfExists(path);
    if ((current === undefined ? undefined : contentTag(current)) !== expected.version) {
      throw new WriteConflictError(`${path} changed while this publish ran`);
    }
    await writeAtomically(path, text);
    return contentTag(text);
  }

  async delete(key: string, expected?: ExpectedVersion): Promise<void> {
    const path = this.path(key);
    if (expected) {
      const current = await readIfExists(path);
      if (current === undefined || contentTag(current) !== expected.version) {
        throw new WriteConflictError(`${path} changed while this publish ran`);
      }
    }
    await rm(path, { force: true });
  }

  async *list(prefix: string): AsyncIterable<readonly { key: string; lastModified: number }[]> {
    for await (const page of listFiles(this.root, prefix.replace(/\/$/, ''))) {
      yield page.map(({ key, changed }) => ({ key, lastModified: changed }));
    }
  }

  private path(key: string): string {
    return join(this.root, ...key.split('/'));
  }
}

/** Published files in a local folder, e.g. `public/`. */
export class FsOutputStore implements OutputStore {
  constructor(private readonly root: string) {}

  async read(path: string): Promise<StoredText | undefined> {
    const body = await readIfExists(this.path(path));
    return body === undefined ? undefined : { text: body.toString('utf8'), version: contentTag(body) };
  }

  /**
   * A local folder has one publisher at a time (the CLI): revisions are not kept, and the last
   * write wins.
   */
  async write(file: FeedFile): Promise<FileWrite> {
    const path = this.path(file.path);
    const existing = await readIfExists(path);
    const written = existing?.toString('utf8') !== file.body;
    if (written) await writeAtomically(path, file.body);
    return { written, tag: fileTag(await stat(path, { bigint: true })) };
  }

  async *list(): AsyncIterable<readonly OutputEntry[]> {
    for await (const page of listFiles(this.root, '')) {
      yield page.map(({ key, tag }) => ({ path: key, tag }));
    }
  }

  async delete(path: string): Promise<boolean> {
    const full = this.path(path);
    const existed = (await readIfExists(full)) !== undefined;
    await rm(full, { force: true });
    return existed;
  }

  private path(path: string): string {
    return join(this.root, ...path.split('/'));
  }
}

async function readIfExists(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

let temporaryCount = 0;

/** Readers never see half a file: write beside it, then rename over it. */
async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  temporaryCount += 1;
  const temporary = `${path}.${process.pid}-${temporaryCount}.tmp`;
  await writeFile(temporary, text, 'utf8');
  await rename(temporary, path);
}

/**
 * A file's tag in a listing: its size and change time to the nanosecond. Any write moves the
 * change time (ctime, which no tool can set back), so an altered file never keeps its tag.
 */
function fileTag(info: { size: bigint; mtimeNs: bigint; ctimeNs: bigint }): string {
  return `${info.size}-${info.mtimeNs}-${info.ctimeNs}`;
}

/**
 * Files under `root/folder`, keyed relative to root, in key order (UTF-8 bytes, as S3 lists),
 * stat-ed a few at a time.
 */
async function* listFiles(
  root: string,
  folder: string,
): AsyncIterable<{ key: string; changed: number; tag: string }[]> {
  const entries = await readdir(join(root, folder), { recursive: true, withFileTypes: true }).catch(() => []);
  const keys = entries
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && !entry.name.endsWith('.tmp'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort(compareKeys);
  for (let start = 0; start < keys.length; start += pageSize) {
    const batch = keys.slice(start, start + pageSize);
    yield mapLimited(batch, openFiles, async (key) => {
      const info = await stat(join(root, ...key.split('/')), { bigint: true });
      return {
        key,
        changed: Math.max(Number(info.mtimeNs), Number(info.ctimeNs)) / 1e6,
        tag: fileTag(info),
      };
    });
  }
}
