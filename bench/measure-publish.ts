/**
 * One publish, measured from inside: wall time, peak RSS and what it asked of its stores. Run as
 * a child of bench/publish.ts so each publish has a process (and a peak RSS) of its own.
 *
 *   node --import tsx bench/measure-publish.ts '<json options>'
 */
import { readFile, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { FeedFile } from '../lambda/core/model.ts';
import { runPublish } from '../lambda/publish/publish-run.ts';
import type { RecordTrigger } from '../lambda/publish/record-step.ts';
import { FsOutputStore, FsRecordStore, FsStateStore } from '../lambda/stores/fs.ts';
import type { ExpectedVersion, OutputStore, StateStore } from '../lambda/stores/ports.ts';
import { S3OutputStore, S3RecordStore, S3StateStore } from '../lambda/stores/s3.ts';
import { createS3Client } from '../lambda/stores/s3-client.ts';

interface Options {
  readonly store: 'fs' | 's3';
  readonly content: string;
  readonly out: string;
  readonly state: string;
  readonly endpoint?: string;
  readonly now: string;
  readonly changes?: RecordTrigger[];
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;

// A child starts with its parent's peak RSS (fork, then exec): reset it so the peak is this
// process's own (Linux: writing 5 to clear_refs resets VmHWM).
await writeFile('/proc/self/clear_refs', '5').catch(() => undefined);

async function peakRssMiB(): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const kib = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kib === undefined ? process.resourceUsage().maxRSS / 1024 : Number(kib) / 1024;
}

/** State bytes each way, whatever the store. */
const stateBytes = { read: 0, written: 0 };
function countingState(inner: StateStore): StateStore {
  return {
    async read(key) {
      const found = await inner.read(key);
      stateBytes.read += found ? Buffer.byteLength(found.text) : 0;
      return found;
    },
    write(key: string, text: string, expected: ExpectedVersion) {
      stateBytes.written += Buffer.byteLength(text);
      return inner.write(key, text, expected);
    },
    delete: (key) => inner.delete(key),
    list: (prefix) => inner.list(prefix),
  };
}
let filesWritten = 0;
function countingOutput(inner: OutputStore): OutputStore {
  return {
    read: (path) => inner.read(path),
    async write(file: FeedFile, revision: number) {
      const outcome = await inner.write(file, revision);
      if (outcome.written) filesWritten += 1;
      return outcome;
    },
    delete: (path, revision) => inner.delete(path, revision),
    list: (expected) => inner.list(expected),
    isOwn: (path) => inner.isOwn(path),
  };
}

const client =
  options.store === 's3'
    ? createS3Client(options.endpoint, {
        region: 'us-east-1',
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      })
    : undefined;
const stores = client
  ? {
      // s3rver runs on this machine: its clock is the publisher's.
      records: new S3RecordStore(client, { bucket: options.content, prefix: '' }, { clockMarginMs: 2000 }),
      output: new S3OutputStore(client, { bucket: options.out, prefix: '' }),
      state: new S3StateStore(client, { bucket: options.state, prefix: '' }),
    }
  : {
      records: new FsRecordStore(options.content),
      output: new FsOutputStore(options.out),
      state: new FsStateStore(options.state),
    };
const started = performance.now();
const result = await runPublish({
  records: stores.records,
  output: countingOutput(stores.output),
  state: countingState(stores.state),
  now: new Date(options.now),
  changes: options.changes,
});
const ms = performance.now() - started;
client?.destroy();
console.log(
  JSON.stringify({
    ms,
    peakRssMiB: await peakRssMiB(),
    mode: result.mode,
    looked: result.looked,
    published: result.report.published,
    filesWritten,
    filesDeleted: result.deleted.length,
    stateKiBRead: stateBytes.read / 1024,
    stateKiBWritten: stateBytes.written / 1024,
  }),
);
