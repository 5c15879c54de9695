/**
 * A warm worker for bench/rebuild-steps.ts, as a Lambda container is: it runs the rebuild steps
 * its parent hands it over IPC, one at a time, and answers each step's time, its peak RSS (the
 * process's high-water mark is reset before each step, Linux `clear_refs`), and what it sent.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readSiteConfig } from '../lambda/core/site-config.ts';
import { runPublish } from '../lambda/publish/publish-run.ts';
import { runRebuildMessage } from '../lambda/publish/rebuild-job.ts';
import { FsOutputStore, FsRecordStore, FsStateStore } from '../lambda/stores/fs.ts';
import type { RebuildMessage, TaskQueue } from '../lambda/stores/ports.ts';

export interface StepRequest {
  readonly root: string;
  readonly now: string;
  /** A step from the queue; none for the publish that starts the rebuild. */
  readonly message?: RebuildMessage;
}

export interface StepFigures {
  readonly kind: string;
  readonly ms: number;
  readonly peakRssMiB: number;
  readonly sent: readonly RebuildMessage[];
}

async function peakRssMiB(): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kib === undefined ? process.resourceUsage().maxRSS / 1024 : Number(kib) / 1024;
}

function kindOf(message: RebuildMessage): string {
  return message.kind === 'rebuild-step' ? message.phase : 'list';
}

async function runStep(request: StepRequest): Promise<StepFigures> {
  const stores = {
    records: new FsRecordStore(join(request.root, 'content')),
    output: new FsOutputStore(join(request.root, 'public')),
    state: new FsStateStore(join(request.root, 'state')),
  };
  const sent: RebuildMessage[] = [];
  const queue: TaskQueue = { send: async (messages) => void sent.push(...messages) };
  const now = new Date(request.now);
  globalThis.gc?.();
  // The high-water mark starts again from what the process holds now.
  await writeFile('/proc/self/clear_refs', '5').catch(() => undefined);
  const started = performance.now();
  let kind = 'start';
  if (request.message) {
    kind = kindOf(request.message);
    const site = readSiteConfig(await stores.records.readSiteConfig());
    const finished = await runRebuildMessage({ ...stores, site, now }, queue, request.message);
    // The step that finds its phase done starts the next one (or finishes the rebuild).
    const next = sent.map(kindOf).find((sentKind) => sentKind !== kind && sentKind !== 'read');
    if (next) kind = `${kind} + start ${next}`;
    if (finished) kind = `${kind} + finish`;
  } else {
    await runPublish({ ...stores, now, clock: () => now, rebuild: true, rebuildQueue: queue });
  }
  const ms = performance.now() - started;
  return { kind, ms, peakRssMiB: await peakRssMiB(), sent };
}

process.on('message', (request: StepRequest) => {
  runStep(request).then(
    (figures) => process.send?.({ figures }),
    (error: unknown) => process.send?.({ error: String((error as Error).stack ?? error) }),
  );
});
