import {
  categoryNameIn,
  emptyManifest,
  mainSet,
  type SetManifest,
  type Shard,
} from '../core/feed-sets/feed-set.ts';
import { type SetChange, updateSet } from '../core/feed-sets/update-set.ts';
import type { SiteConfig } from '../core/model.ts';
import { decodeManifest, decodeShard, encodeState } from '../core/state/codec.ts';
import { stateKeys } from '../core/state/state-keys.ts';
import { loadArticle } from '../core/state/stored-article.ts';
import { mapLimited, type OutputStore, type StateStore, settleAll } from '../stores/store.ts';
import { retryOnConflict, writeFile } from './retry.ts';

export interface SetStepContext {
  readonly site: SiteConfig;
  readonly state: StateStore;
  readonly output: OutputStore;
}

export interface SetStepResult {
  readonly folder: string;
  readonly manifest: SetManifest;
  /** The category's name as its newest article spells it; undefined when the set is empty. */
  readonly name: string | undefined;
  readonly written: readonly string[];
  readonly deleted: readonly string[];
}

/** Files written at once. */
const writeConcurrency = 16;

/**
 * Applies a change to one set as a transaction: read its manifest and the periods it needs,
 * write the changed periods and then the manifest, each only over the version read, then the
 * files. When another publish committed first, start over from its state. When another publish
 * commits after this one, while this one writes files, render again from the newest state so the
 * last files written always come from the last committed state.
 */
export async function applySetChange(
  context: SetStepContext,
  folder: string,
  change: SetChange,
): Promise<SetStepResult> {
  const written = new Set<string>();
  const deleted = new Set<string>();
  let renderTouched = false;
  for (;;) {
    const committed = await retryOnConflict(() => commitOnce(context, folder, change, renderTouched));
    const { revision } = committed;
    const outcomes = await mapLimited(committed.files, writeConcurrency, (file) =>
      writeFile(context.output, file, revision),
    );
    committed.files.forEach((file, index) => {
      if (outcomes[index]) written.add(file.path);
    });
    for (const path of committed.deletes) {
      if (await retryOnConflict(() => context.output.delete(path, revision))) deleted.add(path);
    }
    const now = await context.state.read(stateKeys.manifest(folder));
    if (now?.version === committed.version) {
      const newest = committed.manifest.window[0];
      return {
        folder,
        manifest: committed.manifest,
        name: folder === mainSet || !newest ? undefined : categoryNameIn(loadArticle(newest), folder),
        written: [...written],
        deleted: [...deleted],
      };
    }
    renderTouched = true;
  }
}

async function commitOnce(
  context: SetStepContext,
  folder: string,
  change: SetChange,
  renderTouched: boolean,
) {
  const { state, site } = context;
  const manifestKey = stateKeys.manifest(folder);
  const stored = await state.read(manifestKey);
  const manifest = stored ? decodeManifest(stored.text, manifestKey) : emptyManifest(folder);
  const shards = new Map<string, Shard>();
  const versions = new Map<string, string>();
  for (;;) {
    const update = updateSet({ site, manifest, shards, change, renderTouched });
    if (update.kind === 'need') {
      await settleAll(
        update.periods.map(async (period) => {
          const key = stateKeys.shard(folder, period);
          const shard = await state.read(key);
          shards.set(period, shard ? decodeShard(shard.text, key) : []);
          if (shard) versions.set(period, shard.version);
        }),
      );
      continue;
    }
    await settleAll(
      [...update.shards].map(async ([period, articles]) => {
        const key = stateKeys.shard(folder, period);
        // A period the manifest does not list may still have an emptied shard from before; the
        // manifest's own conditional write below is what keeps two publishes apart.
        const version = versions.has(period) ? versions.get(period) : (await state.read(key))?.version;
        // An emptied period is written empty, not deleted: a delete cannot be made conditional,
        // and a publish that committed meanwhile may have put articles there.
        await state.write(key, encodeState(articles), { version });
      }),
    );
    // The manifest is the commit point: written whenever anything of the set changed, with the
    // next revision, which the files rendered from it carry.
    const unchanged = { ...update.manifest, revision: manifest.revision ?? 0 };
    if (update.shards.size === 0 && encodeState(unchanged) === stored?.text) {
      return { ...update, manifest: unchanged, version: stored.version, revision: unchanged.revision };
    }
    const next = { ...unchanged, revision: unchanged.revision + 1 };
    const version = await state.write(manifestKey, encodeState(next), { version: stored?.version });
    return { ...update, manifest: next, version, revision: next.revision };
  }
}
