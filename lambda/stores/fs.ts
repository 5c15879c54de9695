import { type Dirent, readdirSync, type Stats, statSync } from 'node:fs';
import { link, mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { errorMessage } from '../core/error-message.ts';
import type { FeedFile } from '../core/model.ts';
import { compareKeys } from '../core/order.ts';
import { articlePagesFolder } from '../core/render/article-address.ts';
import { contentTag } from './content-tag.ts';
import {
  type ExpectedVersion,
  type FileWrite,
  isTemplateFile,
  type OutputEntry,
  type OutputStore,
  type RecordBody,
  type RecordStore,
  type RecordVersion,
  type StateStore,
  type StoredText,
  StoreReadError,
  WriteConflictError,
} from './ports.ts';

const pageSize = 1000;

/** Folders that hold only files of their own page: an article page's, an archive period's. */
const leafFolder = new RegExp(`^(${articlePagesFolder}[^/]+|(categories/[^/]+/)?archive/[^/]+)$`);

/** Records in a local folder: `<root>/site.json` and `<root>/articles/**`. */
export class FsRecordStore implements RecordStore {
  /**
   * Symbolic links met while listing, each named once: a record is a file inside the content
   * folder (as an object is inside a bucket), so a link, which may point anywhere, is not read.
   */
  readonly skippedLinks = new Set<string>();

  /** `templates`: the folder of the site's own templates, if it has one (beside `root` in the CLI). */
  constructor(
    private readonly root: string,
    private readonly templates?: string,
  ) {}

  async readTemplates(): Promise<Record<string, string>> {
    if (this.templates === undefined) return {};
    const folder = this.templates;
    const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw new StoreReadError(`cannot read ${folder}: ${errorMessage(error)}`);
    });
    const files = names.filter(isTemplateFile).sort();
    const texts = await Promise.all(files.map((name) => readFile(join(folder, name), 'utf8')));
    return Object.fromEntries(files.map((name, index) => [name, texts[index] ?? '']));
  }

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
  async *listRecords(startAfter?: string): AsyncIterable<readonly RecordVersion[]> {
    const onLink = (key: string) => this.skippedLinks.add(key);
    for await (const page of listFiles(this.root, 'articles', startAfter, onLink)) {
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
    if (expected.version === undefined) {
      // Created only if absent, atomically: of two creates at once (a rebuild lease, an id
      // claim) exactly one lands.
      if (!(await createExclusively(path, text))) {
        throw new WriteConflictError(`${path} changed while this publish ran`);
      }
      return contentTag(text);
    }
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

  list(prefix: string, startAfter?: string): AsyncIterable<readonly { key: string }[]> {
    return listKeyPages(this.root, prefix.replace(/\/$/, ''), startAfter);
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
    return { written, tag: fileTag(await stat(path)) };
  }

  /**
   * Every file, except that a leaf folder of the publisher's (an article page's `articles/<name>/`,
   * an archive page's `…archive/<period>/`) holding files the caller expects is looked at by a
   * stat of each of those files instead of being listed: listing tens of thousands of small
   * folders costs more than everything else a publish does. A stray file added inside such a
   * folder is not seen.
   */
  async *list(expected?: { keys(): Iterable<string> }): AsyncIterable<readonly OutputEntry[]> {
    const leaves = new Map<string, string[]>();
    for (const path of expected?.keys() ?? []) {
      const cut = path.lastIndexOf('/');
      const folder = path.slice(0, cut);
      if (!leafFolder.test(folder)) continue;
      const names = leaves.get(folder) ?? [];
      names.push(path.slice(cut + 1));
      leaves.set(folder, names);
    }
    const found: OutputEntry[] = [];
    const look = (path: string) => {
      const info = statSync(this.path(path), { throwIfNoEntry: false });
      if (info?.isFile()) found.push({ path, tag: fileTag(info) });
    };
    const walk = (folder: string) => {
      let entries: Dirent[];
      try {
        entries = readdirSync(join(this.root, folder), { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
        if (entry.isDirectory()) {
          const names = leaves.get(path);
          if (names) for (const name of names) look(`${path}/${name}`);
          else walk(path);
        } else if (entry.isFile() && !entry.name.startsWith('.') && !entry.name.endsWith('.tmp')) look(path);
      }
    };
    walk('');
    found.sort((a, b) => compareKeys(a.path, b.path));
    for (let start = 0; start < found.length; start += pageSize) yield found.slice(start, start + pageSize);
  }

  /** A folder keeps no mark of who wrote a file: never claimed, so never removed as a leftover. */
  async isOwn(): Promise<boolean> {
    return false;
  }

  async delete(path: string): Promise<boolean> {
    const full = this.path(path);
    const existed = (await readIfExists(full)) !== undefined;
    await rm(full, { force: true });
    await removeEmptyFolders(dirname(full), this.root);
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

/** Removes `folder` and its parents up to `root` while they are empty: a removed page leaves no folder. */
async function removeEmptyFolders(folder: string, root: string): Promise<void> {
  for (let current = folder; current.startsWith(`${root}${sep}`); current = dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return; // not empty, or already gone
    }
  }
}

let temporaryCount = 0;

/** Writes beside, then links into place: fails (false) when the file exists, never half written. */
async function createExclusively(path: string, text: string): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true });
  temporaryCount += 1;
  const temporary = `${path}.${process.pid}-${temporaryCount}.tmp`;
  await writeFile(temporary, text, 'utf8');
  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}

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
function fileTag(info: Stats): string {
  return `${info.size}-${info.mtimeMs}-${info.ctimeMs}`;
}

/**
 * The files under `root/folder`, keyed relative to root, in key order (UTF-8 bytes, as S3 lists),
 * after `startAfter` when given. Each folder is read whole and synchronously (one call per folder
 * instead of a promise per entry, several times faster over tens of thousands of files), but
 * only when the walk reaches it: folders whose keys all come before `startAfter` are skipped, so
 * a listing that starts part way reads only the folders it yields from.
 */
function* walkKeys(
  root: string,
  folder: string,
  startAfter?: string,
  onLink?: (key: string) => void,
): Generator<string> {
  let entries: Dirent[];
  try {
    entries = readdirSync(join(root, folder), { withFileTypes: true });
  } catch {
    return;
  }
  if (onLink)
    for (const entry of entries)
      if (entry.isSymbolicLink()) onLink(`${folder === '' ? '' : `${folder}/`}${entry.name}`);
  // A folder's keys all begin `name/`, so it sorts as that among the files beside it.
  const items = entries
    .filter((entry) =>
      entry.isDirectory()
        ? true
        : entry.isFile() && !entry.name.startsWith('.') && !entry.name.endsWith('.tmp'),
    )
    .map((entry) => `${folder === '' ? '' : `${folder}/`}${entry.name}${entry.isDirectory() ? '/' : ''}`)
    .sort(compareKeys);
  for (const item of items) {
    if (item.endsWith('/')) {
      const skipped = startAfter && compareKeys(item, startAfter) < 0 && !startAfter.startsWith(item);
      if (!skipped) yield* walkKeys(root, item.slice(0, -1), startAfter, onLink);
    } else if (!startAfter || compareKeys(item, startAfter) > 0) yield item;
  }
}

/** Up to a page of keys from a walk at a time. */
function* pagesOf(keys: Iterable<string>): Generator<string[]> {
  let page: string[] = [];
  for (const key of keys) {
    page.push(key);
    if (page.length >= pageSize) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

/** Keys only, a page at a time. */
async function* listKeyPages(
  root: string,
  folder: string,
  startAfter?: string,
): AsyncIterable<{ key: string }[]> {
  for (const page of pagesOf(walkKeys(root, folder, startAfter))) yield page.map((key) => ({ key }));
}

/** Keys with their change time, a page at a time (a file gone meanwhile is left out). */
async function* listFiles(
  root: string,
  folder: string,
  startAfter?: string,
  onLink?: (key: string) => void,
): AsyncIterable<{ key: string; changed: number }[]> {
  for (const page of pagesOf(walkKeys(root, folder, startAfter, onLink))) {
    yield page.flatMap((key) => {
      const info = statSync(join(root, key), { throwIfNoEntry: false });
      if (!info) return [];
      return [{ key, changed: Math.max(info.mtimeMs, info.ctimeMs) }];
    });
  }
}
