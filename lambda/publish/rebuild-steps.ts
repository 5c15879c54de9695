import { randomUUID } from 'node:crypto';
import { archiveFolder, categoryNameIn, mainSet, type SetManifest } from '../core/feed-sets/feed-set.ts';
import { layoutKeys } from '../core/feed-sets/layout-sets.ts';
import {
  neighboursIn,
  renderPageFiles,
  renderWindowFiles,
  windowPaths,
} from '../core/feed-sets/set-files.ts';
import type { Article, FeedFile, RecordError, SiteConfig } from '../core/model.ts';
import type { Remembered } from '../core/records/read-record-state.ts';
import {
  type ClaimCandidate,
  deltaOf,
  readRecordState,
  rejectClaim,
  resolveClaims,
} from '../core/records/read-record-state.ts';
import { renderArticlePageFile } from '../core/render/article-page.ts';
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
  type StatePlaces,
} from '../core/state/site-state.ts';
import { legacyStatePath, stateKeys } from '../core/state/state-keys.ts';
import { storeArticle } from '../core/state/stored-article.ts';
import {
  mapLimited,
  type OutputStore,
  type RecordStore,
  type StateStore,
  WriteConflictError,
} from '../stores/store.ts';
import { unquote } from './record-step.ts';
import { writeFile } from './retry.ts';

/**
 * The steps of a rebuild. Each takes and returns plain data, so they run one after another in
 * one process (the CLI, a small archive) or as messages on a queue, spread over invocations
 * (a large archive in Lambda); both give the same files.
 */
export interface RebuildContext {
  readonly site: SiteConfig;
  readonly records: RecordStore;
  readonly state: StateStore;
  readonly output: OutputStore;
  readonly now: Date;
  /** The output and content source the new state records. */
  readonly places?: StatePlaces;
}

const concurrency = 32;
/** Records read in one step: a few seconds of work and a few MB of memory. */
export const readChunkSize = 500;
/** Articles rendered in one step, across the archive pages it holds. */
const renderTaskSize = 500;

/** What a rebuild keeps of a record once it is read: enough to lay out the sets, not the article. */
export interface IndexedRecord {
  readonly key: string;
  readonly id: string;
  readonly published: string;
  readonly sets: readonly string[];
  readonly period: string;
  /** Its article page, when it is placed and has no url of its own. */
  readonly page?: string;
  /** An article page an earlier version had that this one does not. */
  readonly leftPage?: string;
  readonly delta: RecordDelta;
  readonly candidate?: ClaimCandidate;
  readonly warnings?: readonly RecordError[];
}

/** Some archive pages of one set, rendered in one step. */
export interface RenderTask {
  readonly folder: string;
  readonly pages: readonly (readonly [string, readonly string[]])[];
  /** Every period of the set, for the pages' links. */
  readonly periods: readonly string[];
  /** The revision the rebuild gives every set, carried by the files it writes. */
  readonly revision: number;
  /** The tag of the shard objects the rebuild writes (`stateKeys.shard`). */
  readonly shardTag: string;
}

/** What the rebuild replaces: each set's archive periods, and the revision after theirs. */
export interface PreviousLayout {
  readonly periods: Readonly<Record<string, readonly string[]>>;
  /** One more than the latest revision of any set, so the rebuild's files replace every earlier one. */
  readonly revision: number;
}

export interface RebuildPlan {
  readonly windows: readonly {
    readonly folder: string;
    readonly keys: readonly string[];
    readonly periods: Readonly<Record<string, number>>;
  }[];
  readonly tasks: readonly RenderTask[];
  readonly revision: number;
  readonly shardTag: string;
  readonly deltas: readonly RecordDelta[];
  /** The article pages this layout has, and those earlier versions had that it does not. */
  readonly pages: { readonly kept: readonly string[]; readonly left: readonly string[] };
  readonly notices: readonly RecordError[];
  readonly warnings: readonly RecordError[];
}

