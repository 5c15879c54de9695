import * as v from 'valibot';
import { decodeJson } from '../core/state/decode-json.ts';
import type { Remembered } from '../core/state/read-record-state.ts';
import { legacyStatePath } from '../core/state/state-keys.ts';
import type { OutputStore } from '../stores/ports.ts';
import { storedArticleSchema } from './rebuild-records.ts';

/** The single-file state: ids and last good versions by record key. */
const legacyStateSchema = v.looseObject({
  ids: v.optional(
    v.record(v.string(), v.looseObject({ id: v.optional(v.string()), since: v.optional(v.string()) })),
  ),
  articles: v.optional(v.record(v.string(), storedArticleSchema)),
});

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
  const legacy = decodeJson(stored.text, legacyStateSchema, `${legacyStatePath} (the earlier state)`);
  const ids = legacy.ids ?? {};
  const articles = legacy.articles ?? {};
  return (key) => {
    const entry = ids[key];
    const article = articles[key];
    return entry || article ? { id: entry?.id, since: entry?.since, article } : undefined;
  };
}
