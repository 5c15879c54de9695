import { mapLimited } from '../core/async-lists.ts';
import { mainSet } from '../core/feed-sets/feed-set.ts';
import type { SiteConfig } from '../core/model.ts';
import { periodOf } from '../core/periods.ts';
import { decodeManifest, decodeShard } from '../core/state/codec.ts';
import type { SetTouch } from '../core/state/record-state.ts';
import { stateKeys } from '../core/state/state-keys.ts';
import type { StoredArticle } from '../core/stored-article.ts';
import type { StateStore } from '../stores/ports.ts';

/** What the deep look found: the set entries to take out, and how many record states there are. */
export interface OrphanCheck {
  /** Per set folder, the entries whose record has no record state. */
  readonly touches: ReadonlyMap<string, readonly SetTouch[]>;
  readonly recordStates: number;
}

/** Shards read at once. */
const shardConcurrency = 8;

/**
 * Finds set entries (window and archive periods) of records that have no record state: an
 * article no later event or reconcile would ever look at, since both start from record states.
 * It reads every shard of every set, so the reconcile runs it only when the counts disagree.
 * Each entry found becomes a touch of its set: the set step, finding no record state, takes it
 * out (with its article page).
 */
export async function findOrphanEntries(
  state: StateStore,
  site: SiteConfig,
  folders: readonly string[],
): Promise<OrphanCheck> {
  const known = new Set<string>();
  for await (const page of state.list(stateKeys.recordsPrefix)) {
    for (const entry of page) known.add(entry.key.slice(stateKeys.recordsPrefix.length));
  }
  const touches = new Map<string, SetTouch[]>();
  const note = (folder: string, article: StoredArticle) => {
    if (known.has(article.key)) return;
    const found = touches.get(folder) ?? [];
    found.push({
      folder,
      key: article.key,
      periods: [periodOf(new Date(article.published), site.archivePeriod)],
    });
    touches.set(folder, found);
  };
  for (const folder of new Set([mainSet, ...folders])) {
    const key = stateKeys.manifest(folder);
    const stored = await state.read(key);
    if (!stored) continue;
    const manifest = decodeManifest(stored.text, key);
    for (const article of manifest.window) note(folder, article);
    await mapLimited(Object.keys(manifest.periods), shardConcurrency, async (period) => {
      const where = stateKeys.shard(folder, period, manifest.shards?.[period]);
      const shard = await state.read(where);
      for (const article of shard ? decodeShard(shard.text, where) : []) note(folder, article);
    });
  }
  return { touches, recordStates: known.size };
}