/** Before anything is written: the sets and periods of the layout being replaced. */
export async function readPreviousLayout(
  context: RebuildContext,
  previous: SiteState | undefined,
): Promise<PreviousLayout> {
  const periods: Record<string, string[]> = {};
  let latest = 0;
  for (const folder of [mainSet, ...Object.keys(previous?.categories ?? {})]) {
    const key = stateKeys.manifest(folder);
    const stored = await context.state.read(key);
    if (!stored) continue;
    const manifest = decodeManifest(stored.text, key);
    periods[folder] = Object.keys(manifest.periods);
    latest = Math.max(latest, manifest.revision ?? 0);
  }
  return { periods, revision: latest + 1 };
}

/**
 * Step 1: some records read into their record states. Ids and last good versions carry over from
 * their record states, or from `legacy` (what the earlier single-file state remembered).
 */
export async function readChunk(
  context: RebuildContext,
  keys: readonly string[],
  legacy?: (key: string) => Remembered | undefined,
): Promise<IndexedRecord[]> {
  const { site, state, now } = context;
  const indexed = await mapLimited(keys, concurrency, async (key): Promise<IndexedRecord | undefined> => {
    const where = stateKeys.record(key);
    const [body, current] = await Promise.all([context.records.readRecord(key), state.read(where)]);
    if (!body) return undefined;
    const known: Remembered | undefined =
      legacy?.(key) ?? (current ? decodeRecordState(current.text, where) : undefined);
    const read = readRecordState({
      site,
      record: { key, body: body.body },
      etag: unquote(body.etag),
      known,
      now,
    });
    await overwrite(state, where, encodeState(read.state), current);
    const leftPage = current ? decodeRecordState(current.text, where).placed?.page : undefined;
    return {
      ...indexOf(read.state, context),
      ...(leftPage && leftPage !== read.state.placed?.page ? { leftPage } : {}),
      candidate: read.candidate,
      ...(read.warnings.length > 0 ? { warnings: read.warnings } : {}),
    };
  });
  return indexed.filter((record) => record !== undefined);
}

function indexOf(record: RecordState, { now, site }: RebuildContext): IndexedRecord {
  const article = articleOf(record);
  return {
    key: record.key,
    id: record.id ?? '',
    published: article?.published.toISOString() ?? '',
    sets: record.placed?.sets ?? [],
    period: record.placed?.period ?? '',
    ...(record.placed?.page ? { page: record.placed.page } : {}),
    delta: deltaOf(record, now, site),
  };
}

/** Step 2: id claims settled (losers rewritten without their article) and every set laid out by key. */
export async function planRebuild(
  context: RebuildContext,
  records: readonly IndexedRecord[],
  revision: number,
): Promise<RebuildPlan> {
  const { state, site } = context;
  const claims = resolveClaims(records.flatMap((record) => (record.candidate ? [record.candidate] : [])));
  const byKey = new Map(records.map((record) => [record.key, record]));
  await mapLimited([...claims.losers], concurrency, async ([key, error]) => {
    const where = stateKeys.record(key);
    const current = await state.read(where);
    if (!current) return;
    const rejected = rejectClaim(decodeRecordState(current.text, where), error);
    await overwrite(state, where, encodeState(rejected), current);
    byKey.set(key, indexOf(rejected, context));
  });
  await mapLimited(claims.winners, concurrency, ({ id, key, since }) =>
    overwrite(state, stateKeys.idClaim(id), encodeState({ id, key, since })),
  );
  const layouts = layoutKeys(
    site,
    [...byKey.values()]
      .filter((record) => record.sets.length > 0)
      .map((record) => ({ ...record, published: new Date(record.published) })),
  );
  const tasks: RenderTask[] = [];
  const shardTag = `${revision}-${randomUUID().slice(0, 8)}`;
  for (const layout of layouts) {
    const periods = [...layout.pages.keys()];
    let task: [string, readonly string[]][] = [];
    let size = 0;
    for (const page of layout.pages) {
      task.push(page);
      size += page[1].length;
      if (size >= renderTaskSize) {
        tasks.push({ folder: layout.folder, pages: task, periods, revision, shardTag });
        task = [];
        size = 0;
      }
    }
    if (task.length > 0) tasks.push({ folder: layout.folder, pages: task, periods, revision, shardTag });
  }
  return {
    windows: layouts.map((layout) => ({
      folder: layout.folder,
      keys: layout.window,
      periods: Object.fromEntries([...layout.pages].map(([period, keys]) => [period, keys.length])),
    })),
    tasks,
    revision,
    shardTag,
    deltas: [...byKey.values()].map((record) => record.delta),
    pages: {
      kept: [...byKey.values()].flatMap((record) => (record.sets.includes(mainSet) && record.page) || []),
      left: records.flatMap((record) => record.leftPage ?? []),
    },
    notices: claims.notices.filter((notice) => !claims.losers.has(notice.key)),
    warnings: records.flatMap((record) => record.warnings ?? []),
  };
}

