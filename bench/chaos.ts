/**
 * The operator's worst day, in full: 500 uploads, 50 edits and 50 deletes at random moments,
 * handled by the real handler in two environments at once over an S3-compatible server that
 * injects faults into about one request in ten (503 SlowDown, 500, connections reset before or
 * after the server carried the request out, latency), with a storm from halfway through in which
 * every request fails until ten messages are dead-lettered; once the faults stop the dead-letter
 * queue is redriven. Prints what was injected, what the queue
 * saw, and what the published files hold against the invariants; exits 1 when one is broken.
 *
 *   npm run chaos            (CHAOS_SEED, CHAOS_UPLOADS, CHAOS_FAULT_RATE change the run)
 */
import { cpus } from 'node:os';
import { runChaos } from '../tests/helpers/chaos.ts';

const number = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${name} must be a number, not ${process.env[name]}`);
  return value;
};
const uploads = number('CHAOS_UPLOADS', 500);
const options = {
  seed: number('CHAOS_SEED', 20261128),
  uploads,
  edits: Math.round(uploads / 10),
  deletes: Math.round(uploads / 10),
  faultRate: number('CHAOS_FAULT_RATE', 0.1),
  storm: { deadLetters: 10 },
  lostDeleteRate: 0.2,
  operatorDeletes: 20,
};
const figures = await runChaos(options);
const rows: [string, string | number][] = [
  ['date', new Date().toISOString().slice(0, 10)],
  ['machine', `${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}`],
  ['seed', options.seed],
  [
    'operations (uploads + edits + deletes)',
    `${figures.operations} (${options.uploads} + ${options.edits} + ${options.deletes})`,
  ],
  ['requests to S3', figures.requests],
  [
    'fault rate (storm)',
    `${options.faultRate} (1 until ${options.storm.deadLetters} messages are dead-lettered)`,
  ],
  ['faults injected', figures.faults.total],
  ['  503 / 500', figures.faults.status],
  [
    '  reset before / after the server acted',
    `${figures.faults['reset-before']} / ${figures.faults['reset-after']}`,
  ],
  ['  latency', figures.faults.delay],
  ['invocations', figures.invocations],
  ['messages failed back to the queue', figures.failedMessages],
  ['messages dead-lettered', figures.deadLettered],
  ['messages redriven once faults stopped', figures.redriven],
  ['messages left unprocessed', figures.leftInQueue],
  ['delete events never delivered', figures.lostDeletes],
  ['published files an operator deleted mid-run', figures.filesDeletedByOperator],
  ['live articles missing from the main set or their category (lost)', figures.lost],
  ['live articles in more than one page', figures.duplicated],
  ['old versions, deleted articles or left categories still published (stale)', figures.stale],
  ['broken files (during the run or at its end)', figures.broken],
  ['files unlike a from-scratch publish', figures.differing.length],
  ['seconds', figures.seconds.toFixed(1)],
];
console.log('| figure | value |\n|---|---:|');
for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
if (figures.differing.length > 0) console.log(`\ndiffering: ${figures.differing.join(', ')}`);
const broken =
  figures.lost +
  figures.duplicated +
  figures.stale +
  figures.broken +
  figures.differing.length +
  figures.leftInQueue;
process.exitCode = broken > 0 ? 1 : 0;
