import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { RecordError } from './core/model.ts';
import { plan } from './core/plan.ts';
import { readSiteConfig } from './core/site-config.ts';
import { emptyState } from './core/state.ts';
import { runPublish } from './publish-run.ts';
import { createPreviewServer } from './serve.ts';
import { FsOutputStore, FsRecordStore } from './stores/fs.ts';

const usage = `Usage:
  feed-publisher publish [--content <dir>] [--out <dir>]   publish content/ into public/
  feed-publisher validate [<dir>]                          check every record in content/ (exit 1 on errors)
  feed-publisher serve [--out <dir>] [--port <n>]          serve public/ on 127.0.0.1 with CloudFront's headers`;

async function main(argv: readonly string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      content: { type: 'string', default: 'content' },
      out: { type: 'string', default: 'public' },
      port: { type: 'string', default: '8080' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, folder] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return command || values.help ? 0 : 2;
  }
  const contentRoot = resolve(folder ?? values.content);
  if (command === 'publish') return publishCommand(contentRoot, resolve(values.out));
  if (command === 'validate') return validateCommand(contentRoot);
  if (command === 'serve') return serveCommand(resolve(values.out), Number(values.port));
  console.error(`unknown command '${command}'\n${usage}`);
  return 2;
}

async function publishCommand(contentRoot: string, outRoot: string): Promise<number> {
  const result = await runPublish({
    records: new FsRecordStore(contentRoot),
    output: new FsOutputStore(outRoot),
    now: new Date(),
  });
  const { report } = result;
  for (const path of result.written) console.log(`wrote     ${outRoot}/${path}`);
  for (const path of result.unchanged) console.log(`unchanged ${outRoot}/${path}`);
  console.log(
    `${report.published} published, ${report.embargoed} embargoed, ${report.drafts} drafts, ${report.expired} expired, ${report.errors.length} record errors`,
  );
  if (report.nextChangeAt)
    console.log(`next embargo or expiry at ${report.nextChangeAt.toISOString()}: publish again then`);
  printErrors(report.errors);
  for (const key of report.keptLastGood)
    console.error(`kept:  ${key}: its last good version stays published until it is fixed`);
  return 0;
}

/** Checks every record as a first publish would (ids included) without writing anything. */
async function validateCommand(contentRoot: string): Promise<number> {
  const store = new FsRecordStore(contentRoot);
  const site = readSiteConfig(await store.readSiteConfig());
  const listing = await store.listRecords();
  const records = await store.readRecords(listing.map((entry) => entry.key));
  const { errors } = plan({ site, listing, records, previous: emptyState, now: new Date() }).report;
  printErrors(errors);
  const bad = new Set(errors.map((error) => error.key)).size;
  console.log(`${records.length} records checked, ${records.length - bad} valid, ${bad} invalid`);
  return bad > 0 ? 1 : 0;
}

function serveCommand(root: string, port: number): Promise<number> {
  const server = createPreviewServer(root);
  return new Promise((done) => {
    server.on('error', (error) => {
      console.error(`cannot serve on 127.0.0.1:${port}: ${error.message}`);
      done(1);
    });
    server.listen(port, '127.0.0.1', () =>
      console.log(`serving ${root} at http://localhost:${port}/ (Ctrl-C to stop)`),
    );
  });
}

function printErrors(errors: readonly RecordError[]): void {
  for (const error of errors) console.error(`error: ${error.key}: ${error.field}: ${error.message}`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`feed-publisher: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
