import { existsSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Server } from 'node:http';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { importCommand } from './cli-import.ts';
import { buildPreview, memorySource } from './cli-preview.ts';
import { createProgress } from './cli-progress.ts';
import { type CliPlaces, type CliStores, openCliStores, PlaceError } from './cli-stores.ts';
import { watchContent } from './cli-watch.ts';
import { buildSite } from './core/build-site.ts';
import { errorMessage } from './core/error-message.ts';
import type { FeedFile, RecordError } from './core/model.ts';
import { nearestOf } from './core/records/unknown-keys.ts';
import { readSiteConfig, siteConfigWarnings } from './core/site-config.ts';
import { runPublish } from './publish-run.ts';
import { createPreviewServer } from './serve.ts';
import { FsRecordStore } from './stores/fs.ts';
import { readRecords } from './stores/store.ts';

const usages: Record<string, string> = {
  publish: `feed-publisher publish [--content <dir|s3://...>] [--out <dir> | --bucket s3://bucket[/prefix]]
                       [--state <dir|s3://...>] [--endpoint <url>] [--region <r>]
                       [--rebuild] [--strict] [--json] [--quiet]
  Publishes content/ into public/. The publisher's own state goes to .publisher/ beside public/.
    --content <dir>  the records: site.json and articles/ (default: content); or s3://bucket/prefix
    --out <dir>      where the feeds and pages go (default: public)
    --bucket <s3://bucket[/prefix]>
                     publish into an S3 bucket instead, with conditional writes as the Lambda does
    --state <dir>    where the publisher keeps its state (default: .publisher beside --out, or in
                     the current folder with --bucket); s3://bucket/prefix shares it between machines
    --endpoint <url> an S3-compatible server (MinIO, Ceph, R2) instead of AWS
    --region <r>     the S3 region (default: from the AWS configuration)
    Credentials come from the standard AWS chain (environment, profile, SSO, instance role).
    --rebuild        read and render everything again
    --strict         exit 1 when any record has an error or a warning
    --json           print the report as JSON on stdout instead of lines
    --quiet          print nothing but errors and warnings`,
  validate: `feed-publisher validate [<dir> | <file>] [--strict] [--json]
  Checks every record in content/ (or <dir>), or one record file, as a publish would; writes nothing.
    --strict         exit 1 on warnings too
    --json           print the problems as JSON on stdout`,
  import: `feed-publisher import <file | URL> [--into <dir>] [--json] [--quiet]
  Turns an RSS 2.0, RSS 1.0, Atom 1.0 or JSON Feed (or a WordPress export) into JSON records, one
  per item, keeping each item's id so subscribers do not see it again. Files already there are
  not overwritten; what could not come across is noted per item.
    --into <dir>     where the records go (default: content/articles)`,
  serve: `feed-publisher serve [--out <dir>] [--port <n>] [--content <dir>] [--state <dir>]
  Serves public/ on 127.0.0.1 with the headers CloudFront sends (default port 8080), and
  publishes content/ into it again whenever a record or site.json changes (a bad record shows its
  error; its last good version stays).
    --drafts         preview content/ with drafts and embargoed articles, built in memory with links
                     at the preview's address, rebuilt on every change; nothing is written`,
};

const usage = `Usage: feed-publisher <command> [options]

Commands:
  publish    publish content/ into public/
  validate   check records without publishing
  import     turn an existing feed into records
  serve      serve public/ locally
  help       this text; "feed-publisher <command> --help" for a command's options

Options for every command: --help, --version
Exit codes: 0 done; 1 invalid records (validate, or publish --strict) or a failure; 2 a usage mistake`;

