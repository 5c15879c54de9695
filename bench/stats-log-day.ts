/**
 * A day of CloudFront logs counted as the statistics function counts it: a generated day (about
 * 1 GB of log lines, gzip objects as CloudFront delivers them) is tallied object by object, then
 * the same day as one object (the largest single invocation), then the day's parts merged. Each
 * runs in its own process; its time and peak RSS are measured. Two populations: readers polling
 * all day (a realistic feed: repeated polls, aggregators, robots), and every request from a new
 * reader (the worst case for memory: the hashes held grow with distinct readers). Results in
 * docs/benchmarks.md.
 *
 *   npm run bench:stats                 # 1,024 MB a day, 200,000 readers
 *   npm run bench:stats -- 256 50000    # other sizes: MB of log lines, readers
 */
import { execFileSync, fork } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { type AnsweredRequest, logFileHeader, logLineOf } from '../lambda/core/stats/access-log.ts';
import { mergeDays, tallyLogObject } from '../lambda/stats/stats-run.ts';
import { FsStateStore } from '../lambda/stores/fs.ts';
import { FsLogSource } from '../lambda/stores/log-sources.ts';
import { seeded } from '../tests/helpers/seeded.ts';

const day = '2026-11-30';
const objectsPerDay = 48;
const feeds = [
  '/rss.xml',
  '/atom.xml',
  '/feed.json',
  '/categories/world/rss.xml',
  '/categories/tech/atom.xml',
];
const apps = [
  'NetNewsWire (RSS Reader; https://netnewswire.com/)',
  'Reeder/5.0 CFNetwork/1410.0.3 Darwin/22.6.0',
  'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.3.0',
  'Miniflux/2.2.3 (+https://miniflux.app)',
  'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0',
];
const aggregators = [
  'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 1520 subscribers; like FeedFetcher-Google)',
  'Mozilla/5.0 (compatible; Inoreader/1.0; +http://www.inoreader.com/feed-fetcher; 312 subscribers)',
  'NewsBlur Feed Fetcher - 87 subscribers - https://www.newsblur.com/site/1 (Mozilla/5.0)',
];
const bot = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

function addressOf(reader: number): string {
  return reader % 5 === 0
    ? `2001:db8:${(reader >>> 16).toString(16)}:${(reader & 0xffff).toString(16)}::1`
    : `10.${(reader >>> 16) & 255}.${(reader >>> 8) & 255}.${reader & 255}`;
}

type Population = 'polling' | 'distinct';

/** Writes the day as gzip log objects; answers how many lines and bytes of lines it wrote. */
async function generateDay(folder: string, megabytes: number, readers: number, population: Population) {
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  // Seeded: the same day every run.
  const next = seeded(population === 'polling' ? 1 : 2);
  const target = megabytes * 1024 * 1024;
  const perObject = target / objectsPerDay;
  let bytes = 0;
  let lines = 0;
  for (let object = 0; object < objectsPerDay; object += 1) {
    const hour = String(Math.floor(object / 2)).padStart(2, '0');
    const name = `E2EXAMPLE.${day}-${hour}.${String(object).padStart(8, '0')}.gz`;
    let written = 0;
    async function* text() {
      yield logFileHeader();
      let chunk = '';
      while (written < perObject) {
        const pick = next();
        const seconds = Math.floor(((object + next()) / objectsPerDay) * 86_400);
        const reader = population === 'distinct' ? lines : Math.floor(next() * readers);
        const userAgent =
          pick < 0.05
            ? (aggregators[reader % 3] as string)
            : pick < 0.08
              ? bot
              : (apps[reader % 5] as string);
        const notModified = next() < 0.7;
        const request: AnsweredRequest = {
          time: new Date(Date.parse(`${day}T00:00:00Z`) + seconds * 1000),
          ip: addressOf(reader),
          method: 'GET',
          host: 'd111111abcdef8.cloudfront.net',
          path: feeds[reader % feeds.length] as string,
          query: '',
          status: notModified ? 304 : 200,
          bytes: notModified ? 310 : 48_213,
          userAgent,
          referer: '',
          seconds: 0.002,
          contentType: notModified ? '' : 'application/rss+xml',
        };
        const line = `${logLineOf(request)}\n`;
        chunk += line;
        written += line.length;
        lines += 1;
        if (chunk.length > 1 << 20) {
          yield chunk;
          chunk = '';
        }
      }
      yield chunk;
    }
    await pipeline(text, createGzip(), createWriteStream(join(folder, name)));
    bytes += written;
  }
  return { lines, bytes };
}

