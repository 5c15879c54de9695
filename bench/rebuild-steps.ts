/**
 * A rebuild spread over a queue, driven locally: warm worker processes (as Lambda containers
 * are) take the steps from a simulated queue, two at a time, and each step's time and peak RSS
 * are measured on its own. Per step kind: how many, total and slowest time, largest peak RSS.
 * This is what bounds a rebuild in Lambda: every step must fit the function's memory and
 * timeout. The stores are local folders, so times are lower than over S3; memory is what it is.
 * Results in docs/benchmarks.md.
 *
 *   npm run bench:rebuild                # 10,000 and 100,000 records
 *   npm run bench:rebuild -- 1000000     # other sizes (a million: about an hour and 10 GB of disk)
 */
import { type ChildProcess, fork } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { RebuildMessage } from '../lambda/publish/rebuild-job.ts';
import { generateContent } from './generate.ts';
import type { StepFigures, StepRequest } from './rebuild-worker.ts';

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((size) => size > 0);
const workerCount = 2;
const now = '2026-06-01T00:00:00Z';

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
  const take = (step: StepFigures) => {
    figures.push(step);
    queue.push(...step.sent);
    if (figures.length % 200 === 0) console.error(`${size}: ${figures.length} steps, ${queue.length} queued`);
  };
  const started = Date.now();
  take(await runOn(workers[0] as ChildProcess, { root, now }));
  // Each worker takes the next step as soon as it is free, as concurrent invocations would.
  await Promise.all(
    workers.map(async (worker) => {
      for (;;) {
        const message = queue.shift();
        if (message) {
          busy += 1;
          take(await runOn(worker, { root, now, message }).finally(() => (busy -= 1)));
        } else if (busy === 0) return;
        else await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }),
  );
  const wall = (Date.now() - started) / 1000;
  for (const worker of workers) worker.kill();
  await rm(root, { recursive: true, force: true });
  const kinds = [...new Set(figures.map((figure) => figure.kind))];
  return [
    ...kinds.map((kind) => {
      const of = figures.filter((figure) => figure.kind === kind);
      const slowest = Math.max(...of.map((figure) => figure.ms)) / 1000;
      const largest = Math.max(...of.map((figure) => figure.peakRssMiB));
      const total = of.reduce((sum, figure) => sum + figure.ms, 0) / 1000;
      return `| ${size.toLocaleString('en')} | ${kind} | ${of.length} | ${total.toFixed(1)} | ${slowest.toFixed(2)} | ${largest.toFixed(0)} |`;
    }),
    `| ${size.toLocaleString('en')} | **all** (${workerCount} workers, wall ${wall.toFixed(0)} s) | ${figures.length} | ${(figures.reduce((sum, figure) => sum + figure.ms, 0) / 1000) | 0} | ${(Math.max(...figures.map((figure) => figure.ms)) / 1000).toFixed(2)} | ${Math.max(...figures.map((figure) => figure.peakRssMiB)).toFixed(0)} |`,
  ];
}

console.log(
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}. ${workerCount} warm workers; each step's peak RSS measured on its own (the high-water mark is reset before it).\n`,
);
const lines = [
  '| records | step | count | total s | slowest s | largest peak RSS MiB |',
  '|---:|---|---:|---:|---:|---:|',
];
for (const size of sizes.length > 0 ? sizes : [10_000, 100_000]) lines.push(...(await rebuildInSteps(size)));
console.log(lines.join('\n'));
