import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildSite, type VersionedRecord } from './core/build-site.ts';
import { errorMessage } from './core/error-message.ts';
import type { RecordError } from './core/model.ts';
import { readSiteConfig, siteConfigWarnings } from './core/site-config.ts';
import { runPublish } from './publish-run.ts';
import { createPreviewServer } from './serve.ts';
import { FsOutputStore, FsRecordStore, FsStateStore } from './stores/fs.ts';
import { mapLimited } from './stores/store.ts';

const usage = `Usage:
  feed-publisher publish [--content <dir>] [--out <dir>] [--state <dir>] [--rebuild] [--strict]
      publish content/ into public/; the publisher's own state goes to .publisher/ beside public/;
      --strict: exit 1 when any record has an error or a warning
  feed-publisher validate [<dir>] [--strict]               check every record in content/ (exit 1 on errors;
                                                           with --strict, on warnings too)
  feed-publisher serve [--out <dir>] [--port <n>]          serve public/ on 127.0.0.1 with CloudFront's headers`;

async function main(argv: readonly string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      content: { type: 'string', default: 'content' },
      out: { type: 'string', default: 'public' },
      state: { type: 'string' },
      rebuild: { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
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
  const outRoot = resolve(values.out);
  if (command === 'publish') {
    // Beside the output, never inside it: the state holds drafts and embargoed text.
    const stateRoot = resolve(values.state ?? join(dirname(outRoot), '.publisher'));
    if (`${stateRoot}/`.startsWith(`${outRoot}/`)) {
      console.error(`--state ${stateRoot} is inside --out ${outRoot}: the state would be published`);
      return 2;
    }
    return publishCommand(contentRoot, outRoot, stateRoot, values.rebuild, values.strict);
  }
  if (command === 'validate') return validateCommand(contentRoot, values.strict);
  if (command === 'serve') return serveCommand(outRoot, Number(values.port));
  console.error(`unknown command '${command}'\n${usage}`);
  return 2;
}

async function publishCommand(
  contentRoot: string,
  outRoot: string,
  stateRoot: string,
  rebuild: boolean,
  strict: boolean,
): Promise<number> {
  const started = performance.now();
  const result = await runPublish({
    records: new FsRecordStore(contentRoot),
    output: new FsOutputStore(outRoot),
    state: new FsStateStore(stateRoot),
    now: new Date(),
    rebuild,
  });
  const { report } = result;
  for (const path of result.written) console.log(`wrote     ${outRoot}/${path}`);
  for (const path of result.deleted) console.log(`removed   ${outRoot}/${path}`);
  printProblems(report.errors, report.warnings);
  for (const key of report.keptLastGood)
    console.error(`kept:  ${key}: its last good version stays published until it is fixed`);
  const invalid = new Set(report.errors.map((error) => error.key)).size;
  console.log(
    `${report.published} published, ${report.embargoed} embargoed, ${count(report.drafts, 'draft')}, ${report.expired} expired; ${count(invalid, 'record error')}, ${count(report.warnings.length, 'warning')}; took ${seconds(started)}`,
  );
  if (report.nextChangeAt)
    console.log(`next embargo or expiry at ${report.nextChangeAt.toISOString()}: publish again then`);
  return strict && (invalid > 0 || report.warnings.length > 0) ? 1 : 0;
}

/** "1 record error", "2 record errors". */
function count(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? '' : 's'}`;
}

function seconds(started: number): string {
  return `${((performance.now() - started) / 1000).toFixed(2)} s`;
}

/** Checks every record as a first publish would (ids included) without writing anything. */
async function validateCommand(contentRoot: string, strict: boolean): Promise<number> {
  const store = new FsRecordStore(contentRoot);
  const siteText = await store.readSiteConfig();
  const site = readSiteConfig(siteText);
  const keys: string[] = [];
  for await (const page of store.listRecords()) keys.push(...page.map((entry) => entry.key));
  const records = await mapLimited(keys, 32, async (key): Promise<VersionedRecord | undefined> => {
    const body = await store.readRecord(key);
    return body && { key, ...body };
  });
  const present = records.filter((record) => record !== undefined);
  const { errors, warnings: recordWarnings } = buildSite({ site, records: present, now: new Date() }).report;
  const warnings = [...siteConfigWarnings(siteText), ...recordWarnings];
  printProblems(errors, warnings);
  const bad = new Set(errors.map((error) => error.key)).size;
  console.log(
    `${count(present.length, 'record')} checked, ${present.length - bad} valid, ${bad} invalid; ${count(warnings.length, 'warning')}`,
  );
  return bad > 0 || (strict && warnings.length > 0) ? 1 : 0;
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

function printProblems(errors: readonly RecordError[], warnings: readonly RecordError[]): void {
  for (const error of errors) console.error(`error: ${error.key}: ${error.field}: ${error.message}`);
  for (const warning of warnings)
    console.error(`warning: ${warning.key}: ${warning.field}: ${warning.message}`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`feed-publisher: ${errorMessage(error)}`);
    process.exitCode = 1;
  },
);
