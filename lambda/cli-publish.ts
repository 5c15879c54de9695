import { count, type OutputFlags, printProblems, seconds } from './cli-output.ts';
import { createProgress } from './cli-progress.ts';
import type { CliStores } from './cli-stores.ts';
import { errorMessage } from './core/error-message.ts';
import { runPublish } from './publish-run.ts';

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

/** What S3 refused, with its status: the SDK's message alone does not say. */
function describeFailure(error: unknown): string {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const name = error instanceof Error ? error.name : '';
  return status ? `${name} (HTTP ${status}): ${errorMessage(error)}` : errorMessage(error);
}
