import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { FeedFile, SourceRecord } from '../core/model.ts';
import type { RecordVersion } from '../core/plan.ts';
import { contentTag, versionOf } from '../core/records/content-tag.ts';
import {
  type ExpectedVersion,
  type OutputStore,
  type RecordStore,
  type StoredText,
  StoreReadError,
  WriteConflictError,
} from './store.ts';

/** Records in a local folder: `<root>/site.json` and `<root>/articles/**`. */
export class FsRecordStore implements RecordStore {
  constructor(private readonly root: string) {}

  async readSiteConfig(): Promise<string> {
    const path = join(this.root, 'site.json');
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      throw new StoreReadError(`cannot read ${path}: ${(error as Error).message}`);
    }
  }

  /** Local files have no ETags: each is read and hashed; the bytes are kept for `readRecords`. */
  async listRecords(): Promise<RecordVersion[]> {
    const folder = join(this.root, 'articles');
    const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
    const files = entries
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
    const records = await Promise.all(
      files.map(async (path) => ({
        key: relative(this.root, path).split(sep).join('/'),
        body: new Uint8Array(await readFile(path)),
      })),
    );
    this.read = new Map(records.map((record) => [record.key, record]));
    return records.map(versionOf);
  }

  async readRecords(keys: readonly string[]): Promise<SourceRecord[]> {
    return Promise.all(
      keys.map(
        async (key) =>
          this.read.get(key) ?? {
            key,
            body: new Uint8Array(await readFile(join(this.root, ...key.split('/')))),
          },
      ),
    );
  }

  private read = new Map<string, SourceRecord>();
}

/** Published files in a local folder, e.g. `public/`. */
export class FsOutputStore implements OutputStore {
  constructor(private readonly root: string) {}

  async read(path: string): Promise<StoredText | undefined> {
    const text = await readFile(join(this.root, ...path.split('/')), 'utf8').catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      },
    );
    return text === undefined ? undefined : { text, version: contentTag(new TextEncoder().encode(text)) };
  }

  async write(file: FeedFile, expected?: ExpectedVersion): Promise<boolean> {
    const path = join(this.root, ...file.path.split('/'));
    const existing = await readFile(path, 'utf8').catch(() => undefined);
    if (expected) {
      const version = existing === undefined ? undefined : contentTag(new TextEncoder().encode(existing));
      if (version !== expected.version)
        throw new WriteConflictError(`${path} changed while this publish ran`);
    }
    if (existing === file.body) return false;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.body, 'utf8');
    return true;
  }
}