/** Step 3: some archive pages of one set: their shards and their files. Answers the paths written. */
export async function renderTask(context: RebuildContext, task: RenderTask): Promise<string[]> {
  const written: string[] = [];
  for (const [period, keys] of task.pages) {
    const articles = await loadArticles(context.state, keys);
    await overwrite(
      context.state,
      stateKeys.shard(task.folder, period, task.shardTag),
      encodeState(articles.map(storeArticle)),
    );
    written.push(
      ...(await publish(
        context.output,
        [
          ...renderPageFiles(context.site, task.folder, period, articles, neighboursIn(task.periods, period)),
          ...articlePages(context.site, task.folder, articles),
        ],
        task.revision,
      )),
    );
  }
  return written;
}

/**
 * Step 4: every set's window and manifest, the subscribe page, the site state; then whatever the
 * previous layout had that this one does not (pages, sets, record states, numbered pages of
 * earlier versions, the single-file state).
 */
export async function finishRebuild(
  context: RebuildContext,
  plan: RebuildPlan,
  previousLayout: PreviousLayout,
  alreadyWritten: ReadonlySet<string>,
): Promise<{ report: PublishReport; written: string[]; deleted: string[] }> {
  const { site, state, output, now } = context;
  const { revision } = plan;
  const written: string[] = [];
  const categories = new Map<string, string | undefined>();
  let mainWindow: Article[] = [];
  for (const { folder, keys, periods } of plan.windows) {
    const window = await loadArticles(state, keys);
    const shards = Object.fromEntries(Object.keys(periods).map((period) => [period, plan.shardTag]));
    const manifest: SetManifest = { folder, window: window.map(storeArticle), periods, revision, shards };
    await overwrite(state, stateKeys.manifest(folder), encodeState(manifest));
    written.push(
      ...(await publish(
        output,
        [
          ...renderWindowFiles(site, folder, window, Object.keys(periods).at(-1)),
          ...articlePages(site, folder, window),
        ],
        revision,
      )),
    );
    if (folder === mainSet) mainWindow = window;
    else categories.set(folder, window[0] && categoryNameIn(window[0], folder));
  }
  const siteState: SiteState = {
    ...applyDeltas(emptySiteState(readingKey(site), renderingKey(site)), plan.deltas, categories),
    reconciledAt: now.toISOString(),
    // Every file was written through the ledger's output (runPublish, runRebuildMessage).
    ledger: true,
    ...(context.places ? { places: context.places } : {}),
  };
  written.push(
    ...(await publish(
      output,
      [renderSubscribePageFile(site, mainWindow.slice(0, subscribePageItems), siteState.categories)],
      revision,
    )),
  );

  const kept = new Set(plan.deltas.map((delta) => delta.key));
  const stale: string[] = [];
  for await (const page of state.list(stateKeys.recordsPrefix)) {
    for (const entry of page) {
      if (!kept.has(entry.key.slice(stateKeys.recordsPrefix.length))) stale.push(entry.key);
    }
  }
  const stalePages = await mapLimited(stale, concurrency, async (key) => {
    const stored = await state.read(key);
    const record = stored ? decodeRecordState(stored.text, key) : undefined;
    // Only the version read here goes: a record state written since belongs to a record this
    // rebuild did not see, and the reconcile after it decides about that one.
    if (stored) {
      const removed = await state.delete(key, { version: stored.version }).then(
        () => true,
        (error: unknown) => {
          if (error instanceof WriteConflictError) return false;
          throw error;
        },
      );
      if (!removed) return [];
    }
    return [record?.placed, ...(record?.unsettled?.from ?? [])].flatMap((placement) => placement?.page ?? []);
  });
  const current = new Map(
    plan.windows.map((window) => [window.folder, new Set(Object.keys(window.periods))]),
  );
  const gone: string[] = [];
  for (const [folder, periods] of Object.entries(previousLayout.periods)) {
    const pages = current.get(folder);
    if (!pages) {
      gone.push(...windowPaths(folder));
      const emptied: SetManifest = { folder, window: [], periods: {}, revision, shards: {} };
      await overwrite(state, stateKeys.manifest(folder), encodeState(emptied));
    }
    for (const period of periods)
      if (!pages?.has(period)) gone.push(...feedPaths(archiveFolder(folder, period)));
  }
  // Earlier versions numbered their archive pages; the numbers stop at the first one missing.
  for (let page = 1; ; page += 1) {
    const paths = feedPaths(`archive/${page}/`);
    if (!paths[0] || !(await output.read(paths[0]))) break;
    gone.push(...paths);
  }
  const keptPages = new Set(plan.pages.kept);
  gone.push(...[...plan.pages.left, ...stalePages.flat()].filter((path) => !keptPages.has(path)));
  const deleted: string[] = [];
  for (const path of new Set(gone)) {
    if (!alreadyWritten.has(path) && !written.includes(path) && (await output.delete(path, revision)))
      deleted.push(path);
  }
  await overwrite(state, stateKeys.site, encodeState(siteState));
  await removeOtherShards(state, [...current.keys(), ...Object.keys(previousLayout.periods)], plan);
  if (await output.read(legacyStatePath)) await output.delete(legacyStatePath);

  return {
    report: {
      published: siteState.counts.published,
      drafts: siteState.counts.draft,
      embargoed: siteState.counts.embargoed,
      expired: siteState.counts.expired,
      errors: Object.values(siteState.invalid).flatMap((entry) => entry.errors),
      warnings: [...plan.notices, ...plan.warnings],
      keptLastGood: Object.entries(siteState.invalid)
        .filter(([, entry]) => entry.keptLastGood)
        .map(([key]) => key),
      nextChangeAt: duePending(siteState, now).next,
    },
    written,
    deleted,
  };
}

