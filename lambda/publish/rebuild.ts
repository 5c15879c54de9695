import { buildSite, type Remembered, type VersionedRecord } from '../core/build-site.ts';
import { archiveFolder } from '../core/feed-sets/feed-set.ts';
import type { SiteConfig } from '../core/model.ts';
import { feedPaths } from '../core/render/feed-files.ts';
import type { PublishReport } from '../core/report.ts';
import { decodeManifest, decodeRecordState, encodeState } from '../core/state/codec.ts';
import type { SiteState } from '../core/state/site-state.ts';
import { legacyStatePath, stateKeys } from '../core/state/state-keys.ts';
import { mapLimited, type OutputStore, type RecordStore, type StateStore } from '../stores/store.ts';
import { readLegacyState } from './legacy-state.ts';

export interface RebuildContext {
  readonly site: SiteConfig;
  readonly records: RecordStore;
  readonly state: StateStore;
  readonly output: OutputStore;
  readonly now: Date;
  /** The site state before, when there is one: its categories' files are cleaned up. */
  readonly previous?: SiteState;
}

const concurrency = 32;

/**
 * Every record read and every set rendered from scratch: a first publish, an upgrade from the
 * single-file state, or a change of the settings reading or rendering depend on. Ids and last
 * good versions carry over from the state (or the earlier single file). Files and state objects
 * that no longer belong are removed.
 */
export async function rebuild(context: RebuildContext): Promise<{
  report: PublishReport;
  written: string[];
  deleted: string[];
}> {
  const { site, state, output, now } = context;
  const keys: string[] = [];
  for await (const page of context.records.listRecords()) keys.push(...page.map((entry) => entry.key));
  const legacy = await readLegacyState(output);
  const remembered = new Map<string, Remembered>();
  const records = (
    await mapLimited(keys, concurrency, async (key): Promise<VersionedRecord | undefined> => {
      const body = await context.records.readRecord(key);
      const known = legacy?.(key) ?? (await readRemembered(state, key));
      if (known) remembered.set(key, known);
      return body && { key, body: body.body, etag: body.etag.replace(/^"|"$/g, '') };
    })
  ).filter((record) => record !== undefined);
  const build = buildSite({ site, records, now, remembered: (key) => remembered.get(key) });

  const previousSets = await readPreviousPages(context);
  const overwrite = async (key: string, text: string) => {
    const current = await state.read(key);
    if (current?.text !== text) await state.write(key, text, { version: current?.version });
  };
  await mapLimited(build.state.records, concurrency, (record) =>
    overwrite(stateKeys.record(record.key), encodeState(record)),
  );
  await mapLimited(build.state.claims, concurrency, (claim) =>
    overwrite(stateKeys.idClaim(claim.id), encodeState(claim)),
  );
  const newPaths = new Set(build.files.map((file) => file.path));
  for (const { manifest, shards } of build.state.sets) {
    await mapLimited([...shards], concurrency, ([period, shard]) =>
      overwrite(stateKeys.shard(manifest.folder, period), encodeState(shard)),
    );
    await overwrite(stateKeys.manifest(manifest.folder), encodeState(manifest));
  }
  const outcomes = await mapLimited(build.files, concurrency, (file) => output.write(file));
  const written = build.files.filter((_, index) => outcomes[index]).map((file) => file.path);

  const listed = new Set(keys);
  const stale: string[] = [];
  for await (const page of state.list(stateKeys.recordsPrefix)) {
    for (const entry of page) {
      if (!listed.has(entry.key.slice(stateKeys.recordsPrefix.length))) stale.push(entry.key);
    }
  }
  await mapLimited(stale, concurrency, (key) => state.delete(key));
  const builtFolders = new Set(build.state.sets.map((set) => set.manifest.folder));
  for (const folder of previousSets.folders) {
    if (!builtFolders.has(folder))
      await overwrite(stateKeys.manifest(folder), encodeState({ folder, window: [], periods: {} }));
  }
  const gone = previousSets.paths.filter((path) => !newPaths.has(path));
  const deleted: string[] = [];
  for (const path of gone) if (await output.delete(path)) deleted.push(path);

  await overwrite(stateKeys.site, encodeState({ ...build.state.site, reconciledAt: now.toISOString() }));
  if (legacy) await output.delete(legacyStatePath);
  return { report: build.report, written, deleted };
}

async function readRemembered(state: StateStore, key: string): Promise<Remembered | undefined> {
  const where = stateKeys.record(key);
  const stored = await state.read(where);
  if (!stored) return undefined;
  const record = decodeRecordState(stored.text, where);
  return { id: record.id, since: record.since, article: record.article };
}

/** Every file the previous layout published: its sets' feeds and archive pages, and numbered legacy pages. */
async function readPreviousPages(context: RebuildContext): Promise<{ folders: string[]; paths: string[] }> {
  const folders = ['', ...Object.keys(context.previous?.categories ?? {})];
  const paths: string[] = [];
  for (const folder of folders) {
    const key = stateKeys.manifest(folder);
    const stored = await context.state.read(key);
    if (!stored) continue;
    const manifest = decodeManifest(stored.text, key);
    paths.push(...feedPaths(folder));
    for (const period of Object.keys(manifest.periods))
      paths.push(...feedPaths(archiveFolder(folder, period)));
  }
  // Earlier versions numbered their archive pages; the numbers stop at the first one missing.
  for (let page = 1; ; page += 1) {
    const [first] = feedPaths(`archive/${page}/`);
    if (!first || !(await context.output.read(first))) break;
    paths.push(...feedPaths(`archive/${page}/`));
  }
  return { folders, paths };
}
