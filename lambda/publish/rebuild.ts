import type { Remembered } from '../core/build-site.ts';
import { archiveFolder, categoryNameIn, mainSet, type SetManifest } from '../core/feed-sets/feed-set.ts';
import { type LayoutEntry, layoutKeys } from '../core/feed-sets/layout-sets.ts';
import { neighboursIn, renderPageFiles, renderWindowFiles } from '../core/feed-sets/set-files.ts';
import type { Article, FeedFile, RecordError, SiteConfig } from '../core/model.ts';
import {
  type ClaimCandidate,
  deltaOf,
  readRecordState,
  rejectClaim,
  resolveClaims,
} from '../core/records/read-record-state.ts';
import { feedPaths } from '../core/render/feed-files.ts';
import { renderSubscribePageFile } from '../core/render/subscribe-file.ts';
import { subscribePageItems } from '../core/render/subscribe-page.ts';
import type { PublishReport } from '../core/report.ts';
import { readingKey, renderingKey } from '../core/settings-keys.ts';
import { decodeManifest, decodeRecordState, encodeState } from '../core/state/codec.ts';
import { articleOf, type RecordState } from '../core/state/record-state.ts';
import {
  applyDeltas,
  duePending,
  emptySiteState,
  type RecordDelta,
  type SiteState,
} from '../core/state/site-state.ts';
import { legacyStatePath, stateKeys } from '../core/state/state-keys.ts';
import { storeArticle } from '../core/state/stored-article.ts';
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
/** Records read, parsed and written before the next ones are read: memory stays flat. */
const chunkSize = 500;

/** What the rebuild keeps in memory per record: enough to lay out every set, not the article. */
interface Entry extends LayoutEntry {
  readonly delta: RecordDelta;
}

/**
 * Every record read and every set rendered from scratch: a first publish, an upgrade from the
 * single-file state, or a change of the settings reading or rendering depend on. It streams:
 * records are read and written back as record states a chunk at a time, the sets are laid out
 * from a small index of keys and dates, and each archive period is read, rendered and written on
 * its own, so memory stays flat however large the archive. The result is the same, byte for
 * byte, as `buildSite` over every record at once. Ids and last good versions carry over from the
 * state (or the earlier single file); files and state objects that no longer belong are removed.
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
  const previousLayout = await readPreviousLayout(context);

  // 1. Read every record into its record state, a chunk at a time.
  const entries = new Map<string, Entry>();
  const candidates: ClaimCandidate[] = [];
  for (let start = 0; start < keys.length; start += chunkSize) {
    await mapLimited(keys.slice(start, start + chunkSize), concurrency, async (key) => {
      const where = stateKeys.record(key);
      const [body, current] = await Promise.all([context.records.readRecord(key), state.read(where)]);
      if (!body) return;
      const known: Remembered | undefined =
        legacy?.(key) ?? (current ? decodeRecordState(current.text, where) : undefined);
      const read = readRecordState({
        site,
        record: { key, body: body.body },
        etag: body.etag.replace(/^"|"$/g, ''),
        known,
        now,
      });
      await overwrite(state, where, encodeState(read.state), current);
      if (read.candidate) candidates.push(read.candidate);
      entries.set(key, entryOf(read.state, now, site));
    });
  }

  // 2. Settle id claims: the losers are rewritten without their article.
  const claims = resolveClaims(candidates);
  await mapLimited([...claims.losers], concurrency, async ([key, error]) => {
    const where = stateKeys.record(key);
    const current = await state.read(where);
    if (!current) return;
    const rejected = rejectClaim(decodeRecordState(current.text, where), error);
    await overwrite(state, where, encodeState(rejected), current);
    entries.set(key, entryOf(rejected, now, site));
  });
  await mapLimited(claims.winners, concurrency, ({ id, key, since }) =>
    overwrite(state, stateKeys.idClaim(id), encodeState({ id, key, since })),
  );

  // 3. Lay out every set by key, then render it a period at a time.
  const layouts = layoutKeys(
    site,
    [...entries.values()].filter((entry) => entry.sets.length > 0),
  );
  const written: string[] = [];
  const publish = async (files: readonly FeedFile[]) => {
    const outcomes = await mapLimited(files, concurrency, (file) => output.write(file));
    written.push(...files.filter((_, index) => outcomes[index]).map((file) => file.path));
  };
  const loadArticles = async (keysToLoad: readonly string[]): Promise<Article[]> =>
    (
      await mapLimited(keysToLoad, concurrency, async (key) => {
        const where = stateKeys.record(key);
        const stored = await state.read(where);
        return stored ? articleOf(decodeRecordState(stored.text, where)) : undefined;
      })
    ).filter((article) => article !== undefined);
  const categories = new Map<string, string | undefined>();
  let mainWindow: Article[] = [];
  for (const layout of layouts) {
    const periods = [...layout.pages.keys()];
    for (const [period, pageKeys] of layout.pages) {
      const articles = await loadArticles(pageKeys);
      await overwrite(state, stateKeys.shard(layout.folder, period), encodeState(articles.map(storeArticle)));
      await publish(renderPageFiles(site, layout.folder, period, articles, neighboursIn(periods, period)));
    }
    const window = await loadArticles(layout.window);
    const manifest: SetManifest = {
      folder: layout.folder,
      window: window.map(storeArticle),
      periods: Object.fromEntries([...layout.pages].map(([period, pageKeys]) => [period, pageKeys.length])),
    };
    await overwrite(state, stateKeys.manifest(layout.folder), encodeState(manifest));
    await publish(renderWindowFiles(site, layout.folder, window, periods.at(-1)));
    if (layout.folder === mainSet) mainWindow = window;
    else categories.set(layout.folder, window[0] && categoryNameIn(window[0], layout.folder));
  }

  // 4. The site state and the subscribe page; then clear out what no longer belongs.
  const siteState: SiteState = {
    ...applyDeltas(
      emptySiteState(readingKey(site), renderingKey(site)),
      [...entries.values()].map((entry) => entry.delta),
      categories,
    ),
    reconciledAt: now.toISOString(),
  };
  await publish([
    renderSubscribePageFile(site, mainWindow.slice(0, subscribePageItems), siteState.categories),
  ]);
  const deleted = await removeLeftovers(context, previousLayout, new Set(keys), new Set(written), layouts);
  await overwrite(state, stateKeys.site, encodeState(siteState), await state.read(stateKeys.site));
  if (legacy) await output.delete(legacyStatePath);

  const errors: RecordError[] = [
    ...claims.notices.filter((notice) => !claims.losers.has(notice.key)),
    ...Object.values(siteState.invalid).flatMap((entry) => entry.errors),
  ];
  return {
    report: {
      published: siteState.counts.published,
      drafts: siteState.counts.draft,
      embargoed: siteState.counts.embargoed,
      expired: siteState.counts.expired,
      errors,
      keptLastGood: Object.entries(siteState.invalid)
        .filter(([, entry]) => entry.keptLastGood)
        .map(([key]) => key),
      nextChangeAt: duePending(siteState, now).next,
    },
    written,
    deleted,
  };
}

function entryOf(record: RecordState, now: Date, site: SiteConfig): Entry {
  const article = articleOf(record);
  return {
    key: record.key,
    id: record.id ?? '',
    published: article?.published ?? new Date(0),
    sets: record.placed?.sets ?? [],
    period: record.placed?.period ?? '',
    delta: deltaOf(record, now, site),
  };
}

/** Writes over whatever version is there (a rebuild owns the state while it runs). */
async function overwrite(
  state: StateStore,
  key: string,
  text: string,
  current?: { text: string; version: string },
): Promise<void> {
  const known = current ?? (await state.read(key));
  if (known?.text !== text) await state.write(key, text, { version: known?.version });
}