interface Figures {
  readonly ms: number;
  readonly peakRssMiB: number;
}

async function peakRssMiB(): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kib === undefined ? process.resourceUsage().maxRSS / 1024 : Number(kib) / 1024;
}

/** In a child: one job (tally one object, or merge), measured on its own. */
async function runJob(job: { kind: 'tally' | 'merge'; logs: string; state: string; key?: string }) {
  const state = new FsStateStore(job.state);
  globalThis.gc?.();
  await writeFile('/proc/self/clear_refs', '5').catch(() => undefined);
  const started = performance.now();
  if (job.kind === 'tally')
    await tallyLogObject(
      { state, logs: new FsLogSource(job.logs), random: () => new Uint8Array(32).fill(7) },
      job.key as string,
    );
  else await mergeDays({ state }, new Date(`${day}T12:00:00Z`));
  const figures: Figures = { ms: performance.now() - started, peakRssMiB: await peakRssMiB() };
  process.send?.(figures);
}

function inChild(job: Parameters<typeof runJob>[0]): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const child = fork('bench/stats-log-day.ts', ['--job', JSON.stringify(job)], {
      execArgv: ['--import', 'tsx', '--expose-gc'],
    });
    child.once('message', (figures: Figures) => resolve(figures));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`job exited ${code}`))));
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function measure(megabytes: number, readers: number, population: Population): Promise<string[]> {
  const root = join(tmpdir(), 'feed-bench-stats');
  const split = join(root, 'split');
  const whole = join(root, 'whole');
  const { lines, bytes } = await generateDay(split, megabytes, readers, population);
  const names = (await readdir(split)).sort();
  let gzipBytes = 0;
  for (const name of names) gzipBytes += (await stat(join(split, name))).size;
  // The same day as one object: concatenated gzip members are one valid gzip stream.
  await mkdir(whole, { recursive: true });
  execFileSync('sh', ['-c', `cat ${split}/*.gz > ${whole}/E2EXAMPLE.${day}-00.whole.gz`]);
  const state = join(root, 'state');
  await rm(state, { recursive: true, force: true });
  const tallies: Figures[] = [];
  for (const key of names) tallies.push(await inChild({ kind: 'tally', logs: split, state, key }));
  const merge = await inChild({ kind: 'merge', logs: split, state });
  await rm(state, { recursive: true, force: true });
  const wholeTally = await inChild({
    kind: 'tally',
    logs: whole,
    state,
    key: `E2EXAMPLE.${day}-00.whole.gz`,
  });
  await rm(root, { recursive: true, force: true });
  const label =
    population === 'polling'
      ? `${readers.toLocaleString('en')} readers polling`
      : 'every request a new reader';
  const mib = (value: number) => value.toFixed(0);
  const s = (value: number) => (value / 1000).toFixed(1);
  const head = `${label}: ${lines.toLocaleString('en')} lines, ${mib(bytes / 2 ** 20)} MiB (${mib(gzipBytes / 2 ** 20)} MiB gzip)`;
  return [
    `| ${head} | tally one of ${names.length} objects | ${s(median(tallies.map((t) => t.ms)))} (median) | ${mib(Math.max(...tallies.map((t) => t.peakRssMiB)))} (largest) |`,
    `| ${head} | merge the day's ${names.length} parts | ${s(merge.ms)} | ${mib(merge.peakRssMiB)} |`,
    `| ${head} | tally the whole day as one object | ${s(wholeTally.ms)} | ${mib(wholeTally.peakRssMiB)} |`,
  ];
}

async function main(): Promise<void> {
  const jobAt = process.argv.indexOf('--job');
  if (jobAt >= 0) return runJob(JSON.parse(process.argv[jobAt + 1] as string));
  const [megabytes = 1024, readers = 200_000] = process.argv.slice(2).map(Number);
  const rows = [
    ...(await measure(megabytes, readers, 'polling')),
    ...(await measure(megabytes, readers, 'distinct')),
  ];
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  console.log(
    `Machine: ${machine}; ${new Date().toISOString().slice(0, 10)}. Each job in its own process; peak RSS is the process's high-water mark.\n`,
  );
  console.log('| day | job | s | peak RSS MiB |\n|---|---|---:|---:|');
  for (const row of rows) console.log(row);
}

await main();