/** A mistake in how the command was called: said in plain words, exit 2. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

const options = {
  content: { type: 'string', default: 'content' },
  out: { type: 'string', default: 'public' },
  into: { type: 'string', default: join('content', 'articles') },
  state: { type: 'string' },
  rebuild: { type: 'boolean', default: false },
  strict: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  drafts: { type: 'boolean', default: false },
  bucket: { type: 'string' },
  endpoint: { type: 'string' },
  region: { type: 'string' },
  port: { type: 'string', default: '8080' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, options });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const option = /'([^']+)'/.exec(errorMessage(error))?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const nearest = nearestOf(option.replace(/^-+/, ''), Object.keys(options));
      throw new UsageError(`unknown option ${option}${nearest ? `; did you mean --${nearest}?` : ''}`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
      throw new UsageError(`option ${option.split(' ')[0]} needs a value`);
    throw new UsageError(errorMessage(error));
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`feed-publisher: ${error.message}\n\n${usage}`);
    return 2;
  }
  const { positionals, values } = parsed;
  const [command, target] = positionals;
  if (values.version) {
    console.log(readVersion());
    return 0;
  }
  if (command === 'help' || (!command && values.help)) {
    console.log(target && usages[target] ? usages[target] : usage);
    return 0;
  }
  if (!command) {
    console.error(usage);
    return 2;
  }
  const commandUsage = usages[command];
  if (!commandUsage) {
    console.error(`feed-publisher: unknown command '${command}'\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(commandUsage);
    return 0;
  }
  const outRoot = resolve(values.out);
  if (command === 'publish') {
    let stores: CliStores;
    try {
      if (values.bucket && argv.some((arg) => arg === '--out' || arg.startsWith('--out='))) {
        throw new PlaceError('give --out or --bucket, not both');
      }
      stores = openCliStores({ ...values, content: target ?? values.content });
    } catch (error) {
      if (!(error instanceof PlaceError)) throw error;
      console.error(`feed-publisher: ${error.message}`);
      return 2;
    }
    try {
      return await publishCommand(stores, values);
    } finally {
      stores.close();
    }
  }
  if (command === 'validate') return validateCommand(resolve(target ?? values.content), values);
  if (command === 'import') {
    if (!target) {
      console.error(`feed-publisher: import needs a feed file or URL\n\n${commandUsage}`);
      return 2;
    }
    return importCommand({ source: target, into: values.into, json: values.json, quiet: values.quiet });
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port < 1 || port > 65535) {
    console.error(`feed-publisher: --port must be a number from 1 to 65535, not '${values.port}'`);
    return 2;
  }
  if (values.drafts) return previewCommand(port, resolve(target ?? values.content));
  return serveCommand(outRoot, port, { ...values, content: target ?? values.content });
}

function describeFailure(error: unknown): string {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const name = error instanceof Error ? error.name : '';
  return status ? `${name} (HTTP ${status}): ${errorMessage(error)}` : errorMessage(error);
}

function readVersion(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

interface OutputFlags {
  readonly rebuild: boolean;
  readonly strict: boolean;
  readonly json: boolean;
  readonly quiet: boolean;
}

async function publishCommand(stores: CliStores, flags: OutputFlags): Promise<number> {
  const started = performance.now();
  const outRoot = stores.outputName.replace(/\/$/, '');
  const progress = createProgress({
    tty: process.stderr.isTTY === true,
    write: (text) => {
      if (!flags.quiet && !flags.json) process.stderr.write(text);
    },
    now: () => performance.now(),
  });
  const result = await runPublish({
    ...stores,
    now: new Date(),
    rebuild: flags.rebuild,
    onProgress: progress.update,
  })
    .catch((error: unknown) => {
      // S3 says what it refused, not where: name the place.
      throw new Error(`publishing to ${stores.outputName}: ${describeFailure(error)}`);
    })
    .finally(progress.done);
  const { report } = result;
  const invalid = new Set(report.errors.map((error) => error.key)).size;
  const failed = flags.strict && (invalid > 0 || report.warnings.length > 0);
  if (flags.json) {
    console.log(
      JSON.stringify({ written: result.written, deleted: result.deleted, mode: result.mode, ...report }),
    );
    return failed ? 1 : 0;
  }
  if (!flags.quiet) {
    for (const path of result.written) console.log(`wrote     ${outRoot}/${path}`);
    for (const path of result.deleted) console.log(`removed   ${outRoot}/${path}`);
  }
  printProblems(report.errors, report.warnings);
  for (const key of report.keptLastGood)
    console.error(`kept:  ${key}: its last good version stays published until it is fixed`);
  if (!flags.quiet) {
    console.log(
      `${report.published} published, ${report.embargoed} embargoed, ${count(report.drafts, 'draft')}, ${report.expired} expired; ${count(invalid, 'record error')}, ${count(report.warnings.length, 'warning')}; took ${seconds(started)}`,
    );
    if (report.nextChangeAt)
      console.log(`next embargo or expiry at ${report.nextChangeAt.toISOString()}: publish again then`);
  }
  return failed ? 1 : 0;
}

/** "1 record error", "2 record errors". */
function count(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? '' : 's'}`;
}

function seconds(started: number): string {
  return `${((performance.now() - started) / 1000).toFixed(2)} s`;
}

/** Checks every record (or one record file) as a first publish would, ids included, without writing anything. */
async function validateCommand(target: string, flags: OutputFlags): Promise<number> {
  const file = await stat(target).catch(() => undefined);
  if (!file) {
    console.error(`feed-publisher: ${target} does not exist`);
    return 2;
  }
  // One record: the folder holding site.json above it is its content root.
  const contentRoot = file.isFile() ? findContentRoot(target) : target;
  if (!contentRoot) {
    console.error(
      `feed-publisher: no site.json above ${target}; a record is checked with its site's settings`,
    );
    return 2;
  }
  if (!file.isFile() && !(await stat(join(contentRoot, 'articles')).catch(() => undefined))) {
    console.error(
      `feed-publisher: ${contentRoot} has no articles/ folder; records go in ${join(contentRoot, 'articles')}/`,
    );
    return 2;
  }
  const store = new FsRecordStore(contentRoot);
  const siteText = await store.readSiteConfig();
  const site = readSiteConfig(siteText);
  const present = await readRecords(
    store,
    file.isFile() ? [relative(contentRoot, target).split(sep).join('/')] : undefined,
  );
  const { errors, warnings: recordWarnings } = buildSite({ site, records: present, now: new Date() }).report;
  const warnings = [...siteConfigWarnings(siteText), ...recordWarnings];
  const bad = new Set(errors.map((error) => error.key)).size;
  const failed = bad > 0 || (flags.strict && warnings.length > 0);
  if (flags.json) {
    console.log(JSON.stringify({ checked: present.length, invalid: bad, errors, warnings }));
    return failed ? 1 : 0;
  }
  printProblems(errors, warnings);
  console.log(
    `${count(present.length, 'record')} checked, ${present.length - bad} valid, ${bad} invalid; ${count(warnings.length, 'warning')}`,
  );
  return failed ? 1 : 0;
}

