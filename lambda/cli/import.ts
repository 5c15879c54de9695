import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../core/error-message.ts';
import { FeedImportError, importFeed } from '../core/import/import-feed.ts';

export interface ImportOptions {
  /** A file path, or an http(s) URL. */
  readonly source: string;
  /** The folder the records are written to. */
  readonly into: string;
  readonly json: boolean;
  readonly quiet: boolean;
  /** The most a download may be, in bytes. */
  readonly maxBytes: number;
}

/** Longest a feed may take to download. */
const fetchTimeoutMs = 30_000;
/** Redirects followed before giving up, as browsers and curl -L do with fewer. */
const maxRedirects = 5;

/**
 * `import <file or URL>`: one JSON record per item of an RSS, Atom or JSON feed (or a WordPress
 * export), written into a folder; a file already there is never overwritten. Exit 0 when the
 * feed was read (problems with single items are reported, not fatal), 1 when it could not be,
 * 2 when the file does not exist.
 */
export async function importCommand(options: ImportOptions): Promise<number> {
  let text: string;
  try {
    text = await readSource(options.source, options.maxBytes);
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
    console.log(
      JSON.stringify({
        format: imported.format,
        items: imported.items,
        written,
        kept,
        problems: imported.problems,
      }),
    );
    return 0;
  }
  if (!options.quiet) for (const path of written) console.log(`wrote     ${path}`);
  for (const path of kept)
    console.error(`kept:  ${path}: a different file is already there; not overwritten`);
  for (const problem of imported.problems)
    console.error(`note:  ${problem.item}: ${problem.field}: ${problem.message}`);
  if (!options.quiet) {
    const leftOut = imported.items - imported.records.length;
    console.log(
      `${written.length} of ${imported.items} items written as records from ${options.source} (${imported.format}) into ${options.into}${
        leftOut > 0 ? `; ${leftOut} left out (see the notes)` : ''
      }${kept.length > 0 ? `; ${kept.length} already there` : ''}; ${imported.problems.length} notes`,
    );
  }
  return 0;
}

class MissingSourceError extends Error {
  override readonly name = 'MissingSourceError';
}

async function readSource(source: string, maxBytes: number): Promise<string> {
  if (/^https?:\/\//i.test(source)) return download(new URL(source), maxBytes);
  return readFile(source, 'utf8').catch(() => {
    throw new MissingSourceError(`${source} does not exist (give a feed file or an http(s) URL)`);
  });
}

/**
 * A feed over http(s), within bounds: at most `maxBytes` (told by Content-Length or counted as it
 * arrives), and at most 5 redirects, each to http(s) on a default port or the port first asked.
 */
async function download(url: URL, maxBytes: number): Promise<string> {
  const signal = AbortSignal.timeout(fetchTimeoutMs);
  let at = url;
  for (let redirects = 0; ; redirects += 1) {
    const response = await fetch(at, { redirect: 'manual', signal }).catch((error: unknown) => {
      throw new Error(`could not fetch ${at.href}: ${errorMessage(error)}`);
    });
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      if (redirects >= maxRedirects) throw new Error(`${url.href} redirects more than ${maxRedirects} times`);
      const next = new URL(location, at);
      if (next.protocol !== 'http:' && next.protocol !== 'https:')
        throw new Error(`${at.href} redirects to ${next.href}; only http(s) redirects are followed`);
      if (next.port !== '' && next.port !== url.port)
        throw new Error(
          `${at.href} redirects to port ${next.port}; only the default ports or ${url.port || 'the first'} are followed`,
        );
      at = next;
      continue;
    }
    if (!response.ok) throw new Error(`could not fetch ${at.href}: HTTP ${response.status}`);
    const tooBig = () =>
      new Error(
        `${at.href} is larger than ${maxBytes} bytes; raise the limit with --max-mb if it is really a feed`,
      );
    if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
      await response.body?.cancel();
      throw tooBig();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      if (size > maxBytes) throw tooBig();
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}
