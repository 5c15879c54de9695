/**
 * One step of a rebuild spread over a queue, in a process of its own so its peak RSS is its own:
 * the publish that starts the job (`start`), or one message of the queue. Messages the step
 * sends are appended to the queue file; the step's kind, time and peak RSS are printed as JSON.
 * Run by bench/rebuild-steps.ts.
 *
 *   node --import tsx bench/rebuild-step.ts '<json: {root, queue, now, message?}>'
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readSiteConfig } from '../lambda/core/site-config.ts';
import type { RebuildMessage, TaskQueue } from '../lambda/publish/rebuild-job.ts';
import { runRebuildMessage } from '../lambda/publish/rebuild-job.ts';
import { runPublish } from '../lambda/publish-run.ts';
import { FsOutputStore, FsRecordStore, FsStateStore } from '../lambda/stores/fs.ts';

interface StepOptions {
  readonly root: string;
  readonly queue: string;
  readonly now: string;
  readonly message?: RebuildMessage;
}

const options = JSON.parse(process.argv[2] ?? '{}') as StepOptions;
// A child starts with its parent's peak RSS (fork, then exec): reset it (Linux: VmHWM).
await writeFile('/proc/self/clear_refs', '5').catch(() => undefined);

const stores = {
  records: new FsRecordStore(join(options.root, 'content')),
  output: new FsOutputStore(join(options.root, 'public')),
  state: new FsStateStore(join(options.root, 'state')),
};
const sent = new Set<string>();
const queue: TaskQueue = {
  send: (messages) => {
    for (const message of messages) sent.add(message.kind);
    return appendFile(options.queue, messages.map((message) => `${JSON.stringify(message)}\n`).join(''));
  },
};
const now = new Date(options.now);
const clock = () => now;
const started = performance.now();
let kind: string;
if (options.message) {
  kind = options.message.kind;
  const site = readSiteConfig(await stores.records.readSiteConfig());
  const finished = await runRebuildMessage({ ...stores, site, now }, queue, options.message);
  // The read step that finds every chunk read plans (and sends the render steps).
  if (kind === 'rebuild-read' && sent.has('rebuild-render')) kind = 'rebuild-read + plan';
  if (finished) kind = `${kind} + finish`;
} else {
  kind = 'start';
  await runPublish({ ...stores, now, clock, rebuild: true, rebuildQueue: queue });
}
const ms = performance.now() - started;
const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
const peakRssMiB = kib === undefined ? process.resourceUsage().maxRSS / 1024 : Number(kib) / 1024;
console.log(JSON.stringify({ kind, ms, peakRssMiB }));
