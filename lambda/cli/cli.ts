import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage } from '../core/error-message.ts';
import { nearestOf } from '../core/nearest-name.ts';

// Each command's code is imported when that command runs, so `--version` or `help` loads
// almost nothing and the built bin starts in tens of milliseconds.

const usages: Record<string, string> = {
  init: `feed-publisher init [<dir>] [--title <t>] [--url <address>] [--language <code>]
                    [--timezone <zone>] [--yes]
  Makes a new site in <dir> (default: the current folder): content/site.json, one sample
  article and a .gitignore. Asks for what is not given when run in a terminal; --yes takes the
  defaults. Changes nothing in a folder that already has content/site.json.`,
  publish: `feed-publisher publish [--content <dir|s3://...>] [--out <dir> | --bucket s3://bucket[/prefix]]
                       [--state <dir|s3://...>] [--endpoint <url>] [--region <r>]
                       [--dry-run] [--rebuild] [--strict] [--json] [--quiet] [--verbose]
  Publishes content/ into public/. The publisher's own state goes to .publisher/ beside public/.
    --content <dir>  the records: site.json and articles/ (default: content); or s3://bucket/prefix
    --templates <dir> the site's own Liquid templates (default: templates/ beside --content; in a
                     bucket, templates/ under the content's prefix)
    --out <dir>      where the feeds and pages go (default: public)
    --bucket <s3://bucket[/prefix]>
                     publish into an S3 bucket instead, with conditional writes as the Lambda does
    --state <dir>    where the publisher keeps its state (default: .publisher beside --out, or in
                     the current folder with --bucket); s3://bucket/prefix shares it between machines
    --endpoint <url> an S3-compatible server (MinIO, Ceph, R2) instead of AWS
    --region <r>     the S3 region (default: from the AWS configuration)
    Credentials come from the standard AWS chain (environment, profile, SSO, instance role).
    --dry-run        write nothing: say which files would be added, changed or removed, and
                     which items each feed would gain, change or lose (with --json, as JSON)
    --rebuild        read and render everything again
    --strict         exit 1 when any record has an error or a warning
    --json           print the report as JSON on stdout instead of lines
    --quiet          print nothing but errors and warnings
    --verbose        list every file written or removed (paths relative to the output)`,
  validate: `feed-publisher validate [<dir> | <file>] [--templates <dir>] [--strict] [--json]
  Checks every record in content/ (or <dir>), or one record file, and the site's templates, as a
  publish would; writes nothing.
    --strict         exit 1 on warnings too
    --json           print the problems as JSON on stdout`,
  import: `feed-publisher import <file | URL> [--into <dir>] [--max-mb <n>] [--json] [--quiet]
  Turns an RSS 2.0, RSS 1.0, Atom 1.0 or JSON Feed (or a WordPress export) into JSON records, one
  per item, keeping each item's id so subscribers do not see it again. Files already there are
  not overwritten; what could not come across is noted per item.
    --into <dir>     where the records go (default: content/articles)
    --max-mb <n>     the largest download accepted, in megabytes (default: 50); a download
                     follows at most 5 redirects, only to http(s)`,
  stats: `feed-publisher stats [--logs <dir|s3://bucket/prefix> | --bucket s3://state-bucket[/prefix]]
                     [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json] [--html <file>]
  Subscribers, readers and requests per feed and day, from CloudFront's access logs (or the
  request log "serve" writes): distinct readers are counted by a salted hash made for this run
  and never written; aggregators' reports ("42 subscribers") are counted once per feed and day.
    --logs <dir|s3://...>  the logs (default: the request log of "serve", .publisher/serve-logs)
    --bucket <s3://...>    read the days the stack's statistics function stored in the state bucket
    --from, --to           the first and last day (UTC) to show
    --json                 print {"days":[{"date","final","feeds":{"/rss.xml":{...}}}]}
    --html <file>          write a page with a chart per feed (no scripts, nothing fetched)`,
  serve: `feed-publisher serve [--out <dir>] [--port <n>] [--content <dir>] [--templates <dir>] [--state <dir>]
  Serves public/ on 127.0.0.1 with the headers CloudFront sends (default port 8080), and
  publishes content/ into it again whenever a record, site.json or a template changes (a bad
  record or template shows its error; its last good version stays).
    --drafts         preview content/ with drafts and embargoed articles, built in memory with links
                     at the preview's address, rebuilt on every change; nothing is written`,
};

const usage = `Usage: feed-publisher <command> [options]

Commands:
  init       make a new site here or in <dir>
  publish    publish content/ into public/
  validate   check records without publishing
  import     turn an existing feed into records
  serve      serve public/ locally
  stats      subscribers and readers per feed and day, from access logs
  help       this text; "feed-publisher <command> --help" for a command's options

Options for every command: --help, --version
Exit codes: 0 done; 1 invalid records (validate, or publish --strict) or a failure; 2 a usage mistake`;

