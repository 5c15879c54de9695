import { hostname } from 'node:os';
import { count, type OutputFlags, printProblems, seconds } from './cli-output.ts';
import { createProgress } from './cli-progress.ts';
import type { CliStores } from './cli-stores.ts';
import { errorMessage } from './core/error-message.ts';
import type { OutputCheck } from './publish/output-check.ts';
import { runPublish, StatePlaceError } from './publish-run.ts';

/** `publish`: one publish into the stores given, its files and problems printed, its summary last. */
export async function publishCommand(stores: CliStores, flags: OutputFlags): Promise<number> {
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
  const { report } = result;
  if (result.mode === 'rebuild-pending' && result.rebuildRunning) {
    const { startedAt, owner } = result.rebuildRunning;
    console.error(
      `note:  a rebuild started at ${startedAt}${owner ? ` by ${owner}` : ''} is running on this state: this publish changed nothing; what changed is published when that rebuild ends${flags.rebuild ? ', so no second rebuild was started' : ''}`,
    );
    if (flags.rebuild) return 1;
  }
  const invalid = new Set(report.errors.map((error) => error.key)).size;
  const failed = flags.strict && (invalid > 0 || report.warnings.length > 0);
  if (flags.json) {
    console.log(
      JSON.stringify({
        written: result.written,
        deleted: result.deleted,
        mode: result.mode,
        ...(result.output ? { output: result.output } : {}),
        ...report,
      }),
    );
    return failed ? 1 : 0;
  }
  if (!flags.quiet) {
    for (const path of result.written) console.log(`wrote     ${outRoot}/${path}`);
    for (const path of result.deleted) console.log(`removed   ${outRoot}/${path}`);
  }
  printOutputCheck(result.output, stores.outputName);
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
