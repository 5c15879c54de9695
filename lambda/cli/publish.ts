import { hostname } from 'node:os';
import { relative } from 'node:path';
import { errorMessage } from '../core/error-message.ts';
import { compareFeedItems, type ItemChanges, type ItemName } from '../core/feed-sets/item-changes.ts';
import { formatOfPath } from '../core/render/formats.ts';
import { jsonFeedFormat } from '../core/render/json-feed.ts';
import type { OutputCheck } from '../publish/output-check.ts';
import { runPublish, StatePlaceError } from '../publish/publish-run.ts';
import { DryRunOutputStore, DryRunStateStore, type FileChange } from '../stores/dry-run.ts';
import { count, linkWarnings, type OutputFlags, printProblems, seconds } from './output.ts';
import { createProgress } from './progress.ts';
import type { CliStores } from './stores.ts';

/** `publish`: one publish into the stores given, its files and problems printed, its summary last. */
export async function publishCommand(given: CliStores, flags: OutputFlags): Promise<number> {
  const started = performance.now();
  // A dry run publishes exactly as a publish does, into stores that keep every write in memory.
  const preview = flags.dryRun ? new DryRunOutputStore(given.output) : undefined;
  const stores = preview ? { ...given, output: preview, state: new DryRunStateStore(given.state) } : given;
  const result = await publishWithProgress(stores, flags);
  const report = { ...result.report, warnings: [...linkWarnings(stores.records), ...result.report.warnings] };
  if (result.mode === 'rebuild-pending' && result.rebuildRunning) {
    const { startedAt, owner } = result.rebuildRunning;
    console.error(
      `note:  a rebuild started at ${startedAt}${owner ? ` by ${owner}` : ''} is running on this state: this publish changed nothing; what changed is published when that rebuild ends${flags.rebuild ? ', so no second rebuild was started' : ''}`,
    );
    if (flags.rebuild) return 1;
  }
  const faulty = new Set(report.errors.map((error) => error.key));
  const failed = flags.strict && (faulty.size > 0 || report.warnings.length > 0);
  const previewed = preview ? await describePreview(preview) : undefined;
  if (flags.json) {
    console.log(
      JSON.stringify({
        ...(previewed ? { dryRun: true, files: previewed.files, feeds: previewed.feeds } : {}),
        written: result.written,
        deleted: result.deleted,
        mode: result.mode,
        ...(result.output ? { output: result.output } : {}),
        ...report,
      }),
    );
    return failed ? 1 : 0;
  }
  printPublish({ ...result, report }, flags, stores.outputName, previewed);
  if (!flags.quiet) printSummary(report, faulty, started);
  return failed ? 1 : 0;
}

type PublishResult = Awaited<ReturnType<typeof runPublish>>;

/** The publish, with progress on a terminal's stderr; a failure names the place published to. */
async function publishWithProgress(stores: CliStores, flags: OutputFlags): Promise<PublishResult> {
  const progress = createProgress({
    tty: process.stderr.isTTY === true,
    write: (text) => {
      if (!flags.quiet && !flags.json) process.stderr.write(text);
    },
    now: () => performance.now(),
  });
  return runPublish({
    ...stores,
    now: new Date(),
    clock: () => new Date(),
    owner: { name: `${hostname()}:${process.pid}`, isAlive: isProcessAlive },
    rebuild: flags.rebuild,
    onProgress: progress.update,
  })
    .catch((error: unknown) => {
      if (error instanceof StatePlaceError) throw error;
      // S3 says what it refused, not where: name the place.
      throw new Error(`publishing to ${stores.outputName}: ${describeFailure(error)}`);
    })
    .finally(progress.done);
}

/** The files (a dry run's preview, or with --verbose each one), the output check and the problems. */
function printPublish(
  result: PublishResult,
  flags: OutputFlags,
  outputName: string,
  previewed: Preview | undefined,
): void {
  const outRoot = shortPlace(outputName);
  if (previewed) printPreview(previewed, outRoot);
  else if (flags.verbose && !flags.quiet) {
    for (const path of result.written) console.log(`wrote     ${path}`);
    for (const path of result.output?.restored ?? []) console.log(`restored  ${path}`);
    for (const path of [...result.deleted, ...(result.output?.removed ?? [])])
      console.log(`removed   ${path}`);
  }
  printOutputCheck(result.output, outputName);
  printProblems(result.report.errors, result.report.warnings);
  for (const key of result.report.keptLastGood)
    console.error(`kept:  ${key}: its last good version stays published until it is fixed`);
  if (!flags.quiet && !previewed)
    console.log(
      describeChanges(
        result.written.length + (result.output?.restored.length ?? 0),
        result.deleted.length + (result.output?.removed.length ?? 0),
        outRoot,
        flags.verbose === true,
      ),
    );
}

