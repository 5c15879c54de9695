import { randomUUID } from 'node:crypto';
import { mapLimited } from '../core/async-lists.ts';
import {
  categoryNameIn,
  emptyManifest,
  mainSet,
  type SetManifest,
  type Shard,
} from '../core/feed-sets/feed-set.ts';
import { type SetChange, type SetUpdate, updateSet } from '../core/feed-sets/update-set.ts';
import type { SiteConfig } from '../core/model.ts';
import { decodeManifest, decodeRecordState, decodeShard, encodeState } from '../core/state/codec.ts';
import { articleOf, type SetTouch } from '../core/state/record-state.ts';
import { stateKeys } from '../core/state/state-keys.ts';
import { loadArticle } from '../core/stored-article.ts';
import { type OutputStore, type StateStore, type StoredText, WriteConflictError } from '../stores/ports.ts';
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

/** Requests a set step has in flight at once (file writes, shard writes, record-state reads). */
const requestConcurrency = 16;

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
  touches: readonly SetTouch[],
): Promise<SetStepResult> {
  const written = new Set<string>();
  const deleted = new Set<string>();
  let renderTouched = touches.some((touch) => touch.again);
  for (;;) {
    const committed = await retryOnConflict(() => commitOnce(context, folder, touches, renderTouched));
    const { revision } = committed;
    const outcomes = await mapLimited(committed.files, requestConcurrency, (file) =>
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
  touches: readonly SetTouch[],
  renderTouched: boolean,
) {
  const { state, site } = context;
  const manifestKey = stateKeys.manifest(folder);
  const stored = await state.read(manifestKey);
  const manifest = stored ? decodeManifest(stored.text, manifestKey) : emptyManifest(folder);
  // Read after the manifest: a record state written later belongs to a publish whose own change
  // to this set commits after this one, or makes this one's commit fail and start over.
  const change = await changeFromRecordStates(state, folder, touches);
  const tags = manifest.shards ?? {};
  const shards = new Map<string, Shard>();
  for (;;) {
    const update = updateSet({ site, manifest, shards, change, renderTouched });
    if (update.kind === 'need') {
      await mapLimited(update.periods, requestConcurrency, async (period) => {
        // A period the manifest does not list is empty.
        if (!(period in manifest.periods)) return shards.set(period, []);
        const key = stateKeys.shard(folder, period, tags[period]);
        const shard = await state.read(key);
        // Listed but gone: a later commit replaced it, so this one would lose anyway.
        if (!shard) throw new WriteConflictError(`${key} was replaced while this publish ran`);
        return shards.set(period, decodeShard(shard.text, key));
      });
      continue;
    }
    const revision = manifest.revision ?? 0;
    const unchanged = {
      ...update.manifest,
      revision,
      ...(stored && manifest.shards ? { shards: tags } : {}),
    };
    if (update.shards.size === 0 && stored && encodeState(unchanged) === stored.text) {
      return { ...update, manifest: unchanged, version: stored.version, revision };
    }
    return commitShards(state, manifestKey, stored, manifest, update, revision + 1);
  }
}

/**
 * What the set must become for the records touched: each leaves the periods it may sit in, and
 * goes where its record state says now, whatever version the publish that touched it read.
 */
async function changeFromRecordStates(
  state: StateStore,
  folder: string,
  touches: readonly SetTouch[],
): Promise<SetChange> {
  const upserts = await mapLimited(touches, requestConcurrency, async ({ key }) => {
    const where = stateKeys.record(key);
    const stored = await state.read(where);
    const record = stored ? decodeRecordState(stored.text, where) : undefined;
    return record?.placed?.sets.includes(folder) ? articleOf(record) : undefined;
  });
  return {
    removals: touches.flatMap(({ key, periods }) => periods.map((period) => ({ key, period }))),
    upserts: upserts.filter((article) => article !== undefined),
    pages: touches.flatMap((touch) => touch.pages ?? []),
  };
}

/**
 * Writes the changed periods as new objects, then the manifest that points at them, over the
 * version read. The manifest is the commit point: until it is written no one reads the new
 * objects, and once it is, the objects it no longer points at are removed.
 */
async function commitShards(
  state: StateStore,
  manifestKey: string,
  stored: StoredText | undefined,
  manifest: SetManifest,
  update: Extract<SetUpdate, { kind: 'done' }>,
  revision: number,
) {
  const { folder } = manifest;
  const tag = `${revision}-${randomUUID().slice(0, 8)}`;
  const tags: Record<string, string> = {};
  for (const period of Object.keys(update.manifest.periods)) {
    const known = manifest.shards?.[period];
    if (known) tags[period] = known;
  }
  const writes: [string, Shard][] = [];
  const replaced: string[] = [];
  for (const [period, articles] of update.shards) {
    if (period in manifest.periods) replaced.push(stateKeys.shard(folder, period, manifest.shards?.[period]));
    if (articles.length === 0) continue;
    tags[period] = tag;
    writes.push([stateKeys.shard(folder, period, tag), articles]);
  }
  const created = writes.map(([key]) => key);
  const next: SetManifest = { ...update.manifest, revision, shards: tags };
  const text = encodeState(next);
  let version: string;
  try {
    await mapLimited(writes, requestConcurrency, ([key, articles]) =>
      state.write(key, encodeState(articles), { version: undefined }),
    );
    version = await state.write(manifestKey, text, { version: stored?.version });
  } catch (error) {
    // A write may have landed though its answer was lost: the manifest now there says whether
    // this commit is in. If it is not, its objects are nobody's and go.
    const now = await state.read(manifestKey).catch(() => undefined);
    if (now?.text === text) version = now.version;
    else {
      await removeQuietly(state, created);
      throw error;
    }
  }
  await removeQuietly(state, replaced);
  return { ...update, manifest: next, version, revision };
}

/** Removes objects no one reads any more; one left behind costs a few bytes, not correctness. */
async function removeQuietly(state: StateStore, keys: readonly string[]): Promise<void> {
  await mapLimited(keys, requestConcurrency, (key) => state.delete(key).catch(() => undefined));
}