/** The nearest folder above `file` that holds site.json. */
function findContentRoot(file: string): string | undefined {
  for (let folder = dirname(file); ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'site.json'))) return folder;
    if (dirname(folder) === folder) return undefined;
  }
}

async function previewCommand(port: number, contentRoot: string): Promise<number> {
  if (!existsSync(join(contentRoot, 'site.json'))) {
    console.error(`feed-publisher: ${contentRoot} has no site.json to preview`);
    return 2;
  }
  const origin = `http://localhost:${port}/`;
  let current = { files: new Map<string, FeedFile>(), builtAt: new Date() };
  const build = async () => {
    try {
      const built = await buildPreview(contentRoot, origin, new Date());
      current = { files: built.files, builtAt: new Date() };
      printProblems(built.report.errors, built.report.warnings);
      console.log(`preview: ${count(built.report.published, 'article')}, drafts and embargoed ones included`);
    } catch (error) {
      console.error(`feed-publisher: ${errorMessage(error)}`);
    }
  };
  await build();
  watchContent(contentRoot, build);
  const server = createPreviewServer(
    memorySource(() => current),
    { log: (line) => console.log(line) },
  );
  return listen(
    server,
    port,
    `previewing ${contentRoot} from memory at ${origin} (nothing is written; Ctrl-C to stop)`,
  );
}

function listen(server: Server, port: number, message: string): Promise<number> {
  return new Promise((done) => {
    server.on('error', (error) => {
      console.error(`cannot serve on 127.0.0.1:${port}: ${error.message}`);
      done(1);
    });
    server.listen(port, '127.0.0.1', () => console.log(message));
  });
}

function serveCommand(root: string, port: number, places: CliPlaces & OutputFlags): Promise<number> {
  if (!existsSync(root)) {
    console.error(
      `feed-publisher: ${root} does not exist; run "npm start" to publish content/ into it first`,
    );
    return Promise.resolve(2);
  }
  const server = createPreviewServer(root, { log: (line) => console.log(line) });
  const content = resolve(places.content);
  if (existsSync(content) && !places.content.startsWith('s3://')) {
    const republish = async () => {
      const stores = openCliStores(places);
      try {
        await publishCommand(stores, { ...places, json: false });
      } catch (error) {
        console.error(`feed-publisher: ${errorMessage(error)}`);
      } finally {
        stores.close();
      }
    };
    watchContent(content, republish);
    console.log(`watching ${content}: changes are published again`);
  }
  return listen(server, port, `serving ${root} at http://localhost:${port}/ (Ctrl-C to stop)`);
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
