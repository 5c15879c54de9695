import { mapLimited } from '../core/async-lists.ts';
import { eachWithNeighbours } from '../core/feed-sets/article-neighbours.ts';
import { mainSet, type SetManifest } from '../core/feed-sets/feed-set.ts';
import { neighboursIn, renderCurrentFiles, renderPageFiles } from '../core/feed-sets/set-files.ts';
import type { Article, FeedFile, SiteConfig } from '../core/model.ts';
import { articlePagesFolder } from '../core/render/article-address.ts';
import { renderArticlePageFile } from '../core/render/article-page.ts';
import { renderSitePageFiles, sitePagePaths } from '../core/render/subscribe-file.ts';
import { subscribePageItems } from '../core/render/subscribe-page.ts';
import { decodeManifest, decodeShard } from '../core/state/codec.ts';
import type { SiteState } from '../core/state/site-state.ts';
import { stateKeys } from '../core/state/state-keys.ts';
import { loadArticle } from '../core/stored-article.ts';
import type { StateStore } from '../stores/ports.ts';
import { type RecordingOutput, readLedger } from './output-ledger.ts';
import { writeFile } from './retry.ts';

/** What a look at the output found, and what was done about it. */
export interface OutputCheck {
  /** Files the state names that were not in the output. */
  readonly missing: readonly string[];
  /** Files whose tag is not the one the publisher wrote: someone else changed them. */
  readonly altered: readonly string[];
  /** Files rendered from the state and written again (missing or altered ones). */
  readonly restored: readonly string[];
  /** Files in the output that the state does not name: left as they are, and reported. */
  readonly unknown: readonly string[];
  /** Files the publisher once wrote that the state no longer names (in S3, by their metadata): removed. */
  readonly removed: readonly string[];
}

export interface OutputCheckContext {
  readonly site: SiteConfig;
  readonly state: StateStore;
  readonly output: RecordingOutput;
}

/**
 * Compares the output with the ledger: one listing of the output (no file is read) against the
 * tags the publisher recorded. Files missing or altered are rendered again from the state and
 * written. A file the ledger does not name but the state renders (written by a run that died
 * before noting it) is taken into the ledger; one the state does not render is reported, and
 * removed when the store shows it is the publisher's own leftover. The ledger must be whole
 * (`siteState.ledger`): a state from before it is rebuilt first (runPublish).
 */
export async function checkOutput(context: OutputCheckContext, siteState: SiteState): Promise<OutputCheck> {
  const ledger = await readLedger(context.state);
  const altered: string[] = [];
  const found: string[] = [];
  const seen = new Set<string>();
  for await (const page of context.output.list(ledger)) {
    for (const { path, tag } of page) {
      const known = ledger.get(path);
      seen.add(path);
      if (!known) found.push(path);
      else if (known.tag !== tag) altered.push(path);
    }
  }
  const missing = [...ledger.keys()].filter((path) => !seen.has(path));
  const ours = found.filter(isPublisherPath);
  const wanted = wantedFrom([...missing, ...altered, ...ours]);
  if (isEmpty(wanted)) return { missing, altered, restored: [], unknown: found, removed: [] };
  const { restored, produced, revision } = await restore(context, siteState, wanted);
  // A ledger entry the state no longer renders is a file a run removed without noting it.
  for (const path of [...missing, ...altered]) {
    if (!produced.has(path)) context.output.forget(path, ledger.get(path)?.revision ?? 0);
  }
  const removed: string[] = [];
  const unknown: string[] = [];
  for (const path of found.filter((candidate) => !produced.has(candidate))) {
    // Only a file the store shows the publisher wrote, and no later revision than the state read.
    const own = isPublisherPath(path) && (await context.output.isOwn(path));
    if (own && (await context.output.delete(path, revision))) removed.push(path);
    else unknown.push(path);
  }
  return { missing, altered, restored, unknown, removed };
}

/** Whether a path is one the publisher writes: a set's feed or page, the subscribe page, an article page. */
function isPublisherPath(path: string): boolean {
  if (sitePagePaths.includes(path)) return true;
  if (path.startsWith(articlePagesFolder)) return /^articles\/[^/]+\/index\.html$/.test(path);
  const match = setFilePattern.exec(path);
  return match !== null && !(match[2] !== undefined && match[3] === 'index.html');
}

/** Which files to render again: the site's pages (subscribe, categories), sets' windows and periods, article pages. */
interface Wanted {
  subscribe: boolean;
  readonly sets: Map<string, { window: boolean; periods: Set<string> }>;
  /** Article page paths. */
  readonly articles: Set<string>;
}

const setFilePattern =
  /^((?:categories\/[^/]+\/)?)(?:archive\/([^/]+)\/)?(rss\.xml|atom\.xml|feed\.json|index\.html)$/;

/** The renders that give back these paths; a path no render gives is left out. */
function wantedFrom(paths: readonly string[]): Wanted {
  const wanted: Wanted = { subscribe: false, sets: new Map(), articles: new Set() };
  for (const path of paths) {
    if (sitePagePaths.includes(path)) {
      wanted.subscribe = true;
      continue;
    }
    if (path.startsWith(articlePagesFolder)) {
      wanted.articles.add(path);
      continue;
    }
    const match = setFilePattern.exec(path);
    if (!match) continue;
    const [, folder = '', period, name] = match;
    if (period !== undefined && name === 'index.html') continue;
    const set = wanted.sets.get(folder) ?? { window: false, periods: new Set<string>() };
    if (period === undefined) set.window = true;
    else set.periods.add(period);
    wanted.sets.set(folder, set);
  }
  return wanted;
}

