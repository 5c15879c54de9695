import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type PublishRunOptions, runPublish } from '../../lambda/publish/publish-run.ts';
import { FsOutputStore, FsRecordStore, FsStateStore } from '../../lambda/stores/fs.ts';
import { fixedNow } from './site.ts';

export const testSiteJson = {
  title: 'Test Wire',
  description: 'Test feeds',
  siteUrl: 'https://www.example.com/',
  feedBaseUrl: 'https://feeds.example.com/',
  timezone: 'Europe/Moscow',
};

/**
 * A content folder, an output folder and a state folder in a temporary place, published with the
 * real local stores and the real publish run.
 */
export async function createLocalPublisher(site: object = testSiteJson) {
  const root = await mkdtemp(join(tmpdir(), 'publisher-'));
  const content = join(root, 'content');
  const out = join(root, 'public');
  const state = join(root, '.publisher');
  await mkdir(join(content, 'articles'), { recursive: true });
  await writeFile(join(content, 'site.json'), JSON.stringify(site));
  const publisher = {
    root,
    content,
    out,
    state,
    async write(key: string, record: string | object) {
      const path = join(content, ...key.split('/'));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, typeof record === 'string' ? record : JSON.stringify(record));
    },
    async remove(key: string) {
      await rm(join(content, ...key.split('/')), { force: true });
    },
    async writeSite(value: object) {
      await writeFile(join(content, 'site.json'), JSON.stringify(value));
    },
    publish(options: Partial<Pick<PublishRunOptions, 'now' | 'changes' | 'rebuild'>> = {}) {
      return runPublish({
        records: new FsRecordStore(content),
        output: new FsOutputStore(out),
        state: new FsStateStore(state),
        now: options.now ?? fixedNow,
        changes: options.changes,
        rebuild: options.rebuild,
      });
    },
    /** Every published file, by path. */
    async files(): Promise<Map<string, string>> {
      return readTree(out);
    },
    async read(path: string): Promise<string | undefined> {
      return readFile(join(out, ...path.split('/')), 'utf8').catch(() => undefined);
    },
    /** A state object's text, by its key. */
    async readState(key: string): Promise<string | undefined> {
      return readFile(join(state, ...key.split('/')), 'utf8').catch(() => undefined);
    },
    async writeState(key: string, text: string) {
      const path = join(state, ...key.split('/'));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
    },
    async copyContentFrom(folder: string) {
      await cp(folder, content, { recursive: true });
    },
    close: () => rm(root, { recursive: true, force: true }),
  };
  return publisher;
}

export type LocalPublisher = Awaited<ReturnType<typeof createLocalPublisher>>;

export async function readTree(folder: string): Promise<Map<string, string>> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  return new Map(
    await Promise.all(
      files.map(async (path) => [path.slice(folder.length + 1), await readFile(path, 'utf8')] as const),
    ),
  );
}

/** The titles of a JSON Feed, newest first. */
export function feedTitles(text: string | undefined): string[] {
  if (text === undefined) return [];
  return (JSON.parse(text) as { items: { title: string }[] }).items.map((item) => item.title);
}
