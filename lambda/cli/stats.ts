import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { MalformedLine } from '../core/stats/access-log.ts';
import { type DayStats, mergeParts } from '../core/stats/day-stats.ts';
import { LogTally } from '../core/stats/log-tally.ts';
import { renderStatsPage } from '../core/stats/stats-page.ts';
import { daysBetween, statsJson, statsTable } from '../core/stats/stats-report.ts';
import { readLog } from '../stats/read-log.ts';
import { isClosed } from '../stats/stats-run.ts';
import { dateOfKey, listKeys, readDay, statsKeys } from '../stats/stats-state.ts';
import { FsLogSource, S3LogSource } from '../stores/log-sources.ts';
import type { LogSource } from '../stores/ports.ts';
import { S3StateStore } from '../stores/s3.ts';
import { createS3Client } from '../stores/s3-client.ts';
import { PlaceError, parseS3Url } from './stores.ts';

export interface StatsOptions {
  /** A folder or s3://bucket/prefix of access logs. */
  readonly logs?: string;
  /** s3://bucket[/prefix] of the publisher's state, where the statistics function keeps the days. */
  readonly bucket?: string;
  readonly from?: string;
  readonly to?: string;
  readonly json: boolean;
  /** Where to write the page with the charts. */
  readonly html?: string;
  readonly out: string;
  readonly endpoint?: string;
  readonly region?: string;
}

/** Where `serve` writes its request log: beside the output's state, never inside the output. */
export function serveLogFolder(outRoot: string): string {
  return join(dirname(resolve(outRoot)), '.publisher', 'serve-logs');
}

/** `stats`: subscribers, readers and requests per feed and day, from access logs or the stored days. */
export async function statsCommand(options: StatsOptions, now: Date): Promise<number> {
  for (const [name, value] of [
    ['--from', options.from],
    ['--to', options.to],
  ] as const) {
    if (value !== undefined && !isDate(value))
      throw new PlaceError(`${name} must be a date YYYY-MM-DD, not '${value}'`);
  }
  if (options.from && options.to && options.from > options.to)
    throw new PlaceError(`--from ${options.from} is after --to ${options.to}`);
  if (options.logs && options.bucket) throw new PlaceError('give --logs or --bucket, not both');
  const needsS3 = options.bucket !== undefined || options.logs?.startsWith('s3://') === true;
  const client = needsS3
    ? createS3Client(options.endpoint, options.region ? { region: options.region } : {})
    : undefined;
  try {
    const days = daysBetween(
      options.bucket && client
        ? await storedDays(client, options.bucket, options)
        : await daysFromLogs(logSourceOf(options, client), now, options),
      options.from,
      options.to,
    );
    if (options.html) {
      await mkdir(dirname(resolve(options.html)), { recursive: true });
      await writeFile(options.html, renderStatsPage(days, 'Feed statistics'));
      console.error(`wrote ${options.html}: ${days.length} day${days.length === 1 ? '' : 's'}`);
    }
    if (options.json) process.stdout.write(statsJson(days));
    else if (!options.html) process.stdout.write(statsTable(days));
    return 0;
  } finally {
    client?.destroy();
  }
}

function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

function logSourceOf(
  options: StatsOptions,
  client: ReturnType<typeof createS3Client> | undefined,
): LogSource {
  const location = options.logs ? parseS3Url(options.logs) : undefined;
  if (location && client) return new S3LogSource(client, location);
  const folder = resolve(options.logs ?? serveLogFolder(options.out));
  if (!existsSync(folder)) {
    throw new PlaceError(
      options.logs
        ? `${folder} does not exist`
        : `no request log at ${folder}: "feed-publisher serve" writes one there, or give --logs <dir|s3://bucket/prefix>`,
    );
  }
  return new FsLogSource(folder);
}

/**
 * Every log read and counted here: each day's salt is made in memory for this run and never
 * written anywhere.
 */
async function daysFromLogs(
  source: LogSource,
  now: Date,
  range: { from?: string; to?: string },
): Promise<DayStats[]> {
  const tally = new LogTally();
  const salts = new Map<string, Uint8Array>();
  const saltOf = (date: string) => {
    const salt = salts.get(date) ?? randomBytes(32);
    salts.set(date, salt);
    return salt;
  };
  const skipped: { key: string; line: MalformedLine }[] = [];
  let malformed = 0;
  for await (const key of source.list()) {
    const reading = await readLog(key, await source.open(key), tally, saltOf, range);
    malformed += reading.malformed;
    skipped.push(...reading.examples.map((line) => ({ key, line })));
  }
  if (malformed > 0) {
    console.error(`skipped ${malformed} malformed log line${malformed === 1 ? '' : 's'}:`);
    for (const { key, line } of skipped.slice(0, 5)) console.error(`  ${key}:${line.line}: ${line.problem}`);
  }
  return tally.parts().map((part) => mergeParts(part.date, [part], isClosed(part.date, now)));
}

/** The days the statistics function stored in the state bucket. */
async function storedDays(
  client: ReturnType<typeof createS3Client>,
  bucketUrl: string,
  range: { from?: string; to?: string },
): Promise<DayStats[]> {
  const location = parseS3Url(bucketUrl);
  if (!location) throw new PlaceError(`--bucket must be s3://bucket[/prefix], not '${bucketUrl}'`);
  const state = new S3StateStore(client, location);
  const dates = (await listKeys(state, statsKeys.daysPrefix))
    .map(dateOfKey)
    .filter((date): date is string => date !== undefined)
    .filter((date) => (!range.from || date >= range.from) && (!range.to || date <= range.to));
  const days: DayStats[] = [];
  for (const date of dates) {
    const found = await readDay(state, date);
    if (found) days.push(found.day);
  }
  return days;
}
