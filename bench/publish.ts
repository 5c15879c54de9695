/**
 * Publish benchmark, outside-in: the CLI's publish over a local folder, and the handler's
 * S3-event publish over a real S3-compatible server (s3rver, behind the request-counting proxy
 * the tests use), at several archive sizes. Each publish runs in a process of its own, so its
 * peak RSS is its own. Prints Markdown tables; results go in docs/benchmarks.md.
 *
 *   npm run bench                    # 1,000, 10,000 and 100,000 records (S3 up to 10,000)
 *   npm run bench -- 1000 5000       # other sizes
 *   S3_MAX=100000 npm run bench      # S3 at larger sizes too (slow: s3rver keeps every object as files)
 *   BENCH_ONLY=s3rver npm run bench  # one section ("cli edit", "local folder" or "s3rver")
 *   CLI_EDIT_SIZES=1000,20000        # the sizes of the CLI edit section
 */
import { execFile } from 'node:child_process';
import { rm, unlink, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { mapLimited } from '../lambda/core/async-lists.ts';
import { buildCli } from '../scripts/build-cli.ts';
import { startConditionalWriteProxy } from '../tests/helpers/conditional-write-proxy.ts';
import { etagOn, startS3Server } from '../tests/helpers/s3-server.ts';
import { benchSite, generateContent, recordOf } from './generate.ts';

const run = promisify(execFile);
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((size) => size > 0);
const s3Max = Number(process.env.S3_MAX ?? 10_000);
const repeats = 3;

interface Measure {
  ms: number;
  peakRssMiB: number;
  mode: string;
  looked: number;
  filesWritten: number;
  filesDeleted: number;
  stateKiBRead: number;
  stateKiBWritten: number;
  requests?: Record<string, number>;
  kibIn?: number;
  kibOut?: number;
}

async function measure(options: object): Promise<Measure> {
  const { stdout } = await run(
    process.execPath,
    [
      '--openssl-legacy-provider',
      '--import',
      'tsx',
      'bench/measure-publish.ts',
      JSON.stringify({ now: new Date().toISOString(), ...options }),
    ],
    { maxBuffer: 1 << 24 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Measure;
}

function median(values: readonly Measure[]): Measure {
  const sorted = [...values].sort((a, b) => a.ms - b.ms);
  return sorted[Math.floor(sorted.length / 2)] ?? (sorted[0] as Measure);
}

interface Scenario {
  readonly name: string;
  /** Changes the content before publish number `round`; answers the keys an S3 event would name. */
  readonly change: (round: number) => Promise<string[]>;
}

function scenarios(
  size: number,
  write: (key: string, text: string) => Promise<void>,
  remove: (key: string) => Promise<void>,
): Scenario[] {
  const newest = size - 1;
  const archived = Math.floor(size / 3);
  return [
    { name: 'no change', change: async () => [] },
    {
      name: 'edit newest',
      change: async (round) => {
        const { key, text } = recordOf(newest, round + 1);
        await write(key, text);
        return [key];
      },
    },
    {
      name: 'edit old (archived)',
      change: async (round) => {
        const { key, text } = recordOf(archived, round + 1);
        await write(key, text);
        return [key];
      },
    },
    {
      name: 'add newest',
      change: async (round) => {
        const { key, text } = recordOf(size + round);
        await write(key, text);
        return [key];
      },
    },
    {
      name: 'delete',
      change: async (round) => {
        const { key } = recordOf(size + round);
        await remove(key);
        return [key];
      },
    },
  ];
}

const row = (size: number, name: string, m: Measure) =>
  `| ${size.toLocaleString('en')} | ${name} | ${m.mode} | ${m.looked} | ${
    m.requests
      ? Object.entries(m.requests)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')
      : '–'
  } | ${m.kibIn === undefined ? '–' : `${m.kibIn.toFixed(0)} / ${m.kibOut?.toFixed(0)}`} | ${m.stateKiBRead.toFixed(0)} / ${m.stateKiBWritten.toFixed(0)} | ${m.filesWritten + m.filesDeleted} | ${(m.ms / 1000).toFixed(2)} | ${m.peakRssMiB.toFixed(0)} |`;

async function benchFolder(size: number, lines: string[]): Promise<void> {
  const root = join(tmpdir(), `feed-bench-${size}`);
  const content = join(root, 'content');
  const options = { store: 'fs', content, out: join(root, 'public'), state: join(root, '.publisher') };
  await rm(root, { recursive: true, force: true });
  await generateContent(content, size);
  lines.push(row(size, 'from scratch', await measure(options)));
  const write = (key: string, text: string) => writeFile(join(content, ...key.split('/')), text);
  const remove = (key: string) => unlink(join(content, ...key.split('/')));
  for (const scenario of scenarios(size, write, remove)) {
    const runs: Measure[] = [];
    for (let round = 0; round < repeats; round += 1) {
      await scenario.change(round);
      runs.push(await measure(options));
    }
    lines.push(row(size, scenario.name, median(runs)));
  }
  await rm(root, { recursive: true, force: true });
}

async function benchS3(size: number, lines: string[]): Promise<void> {
  const server = await startS3Server();
  const proxy = await startConditionalWriteProxy(server.endpoint, {
    currentEtag: etagOn(server.client),
  });
  try {
    for (const bucket of ['content', 'feeds', 'state']) await server.createBucket(bucket);
    const write = async (key: string, text: string) => {
      await server.client.send(new PutObjectCommand({ Bucket: 'content', Key: key, Body: text }));
    };
    const remove = async (key: string) => {
      await server.client.send(new DeleteObjectCommand({ Bucket: 'content', Key: key }));
    };
    await write('site.json', JSON.stringify(benchSite));
    await mapLimited(
      Array.from({ length: size }, (_, index) => index),
      16,
      (index) => write(recordOf(index).key, recordOf(index).text),
    );
    // Uploads within the reconcile's clock margin of the first publish would be looked at again by
    // the next reconcile; a real archive was not written seconds before its first publish.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const options = {
      store: 's3',
      endpoint: proxy.endpoint,
      content: 'content',
      out: 'feeds',
      state: 'state',
    };
    const counted = async (changes?: string[]) => {
      const before = proxy.log.length;
      const result = await measure({ ...options, changes: changes?.map((key) => ({ key })) });
      const requests: Record<string, number> = {};
      let kibIn = 0;
      let kibOut = 0;
      for (const entry of proxy.log.slice(before)) {
        const kind = entry.path.includes('list-type=2') ? 'LIST' : entry.method;
        requests[kind] = (requests[kind] ?? 0) + 1;
        kibIn += entry.bytesIn / 1024;
        kibOut += entry.bytesOut / 1024;
      }
      return { ...result, requests, kibIn, kibOut };
    };
    lines.push(row(size, 'from scratch', await counted()));
    for (const scenario of scenarios(size, write, remove)) {
      const runs: Measure[] = [];
      for (let round = 0; round < repeats; round += 1) {
        const keys = await scenario.change(round);
        runs.push(await counted(scenario.name === 'no change' ? undefined : keys));
      }
      lines.push(
        row(
          size,
          scenario.name === 'no change' ? 'reconcile, no change' : `${scenario.name} (S3 event)`,
          median(runs),
        ),
      );
    }
  } finally {
    await proxy.close();
    await server.close();
  }
}

/**
 * The CLI as a user types it, the built bin (`npm run build:cli`), process start included: CPU
 * seconds (user + system), wall time and peak RSS of a one-record edit (`publish --quiet`) at
 * each size, runs of the sizes interleaved so the machine's noise falls on all alike; and
 * `--version` for the start alone. Peak RSS needs GNU time (/usr/bin/time).
 */
async function benchCliEdit(editSizes: readonly number[]): Promise<string[]> {
  const cli = `"${process.execPath}" "${join(await buildCli(), 'cli.js')}"`;
  const timed = async (command: string) => {
    const { stderr } = await run('bash', ['-c', `/usr/bin/time -f '%U %S %e %M' ${command} > /dev/null`], {
      maxBuffer: 1 << 24,
    });
    const [user = 0, system = 0, wall = 0, kib = 0] =
      stderr.trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
    return { cpu: user + system, wall, rssMiB: kib / 1024 };
  };
  const sites = await Promise.all(
    editSizes.map(async (size) => {
      const root = join(tmpdir(), `feed-bench-cli-${size}`);
      await rm(root, { recursive: true, force: true });
      await generateContent(join(root, 'content'), size);
      const command = `${cli} publish --quiet --content "${join(root, 'content')}" --out "${join(root, 'public')}"`;
      await timed(command);
      return { size, root, command, runs: [] as { cpu: number; wall: number; rssMiB: number }[] };
    }),
  );
  const start: { cpu: number; wall: number; rssMiB: number }[] = [];
  // The same start through tsx, as `npm start` in the repository runs it, for the ratio.
  const throughTsx: { cpu: number; wall: number; rssMiB: number }[] = [];
  for (let round = 0; round < 5; round += 1) {
    start.push(await timed(`${cli} --version`));
    throughTsx.push(await timed(`"${process.execPath}" --import tsx lambda/cli/cli.ts --version`));
    for (const site of sites) {
      const { key, text } = recordOf(site.size - 1, round + 1);
      await writeFile(join(site.root, 'content', ...key.split('/')), text);
      site.runs.push(await timed(site.command));
    }
  }
  const middle = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const base = middle(sites[0]?.runs.map((r) => r.cpu) ?? []);
  const lines = [
    '| records | command | CPU s (median of 5) | wall s (median of 5) | peak RSS MiB (median of 5) | CPU against the smallest |',
    '|---:|---|---:|---:|---:|---:|',
    `| – | \`--version\` (process start), the built bin | ${middle(start.map((r) => r.cpu)).toFixed(2)} | ${middle(start.map((r) => r.wall)).toFixed(2)} | ${middle(start.map((r) => r.rssMiB)).toFixed(0)} | – |`,
    `| – | \`--version\` through tsx (the source) | ${middle(throughTsx.map((r) => r.cpu)).toFixed(2)} | ${middle(throughTsx.map((r) => r.wall)).toFixed(2)} | ${middle(throughTsx.map((r) => r.rssMiB)).toFixed(0)} | – |`,
  ];
  for (const site of sites) {
    const cpu = middle(site.runs.map((r) => r.cpu));
    lines.push(
      `| ${site.size.toLocaleString('en')} | \`publish\`, newest record edited | ${cpu.toFixed(2)} | ${middle(site.runs.map((r) => r.wall)).toFixed(2)} | ${middle(site.runs.map((r) => r.rssMiB)).toFixed(0)} | ${(cpu / base).toFixed(2)}× |`,
    );
    await rm(site.root, { recursive: true, force: true });
  }
  return lines;
}

const header = [
  '| records | publish | mode | records looked at | S3 requests | KiB in / out (proxy) | state KiB read / written | files written or removed | wall s | peak RSS MiB |',
  '|---:|---|---|---:|---|---:|---:|---:|---:|---:|',
];
console.log(
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ${new Date().toISOString().slice(0, 10)}. Medians of ${repeats} except from scratch (one run).\n`,
);
const only = process.env.BENCH_ONLY;
if (!only || 'cli edit'.includes(only)) {
  const editSizes = (process.env.CLI_EDIT_SIZES ?? '1000,20000').split(',').map(Number);
  console.log('### CLI edit: one record changed, the CLI run as a user types it (process start included)\n');
  console.log(`${(await benchCliEdit(editSizes)).join('\n')}\n`);
}
for (const [title, bench, limit] of [
  [
    'CLI publish over a local folder (a reconcile: lists, looks at what changed)',
    benchFolder,
    Number.POSITIVE_INFINITY,
  ],
  ['Handler over s3rver: S3-event publishes name the changed key; the schedule reconciles', benchS3, s3Max],
] as const) {
  if (only && !title.toLowerCase().includes(only)) continue;
  console.log(`### ${title}\n`);
  const lines = [...header];
  for (const size of sizes.length > 0 ? sizes : [1000, 10000, 100000]) {
    if (size > limit) continue;
    await bench(size, lines);
  }
  console.log(`${lines.join('\n')}\n`);
}
