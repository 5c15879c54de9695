import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { createLogLineReader, isMalformed, type MalformedLine } from '../core/stats/access-log.ts';
import type { LogTally } from '../core/stats/log-tally.ts';

/** What reading one log file came to. */
export interface LogReading {
  readonly lines: number;
  /** How many lines were not requests, and the first few of them. */
  readonly malformed: number;
  readonly examples: readonly MalformedLine[];
}

/** The dates a reading takes, e.g. to skip lines outside `--from`/`--to`. */
export interface DateRange {
  readonly from?: string;
  readonly to?: string;
}

/**
 * Streams one log file (gunzipped when its name ends .gz) a line at a time into the tally: the
 * file is never held whole, so its size does not matter. `saltOf` gives each day's salt.
 */
export async function readLog(
  name: string,
  stream: Readable,
  tally: LogTally,
  saltOf: (date: string) => Uint8Array | Promise<Uint8Array>,
  range: DateRange = {},
): Promise<LogReading> {
  const input = name.endsWith('.gz') ? stream.pipe(createGunzip()) : stream;
  stream.on('error', (error) => input.destroy(error));
  const readLine = createLogLineReader();
  const salts = new Map<string, Uint8Array>();
  const examples: MalformedLine[] = [];
  let lines = 0;
  let malformed = 0;
  for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    lines += 1;
    const read = readLine(text);
    if (read === undefined) continue;
    if (isMalformed(read)) {
      malformed += 1;
      if (examples.length < 5) examples.push(read);
      continue;
    }
    if ((range.from && read.date < range.from) || (range.to && read.date > range.to)) continue;
    let salt = salts.get(read.date);
    if (!salt) {
      salt = await saltOf(read.date);
      salts.set(read.date, salt);
    }
    tally.add(read, salt);
  }
  return { lines, malformed, examples };
}