/** The last line: what was published, what is wrong, how long it took; and when to publish again. */
function printSummary(report: PublishResult['report'], faulty: ReadonlySet<string>, started: number): void {
  const templateErrors = [...faulty].filter((key) => key.startsWith('templates/')).length;
  const invalid = faulty.size - templateErrors;
  console.log(
    `${report.published} published, ${report.embargoed} embargoed, ${count(report.drafts, 'draft')}, ${report.expired} expired; ${count(invalid, 'record error')}, ${templateErrors > 0 ? `${count(templateErrors, 'template error')}, ` : ''}${count(report.warnings.length, 'warning')}; took ${seconds(started)}`,
  );
  if (report.nextChangeAt)
    console.log(`next embargo or expiry at ${report.nextChangeAt.toISOString()}: publish again then`);
}

/** What a dry run would do: files by change, and per feed the items a subscriber would see change. */
interface Preview {
  readonly files: readonly { readonly path: string; readonly change: FileChange['change'] }[];
  readonly feeds: Record<string, ItemChanges>;
}

async function describePreview(output: DryRunOutputStore): Promise<Preview> {
  const changes = await output.changes();
  const feeds: Record<string, ItemChanges> = {};
  for (const file of changes) {
    if (formatOfPath(file.path) !== jsonFeedFormat) continue;
    feeds[file.path] = compareFeedItems(file.before, file.after);
  }
  return { files: changes.map(({ path, change }) => ({ path, change })), feeds };
}

function printPreview(preview: Preview, place: string): void {
  const verbs = { added: 'would add   ', changed: 'would change', removed: 'would remove' } as const;
  for (const file of preview.files) console.log(`${verbs[file.change]}  ${file.path}`);
  for (const [feed, items] of Object.entries(preview.feeds)) {
    const named = (label: string, list: readonly ItemName[]) =>
      list.map((item) => `  ${label} ${JSON.stringify(item.title || item.id)}  (${item.id})`);
    const lines = [...named('+', items.added), ...named('~', items.changed), ...named('-', items.removed)];
    if (lines.length === 0) continue;
    console.log(
      `${feed}: ${count(items.added.length, 'item')} added, ${items.changed.length} changed, ${items.removed.length} removed`,
    );
    for (const line of lines) console.log(line);
  }
  const files = preview.files.length;
  console.log(
    files === 0
      ? `dry run: ${place} is up to date; nothing would be written`
      : `dry run: ${count(files, 'file')} in ${place} would change; nothing was written`,
  );
}

/** `public/: 9 files written, 1 removed`, the one line a publish prints about its files. */
function describeChanges(written: number, removed: number, place: string, listed: boolean): string {
  if (written === 0 && removed === 0) return `${place}: up to date, nothing to write`;
  const parts = [`${count(written, 'file')} written`, ...(removed > 0 ? [`${removed} removed`] : [])];
  return `${place}: ${parts.join(', ')}${listed ? '' : ' (--verbose lists them)'}`;
}

/** A folder as the user would type it (relative when under the current one); a bucket as is. */
function shortPlace(name: string): string {
  const trimmed = name.replace(/\/$/, '');
  if (/^[a-z0-9]+:\/\//.test(trimmed)) return `${trimmed}/`;
  const path = relative(process.cwd(), trimmed);
  return `${path === '' ? '.' : path.startsWith('..') ? trimmed : path}/`;
}

/** What the look at the output found: files restored, and files no manifest names. */
function printOutputCheck(check: OutputCheck | undefined, outputName: string): void {
  if (!check) return;
  const restored = new Set(check.restored);
  const missing = check.missing.filter((path) => restored.has(path)).length;
  const altered = check.altered.filter((path) => restored.has(path)).length;
  const were = (value: number) => (value === 1 ? 'was' : 'were');
  if (missing > 0)
    console.log(`restored ${count(missing, 'file')} that ${were(missing)} missing from ${outputName}`);
  if (altered > 0) console.log(`restored ${count(altered, 'file')} that had been changed in ${outputName}`);
  const others = restored.size - missing - altered;
  if (others > 0)
    console.log(`wrote ${count(others, 'file')} the state names that differed in ${outputName}`);
  if (check.removed.length > 0)
    console.log(
      `removed ${count(check.removed.length, 'file')} the publisher had left behind in ${outputName}`,
    );
  if (check.unknown.length > 0) {
    const shown = check.unknown.slice(0, 5).join(', ');
    const more = check.unknown.length > 5 ? ` and ${check.unknown.length - 5} more` : '';
    console.error(
      `note:  ${count(check.unknown.length, 'file')} in ${outputName} that the publisher did not write (left as they are): ${shown}${more}`,
    );
  }
}

/** Whether the process a rebuild lease names (`host:pid`) still runs; on another host, assume so. */
function isProcessAlive(owner: string): boolean {
  const [host, pid] = [
    owner.slice(0, owner.lastIndexOf(':')),
    Number(owner.slice(owner.lastIndexOf(':') + 1)),
  ];
  if (host !== hostname() || !Number.isSafeInteger(pid)) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What S3 refused, with its status: the SDK's message alone does not say. */
function describeFailure(error: unknown): string {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const name = error instanceof Error ? error.name : '';
  return status ? `${name} (HTTP ${status}): ${errorMessage(error)}` : errorMessage(error);
}
