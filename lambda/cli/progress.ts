import type { Progress } from '../publish/rebuild.ts';

export interface ProgressOutput {
  /** A terminal: one line rewritten in place; otherwise plain lines. */
  readonly tty: boolean;
  readonly write: (text: string) => void;
  /** Milliseconds, from any origin. */
  readonly now: () => number;
}

/** Quiet for the first second, so short publishes print nothing; then at most every second. */
const quietMs = 1000;

/**
 * Shows how a long publish advances: on a terminal one line, rewritten; elsewhere (CI logs) a
 * plain line at most every second. `done` clears the terminal line.
 */
export function createProgress(output: ProgressOutput) {
  const started = output.now();
  let last = started;
  let shown = false;
  return {
    update(progress: Progress): void {
      const now = output.now();
      if (now - started < quietMs || now - last < quietMs) return;
      last = now;
      const line = `${progress.recordsRead} of ${progress.records} records read, ${progress.filesWritten} files written`;
      output.write(output.tty ? `\r\u001b[2K${line}` : `${line}\n`);
      shown = true;
    },
    done(): void {
      if (shown && output.tty) output.write('\r\u001b[2K');
    },
  };
}