/** A mistake in how the command was called: said in plain words, exit 2. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

const options = {
  content: { type: 'string', default: 'content' },
  templates: { type: 'string' },
  out: { type: 'string', default: 'public' },
  into: { type: 'string', default: join('content', 'articles') },
  state: { type: 'string' },
  rebuild: { type: 'boolean', default: false },
  strict: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
  'max-mb': { type: 'string', default: '50' },
  'dry-run': { type: 'boolean', default: false },
  drafts: { type: 'boolean', default: false },
  bucket: { type: 'string' },
  logs: { type: 'string' },
  html: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  endpoint: { type: 'string' },
  region: { type: 'string' },
  port: { type: 'string', default: '8080' },
  title: { type: 'string' },
  url: { type: 'string' },
  language: { type: 'string' },
  timezone: { type: 'string' },
  yes: { type: 'boolean', short: 'y', default: false },
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
    console.log(target && Object.hasOwn(usages, target) ? usages[target] : usage);
    return 0;
  }
  if (!command) {
    console.error(usage);
    return 2;
  }
  // Own keys only: `toString` is not a command.
  const commandUsage = Object.hasOwn(usages, command) ? usages[command] : undefined;
  const run = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (!commandUsage || !run) {
    console.error(`feed-publisher: unknown command '${command}'\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(commandUsage);
    return 0;
  }
  return run({ argv, values, target, commandUsage });
}

/** One command as called: its options, its one positional argument, and its usage text. */
interface CommandCall {
  readonly argv: readonly string[];
  readonly values: ReturnType<typeof parse>['values'];
  readonly target?: string;
  readonly commandUsage: string;
}

/** Says a mistake in how the command was called; exit 2. */
function usageMistake(message: string): number {
  console.error(`feed-publisher: ${message}`);
  return 2;
}

const commands: Record<string, (call: CommandCall) => Promise<number>> = {
  init: runInit,
  publish: runPublish,
  validate: runValidate,
  import: runImport,
  stats: runStats,
  serve: runServe,
};

async function runInit({ values, target }: CommandCall): Promise<number> {
  const { initCommand } = await import('./init.ts');
  return initCommand({
    dir: target ?? '.',
    answers: {
      ...(values.title ? { title: values.title } : {}),
      ...(values.url ? { siteUrl: values.url } : {}),
      ...(values.language ? { language: values.language } : {}),
      ...(values.timezone ? { timezone: values.timezone } : {}),
    },
    ask: !values.yes && Boolean(process.stdin.isTTY),
    now: new Date(),
  });
}

async function runPublish({ argv, values, target }: CommandCall): Promise<number> {
  const { openCliStores, PlaceError } = await import('./stores.ts');
  const { publishCommand } = await import('./publish.ts');
  const { StatePlaceError } = await import('../publish/publish-run.ts');
  let stores: ReturnType<typeof openCliStores>;
  try {
    if (values.bucket && argv.some((arg) => arg === '--out' || arg.startsWith('--out='))) {
      throw new PlaceError('give --out or --bucket, not both');
    }
    stores = openCliStores({ ...values, content: target ?? values.content });
  } catch (error) {
    if (!(error instanceof PlaceError)) throw error;
    return usageMistake(error.message);
  }
  try {
    return await publishCommand(stores, { ...values, dryRun: values['dry-run'] });
  } catch (error) {
    if (!(error instanceof StatePlaceError)) throw error;
    return usageMistake(error.message);
  } finally {
    stores.close();
  }
}

async function runValidate({ values, target }: CommandCall): Promise<number> {
  const { validateCommand } = await import('./validate.ts');
  return validateCommand(resolve(target ?? values.content), values);
}

async function runImport({ values, target, commandUsage }: CommandCall): Promise<number> {
  if (!target) return usageMistake(`import needs a feed file or URL\n\n${commandUsage}`);
  const { importCommand } = await import('./import.ts');
  const maxMb = Number(values['max-mb']);
  if (!(maxMb > 0)) {
    return usageMistake(`--max-mb must be a number of megabytes above 0, not '${values['max-mb']}'`);
  }
  return importCommand({
    source: target,
    into: values.into,
    json: values.json,
    quiet: values.quiet,
    maxBytes: Math.round(maxMb * 1024 * 1024),
  });
}

async function runStats({ values }: CommandCall): Promise<number> {
  const { PlaceError } = await import('./stores.ts');
  const { statsCommand } = await import('./stats.ts');
  try {
    return await statsCommand(values, new Date());
  } catch (error) {
    if (!(error instanceof PlaceError)) throw error;
    return usageMistake(error.message);
  }
}

async function runServe({ values, target }: CommandCall): Promise<number> {
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port < 1 || port > 65535) {
    return usageMistake(`--port must be a number from 1 to 65535, not '${values.port}'`);
  }
  const { previewCommand, serveCommand } = await import('./serve.ts');
  if (values.drafts) return previewCommand(port, resolve(target ?? values.content), values.templates);
  return serveCommand(resolve(values.out), port, { ...values, content: target ?? values.content });
}

function readVersion(): string {
  // The built bin has its package.json beside it; the source has the project's two levels up.
  const beside = new URL('./package.json', import.meta.url);
  const path = existsSync(beside) ? beside : new URL('../../package.json', import.meta.url);
  const text = readFileSync(path, 'utf8');
  return (JSON.parse(text) as { version: string }).version;
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