/**
 * Record states of records that are gone, the files and manifests of sets and pages that no
 * longer exist, and the numbered archive pages of earlier versions.
 */
async function removeLeftovers(
  context: RebuildContext,
  previousLayout: ReadonlyMap<string, readonly string[]>,
  listed: ReadonlySet<string>,
  written: ReadonlySet<string>,
  layouts: ReturnType<typeof layoutKeys>,
): Promise<string[]> {
  const { state, output } = context;
  const stale: string[] = [];
  for await (const page of state.list(stateKeys.recordsPrefix)) {
    for (const entry of page) {
      if (!listed.has(entry.key.slice(stateKeys.recordsPrefix.length))) stale.push(entry.key);
    }
  }
  await mapLimited(stale, concurrency, (key) => state.delete(key));
  const current = new Map(layouts.map((layout) => [layout.folder, new Set(layout.pages.keys())]));
  const gone: string[] = [];
  for (const [folder, periods] of previousLayout) {
    const kept = current.get(folder);
    if (!kept) {
      gone.push(...feedPaths(folder));
      await overwrite(state, stateKeys.manifest(folder), encodeState({ folder, window: [], periods: {} }));
    }
    for (const period of periods) {
      if (!kept?.has(period)) gone.push(...feedPaths(archiveFolder(folder, period)));
    }
  }
  // Earlier versions numbered their archive pages; the numbers stop at the first one missing.
  for (let page = 1; ; page += 1) {
    const paths = feedPaths(`archive/${page}/`);
    if (!paths[0] || !(await output.read(paths[0]))) break;
    gone.push(...paths);
  }
  const deleted: string[] = [];
  for (const path of gone) if (!written.has(path) && (await output.delete(path))) deleted.push(path);
  return deleted;
}

/** The sets and archive periods the state knew before this rebuild, by folder. */
async function readPreviousLayout(context: RebuildContext): Promise<Map<string, string[]>> {
  const layout = new Map<string, string[]>();
  for (const folder of [mainSet, ...Object.keys(context.previous?.categories ?? {})]) {
    const key = stateKeys.manifest(folder);
    const stored = await context.state.read(key);
    if (stored) layout.set(folder, Object.keys(decodeManifest(stored.text, key).periods));
  }
  return layout;
}
