import type { RecordError } from '../core/model.ts';

/** How a command prints: its flags. */
export interface OutputFlags {
  readonly rebuild: boolean;
  readonly strict: boolean;
  readonly json: boolean;
  readonly quiet: boolean;
  /** List every file written or removed, not only how many. */
  readonly verbose?: boolean;
  /** Publish into memory and say what would change; write nothing. */
  readonly dryRun?: boolean;
}

/** "1 record error", "2 record errors". */
export function count(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? '' : 's'}`;
}

/** Seconds since `started` (a performance.now() reading), as the summaries print them. */
export function seconds(started: number): string {
  return `${((performance.now() - started) / 1000).toFixed(2)} s`;
}

/** Each problem on its own line on stderr: `error: key: field: message`. */
export function printProblems(errors: readonly RecordError[], warnings: readonly RecordError[]): void {
  for (const error of errors) console.error(`error: ${describeProblem(error)}`);
  for (const warning of warnings) console.error(`warning: ${describeProblem(warning)}`);
}

/** `articles/a.json:4: categories: must be ...`: the file and line as editors and terminals link them. */
export function describeProblem(problem: RecordError): string {
  const where = problem.line === undefined ? problem.key : `${problem.key}:${problem.line}`;
  return `${where}: ${problem.field}: ${problem.message}`;
}

/** The warning for each symbolic link a local record store skipped. */
export function linkWarnings(records: unknown): RecordError[] {
  const links = (records as { skippedLinks?: ReadonlySet<string> }).skippedLinks ?? new Set<string>();
  return [...links].map((key) => ({
    key,
    field: '(file)',
    message:
      'is a symbolic link, so it is skipped: records are files inside the content folder; copy the file here instead',
  }));
}