function isEmpty(wanted: Wanted): boolean {
  return !wanted.subscribe && wanted.sets.size === 0 && wanted.articles.size === 0;
}

/** Periods read and rendered at once while restoring. */
const periodConcurrency = 4;

/**
 * Renders the wanted files from the state (manifests and period shards, as committed) and writes
 * them with the revision they were rendered from. Article pages need the articles: the main
 * set's window and every one of its periods are read then, one period at a time.
 */
async function restore(
  context: OutputCheckContext,
  siteState: SiteState,
  wanted: Wanted,
): Promise<{ restored: string[]; produced: Set<string>; revision: number }> {
  const restorer = new Restorer(context, wanted);
  const folders = new Set([...wanted.sets.keys(), ...(wanted.articles.size > 0 ? [mainSet] : [])]);
  let newest = 0;
  for (const folder of folders) newest = Math.max(newest, await restorer.restoreSet(folder));
  if (wanted.subscribe) await restorer.restoreSitePages(siteState);
  return { restored: restorer.restored, produced: restorer.produced, revision: newest };
}

/** Writes wanted files rendered from the state, noting what it produced and what it wrote. */
class Restorer {
  readonly restored: string[] = [];
  readonly produced = new Set<string>();

  constructor(
    private readonly context: OutputCheckContext,
    private readonly wanted: Wanted,
  ) {}

  /** Writes those of `files` that `keep` takes, rendered from `revision`. */
  private async put(
    files: readonly FeedFile[],
    revision: number,
    keep: (path: string) => boolean = () => true,
  ) {
    const chosen = files.filter((file) => keep(file.path));
    for (const file of chosen) this.produced.add(file.path);
    const outcomes = await mapLimited(chosen, 8, (file) => writeFile(this.context.output, file, revision));
    chosen.forEach((file, index) => {
      if (outcomes[index]) this.restored.push(file.path);
    });
  }

  /** A set's wanted current files and archive pages (and, for the main set, article pages); answers its revision. */
  async restoreSet(folder: string): Promise<number> {
    const { site, state } = this.context;
    const manifest = await readManifest(state, folder);
    if (!manifest) return 0;
    const set = this.wanted.sets.get(folder);
    const revision = manifest.revision ?? 0;
    const periods = Object.keys(manifest.periods).sort();
    const window = manifest.window.map(loadArticle);
    if (set?.window && (window.length > 0 || periods.length > 0)) {
      await this.put(renderCurrentFiles(site, folder, window, manifest.periods), revision);
    }
    const readPeriod = async (period: string): Promise<Article[]> => {
      const key = stateKeys.shard(folder, period, manifest.shards?.[period]);
      const stored = await state.read(key);
      if (!stored) return [];
      const articles = decodeShard(stored.text, key).map(loadArticle);
      if (set?.periods.has(period)) {
        await this.put(
          renderPageFiles(site, folder, period, articles, neighboursIn(periods, period)),
          revision,
        );
      }
      return articles;
    };
    if (folder === mainSet && this.wanted.articles.size > 0) {
      await this.restoreArticlePages(window, periods, readPeriod, revision);
    } else {
      const chosen = periods.filter((period) => set?.periods.has(period) === true);
      await mapLimited(chosen, periodConcurrency, readPeriod);
    }
    return revision;
  }

  /**
   * Article pages are found in the main set's periods: every one is read, newest first, and a
   * period's pages are drawn once the next older one is read (its first article is the older
   * neighbour of the period's last).
   */
  private async restoreArticlePages(
    window: readonly Article[],
    periods: readonly string[],
    readPeriod: (period: string) => Promise<Article[]>,
    revision: number,
  ): Promise<void> {
    const { site } = this.context;
    const wantedPage = (path: string) => this.wanted.articles.has(path);
    let newer: Article | undefined;
    let held: readonly Article[] = window;
    for (const period of [...periods].reverse()) {
      const articles = await readPeriod(period);
      await this.put(articlePages(site, held, { newer, older: articles[0] }), revision, wantedPage);
      newer = held.at(-1) ?? newer;
      held = articles;
    }
    await this.put(articlePages(site, held, { newer }), revision, wantedPage);
  }

  /** The subscribe and categories pages. */
  async restoreSitePages(siteState: SiteState): Promise<void> {
    const { site, state } = this.context;
    const main = (await readManifest(state, mainSet)) ?? { folder: mainSet, window: [], periods: {} };
    const files = renderSitePageFiles(
      site,
      main.window.slice(0, subscribePageItems).map(loadArticle),
      siteState.categories,
    );
    await this.put(files, main.revision ?? 0);
  }
}

/** The pages of some consecutive articles of the main set, given the articles just past each end. */
function articlePages(
  site: SiteConfig,
  articles: readonly Article[],
  edges: { readonly newer?: Article; readonly older?: Article },
): FeedFile[] {
  return eachWithNeighbours(articles, edges).flatMap(
    ({ article, ...neighbours }) => renderArticlePageFile(site, article, neighbours) ?? [],
  );
}

async function readManifest(state: StateStore, folder: string): Promise<SetManifest | undefined> {
  const key = stateKeys.manifest(folder);
  const stored = await state.read(key);
  return stored ? decodeManifest(stored.text, key) : undefined;
}
