import { errorMessage } from '../core/error-message.ts';
import { StateReadError } from '../core/state/codec.ts';
import type { Remembered } from '../core/state/read-record-state.ts';
import { legacyStatePath } from '../core/state/state-keys.ts';
import type { StoredArticle } from '../core/stored-article.ts';
import type { OutputStore } from '../stores/ports.ts';

interface LegacyState {
  readonly ids?: Record<string, { id?: string; since?: string }>;
  readonly articles?: Record<string, StoredArticle>;
}

/**
 * The single-file state of earlier versions, kept inside the feeds at `_state/state.json`. Its id
 * ledger and last good versions carry over, so no article changes id on the upgrade; the file is
 * removed from the feeds once the new state is written.
 */
export async function readLegacyState(
  output: OutputStore,
): Promise<((key: string) => Remembered | undefined) | undefined> {
  const stored = await output.read(legacyStatePath);
  if (!stored) return undefined;
  let legacy: LegacyState;
  try {
    legacy = JSON.parse(stored.text) as LegacyState;
  } catch (error) {
    throw new StateReadError(
      `${legacyStatePath} (the earlier state) is not valid JSON: ${errorMessage(error)}`,
    );
  }
  const ids = legacy.ids ?? {};
  const articles = legacy.articles ?? {};
  return (key) => {
    const entry = ids[key];
    const article = articles[key];
    return entry || article ? { id: entry?.id, since: entry?.since, article } : undefined;
  };
}
