import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from './core/error-message.ts';
import { FeedImportError, importFeed } from './core/import/import-feed.ts';

export interface ImportOptions {
  /** A file path, or an http(s) URL. */
  readonly source: string;
  /** The folder the records are written to. */
  readonly into: string;
  readonly json: boolean;
  readonly quiet: boolean;
}

/** Longest a feed may take to download. */
const fetchTimeoutMs = 30_000;

/**
 * `import <file or URL>`: one JSON record per item of an RSS, Atom or JSON feed (or a WordPress
 * export), written into a folder; a file already there is never overwritten. Exit 0 when the
 * feed was read (problems with single items are reported, not fatal), 1 when it could not be,
 * 2 when the file does not exist.
 */
export async function importCommand(options: ImportOptions): Promise<number> {
  let text: string;
  try {
    text = await readSource(options.source);
  } catch (error) {
    console.error(`feed-publisher: ${errorMessage(error)}`);
    return error instanceof MissingSourceError ? 2 : 1;
  }
  let imported: ReturnType<typeof importFeed>;
  try {
    imported = importFeed(text);
  } catch (error) {
    if (!(error instanceof FeedImportError)) throw error;
    console.error(`feed-publisher: ${options.source}: ${error.message}`);
    return 1;
  }
  await mkdir(options.into, { recursive: true });
  const written: string[] = [];
  const kept: string[] = [];
  for (const { name, record } of imported.records) {
    const path = join(options.into, name);
    const body = `${JSON.stringify(record, null, 2)}\n`;
    const existing = await readFile(path, 'utf8').catch(() => undefined);
    if (existing !== undefined) {
      if (existing !== body) kept.push(path);
      continue;
    }
    await writeFile(path, body, { flag: 'wx' });
    written.push(path);
  }
  if (options.json) {
    console.log(JSON.stringify({ format: imported.format, written, kept, problems: imported.problems }));
    return 0;
  }
  if (!options.quiet) for (const path of written) console.log(`wrote     ${path}`);
  for (const path of kept)
    console.error(`kept:  ${path}: a different file is already there; not overwritten`);
  for (const problem of imported.problems)
    console.error(`note:  ${problem.item}: ${problem.field}: ${problem.message}`);
  if (!options.quiet) {
    console.log(
      `${written.length} of ${imported.records.length} records written from ${options.source} (${imported.format}) into ${options.into}; ${imported.problems.length} notes`,
    );
  }
  return 0;
}

class MissingSourceError extends Error {
  override readonly name = 'MissingSourceError';
}

async function readSource(source: string): Promise<string> {
  if (/^https?:\/\//i.test(source)) {
    const response = await fetch(source, { signal: AbortSignal.timeout(fetchTimeoutMs) }).catch(
      (error: unknown) => {
        throw new Error(`could not fetch ${source}: ${errorMessage(error)}`);
      },
    );
    if (!response.ok) throw new Error(`could not fetch ${source}: HTTP ${response.status}`);
    return response.text();
  }
  return readFile(source, 'utf8').catch(() => {
    throw new MissingSourceError(`${source} does not exist (give a feed file or an http(s) URL)`);
  });
}
