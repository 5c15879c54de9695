import type { FeedFile } from '../core/model.ts';
import { type OutputStore, WriteConflictError } from '../stores/ports.ts';

export interface RetryOptions {
  readonly attempts: number;
  /** First backoff; it doubles each time, with full jitter. */
  readonly baseDelayMs: number;
}

export const conflictRetry: RetryOptions = { attempts: 8, baseDelayMs: 40 };

/**
 * Runs `step` again after another publish won a conditional write (full-jitter exponential
 * backoff), so two publishes that collide do not collide again at once.
 */
export async function retryOnConflict<T>(
  step: (attempt: number) => Promise<T>,
  options: RetryOptions = conflictRetry,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await step(attempt);
    } catch (error) {
      if (!(error instanceof WriteConflictError) || attempt >= options.attempts) throw error;
      const ceiling = options.baseDelayMs * 2 ** (attempt - 1);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}

/**
 * Writes a published file, again if another publish wrote it between this one's look and its
 * write. Which bytes end up there is settled by the set step: it renders again from the newest
 * committed state whenever another publish committed meanwhile.
 */
export async function writeFile(output: OutputStore, file: FeedFile, revision: number): Promise<boolean> {
  return (await retryOnConflict(() => output.write(file, revision))).written;
}
