/**
 * A rebuild spread over a queue, driven locally: warm worker processes (as Lambda containers
 * are) take the steps from a simulated queue, two at a time, and each step's time and peak RSS
 * are measured on its own. Per step kind: how many, total and slowest time, largest peak RSS.
 * This is what bounds a rebuild in Lambda: every step must fit the function's memory and
 * timeout. The stores are local folders, so times are lower than over S3; memory is what it is.
 * Results in docs/benchmarks.md.
 *
 *   npm run bench:rebuild                # 10,000 and 100,000 records
 *   npm run bench:rebuild -- 1000000     # other sizes (a million: about 90 minutes and 10 GB of disk)
 *   npm run bench:rebuild -- --table <file.jsonl>   # the table of a run's steps, even one cut short
 *
 * Each step's figures are appended to $TMPDIR/feed-bench-rebuild-<size>.jsonl as it ends.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { appendFile, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { RebuildMessage } from '../lambda/stores/ports.ts';
import { firstStory, generateContent, storyIntervalMs } from './generate.ts';
import type { StepFigures, StepRequest } from './rebuild-worker.ts';

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((size) => size > 0);
const workerCount = 2;
/**
 * The rebuild's clock: after the newest generated story (one an hour, so a million reach 2129),
 * so every record is published, none embargoed: the phases then work on all of them.
 */
function clockAfter(size: number): string {
  return new Date(
    Math.max(Date.parse('2026-06-01T00:00:00Z'), firstStory + size * storyIntervalMs),
  ).toISOString();
}

function startWorker(): ChildProcess {
  return fork('bench/rebuild-worker.ts', [], {
    execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=4096'],
  });
}

function runOn(worker: ChildProcess, request: StepRequest): Promise<StepFigures> {
  return new Promise((resolve, reject) => {
    worker.once('message', (reply: { figures?: StepFigures; error?: string }) =>
      reply.figures ? resolve(reply.figures) : reject(new Error(reply.error)),
    );
    worker.send(request);
  });
}

async function rebuildInSteps(size: number): Promise<string[]> {
  const root = join(tmpdir(), `feed-bench-rebuild-${size}`);
  await rm(root, { recursive: true, force: true });
  const generating = Date.now();
  await generateContent(join(root, 'content'), size);
  console.error(`${size}: content written in ${((Date.now() - generating) / 1000).toFixed(0)} s`);
  const workers = Array.from({ length: workerCount }, startWorker);
  const figures: StepFigures[] = [];
  const queue: RebuildMessage[] = [];
  let busy = 0;
  const log = join(tmpdir(), `feed-bench-rebuild-${size}.jsonl`);
  await rm(log, { force: true });
  const take = async (step: StepFigures) => {
    figures.push({ ...step, sent: [] });
    queue.push(...step.sent);
    await appendFile(
      log,
      `${JSON.stringify({ kind: step.kind, ms: step.ms, peakRssMiB: step.peakRssMiB })}\n`,
    );
    if (figures.length % 200 === 0) console.error(`${size}: ${figures.length} steps, ${queue.length} queued`);
  };
  const now = clockAfter(size);
  const started = Date.now();
  await take(await runOn(workers[0] as ChildProcess, { root, now }));
  // Each worker takes the next step as soon as it is free, as concurrent invocations would.
  await Promise.all(
    workers.map(async (worker) => {
      for (;;) {
        const message = queue.shift();
        if (message) {
          busy += 1;
          await take(await runOn(worker, { root, now, message }).finally(() => (busy -= 1)));
        } else if (busy === 0) return;
        else await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }),
  );
  const wall = (Date.now() - started) / 1000;
  for (const worker of workers) worker.kill();
  await rm(root, { recursive: true, force: true });
  return tableOf(size, figures, `${workerCount} workers, wall ${wall.toFixed(0)} s`);
}

function tableOf(size: number, figures: readonly Omit<StepFigures, 'sent'>[], note: string): string[] {
  const kinds = [...new Set(figures.map((figure) => figure.kind))];
  const seconds = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / 1000;
  return [
    ...kinds.map((kind) => {
      const of = figures.filter((figure) => figure.kind === kind);
      const slowest = Math.max(...of.map((figure) => figure.ms)) / 1000;
      const largest = Math.max(...of.map((figure) => figure.peakRssMiB));
      return `| ${size.toLocaleString('en')} | ${kind} | ${of.length} | ${seconds(of.map((figure) => figure.ms)).toFixed(1)} | ${slowest.toFixed(2)} | ${largest.toFixed(0)} |`;
    }),
    `| ${size.toLocaleString('en')} | **all** (${note}) | ${figures.length} | ${seconds(figures.map((figure) => figure.ms)).toFixed(0)} | ${(Math.max(...figures.map((figure) => figure.ms)) / 1000).toFixed(2)} | ${Math.max(...figures.map((figure) => figure.peakRssMiB)).toFixed(0)} |`,
  ];
}

console.log(
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}. ${workerCount} warm workers; each step's peak RSS measured on its own (the high-water mark is reset before it).\n`,
);
const lines = [
  '| records | step | count | total s | slowest s | largest peak RSS MiB |',
  '|---:|---|---:|---:|---:|---:|',
];
const tableFrom = process.argv.indexOf('--table');
if (tableFrom > 0) {
  const file = process.argv[tableFrom + 1] ?? '';
  const figures = (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Omit<StepFigures, 'sent'>);
  const size = Number(/-(\d+)\.jsonl$/.exec(file)?.[1] ?? 0);
  lines.push(...tableOf(size, figures, `from ${file}`));
} else {
  for (const size of sizes.length > 0 ? sizes : [10_000, 100_000])
    lines.push(...(await rebuildInSteps(size)));
}
console.log(lines.join('\n'));