/**
 * Shard objects the new manifests do not point at: those of the layout replaced, and any a
 * commit that failed midway left behind.
 */
async function removeOtherShards(
  state: StateStore,
  folders: readonly string[],
  plan: RebuildPlan,
): Promise<void> {
  const kept = new Set(
    plan.windows.flatMap((window) =>
      Object.keys(window.periods).map((period) => stateKeys.shard(window.folder, period, plan.shardTag)),
    ),
  );
  const other: string[] = [];
  for (const folder of new Set(folders)) {
    for await (const page of state.list(stateKeys.shardsPrefix(folder))) {
      other.push(...page.map((entry) => entry.key).filter((key) => !kept.has(key)));
    }
  }
  await mapLimited(other, concurrency, (key) => state.delete(key));
}

/** The pages of a main-set task's articles that have no url of their own. */
function articlePages(site: SiteConfig, folder: string, articles: readonly Article[]): FeedFile[] {
  return folder === mainSet ? articles.flatMap((article) => renderArticlePageFile(site, article) ?? []) : [];
}

async function loadArticles(state: StateStore, keys: readonly string[]): Promise<Article[]> {
  const articles = await mapLimited(keys, concurrency, async (key) => {
    const where = stateKeys.record(key);
    const stored = await state.read(where);
    return stored ? articleOf(decodeRecordState(stored.text, where)) : undefined;
  });
  return articles.filter((article) => article !== undefined);
}

async function publish(output: OutputStore, files: readonly FeedFile[], revision: number): Promise<string[]> {
  const outcomes = await mapLimited(files, concurrency, (file) => writeFile(output, file, revision));
  return files.filter((_, index) => outcomes[index]).map((file) => file.path);
}

/** Writes over whatever version is there (a rebuild owns the state while it runs). */
export async function overwrite(
  state: StateStore,
  key: string,
  text: string,
  current?: { text: string; version: string },
): Promise<void> {
  const known = current ?? (await state.read(key));
  if (known?.text !== text) await state.write(key, text, { version: known?.version });
}
