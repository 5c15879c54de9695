/**
 * A rebuild spread over a queue, each step in a process of its own, one after another: the
 * number of steps of each kind, the slowest, and the largest peak RSS, at each size. This is
 * what bounds a rebuild in Lambda (a step must fit the function's memory and timeout). The
 * stores are local folders, so times are lower than over S3; memory is what it is.
 * Results in docs/benchmarks.md.
 *
 *   npm run bench:rebuild                # 10,000 and 100,000 records
 *   npm run bench:rebuild -- 1000000     # other sizes (a million takes hours and ~3 GB of disk)
 */
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateContent } from './generate.ts';

const run = promisify(execFile);
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((size) => size > 0);

interface StepFigures {
  readonly kind: string;
  readonly ms: number;
  readonly peakRssMiB: number;
}

async function step(root: string, queue: string, message?: string): Promise<StepFigures> {
  const options = {
    root,
    queue,
    now: '2026-06-01T00:00:00Z',
    ...(message ? { message: JSON.parse(message) } : {}),
  };
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'bench/rebuild-step.ts', JSON.stringify(options)],
    { maxBuffer: 1 << 26 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as StepFigures;
}

async function rebuildInSteps(size: number): Promise<string[]> {
  const root = join(tmpdir(), `feed-bench-rebuild-${size}`);
  await rm(root, { recursive: true, force: true });
  await generateContent(join(root, 'content'), size);
  const queue = join(root, 'queue.jsonl');
  await writeFile(queue, '');
  const figures: StepFigures[] = [await step(root, queue)];
  // The queue file grows as steps send more; each line is taken once, in order.
  for (let taken = 0; ; ) {
    const lines = (await readFile(queue, 'utf8')).split('\n').filter(Boolean);
    if (taken >= lines.length) break;
    for (const line of lines.slice(taken)) {
      figures.push(await step(root, queue, line));
      taken += 1;
    }
  }
  await rm(root, { recursive: true, force: true });
  const kinds = [...new Set(figures.map((figure) => figure.kind))];
  return kinds.map((kind) => {
    const of = figures.filter((figure) => figure.kind === kind);
    const slowest = Math.max(...of.map((figure) => figure.ms)) / 1000;
    const largest = Math.max(...of.map((figure) => figure.peakRssMiB));
    const total = of.reduce((sum, figure) => sum + figure.ms, 0) / 1000;
    return `| ${size.toLocaleString('en')} | ${kind} | ${of.length} | ${total.toFixed(1)} | ${slowest.toFixed(2)} | ${largest.toFixed(0)} |`;
  });
}

console.log(
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}. Each step in a process of its own (tsx start included in its peak RSS, not in its time).\n`,
);
const lines = [
  '| records | step | count | total s | slowest s | largest peak RSS MiB |',
  '|---:|---|---:|---:|---:|---:|',
];
for (const size of sizes.length > 0 ? sizes : [10_000, 100_000]) lines.push(...(await rebuildInSteps(size)));
console.log(lines.join('\n'));
