import type { Article, FeedFile, SiteConfig } from '../model.ts';
import { newestFirst } from '../order.ts';
import { periodOf } from '../periods.ts';
import { articlePagePath } from '../render/article-address.ts';
import { neighbourLinks, renderArticlePageFile } from '../render/article-page.ts';
import { loadArticle, storeArticle } from '../stored-article.ts';
import {
  linkedNeighbours,
  neighboursIn,
  type Surroundings,
  type Timeline,
  type TimelineArticle,
  windowSegment,
} from './article-neighbours.ts';
import { mainSet, type SetManifest, type Shard } from './feed-set.ts';
import {
  neighboursIn as periodNeighboursIn,
  periodPaths,
  renderArchiveIndex,
  renderPageFiles,
  renderWindowFiles,
  windowPaths,
} from './set-files.ts';

/** What changed in one set. */
export interface SetChange {
  /** Keys that leave the set or change in it, with the period their last placed version belongs to. */
  readonly removals: readonly { readonly key: string; readonly period: string }[];
  /** Visible articles of the set, new or changed. */
  readonly upserts: readonly Article[];
  /** Article pages the changed records may have had (main set only): those not rendered again go. */
  readonly pages?: readonly string[];
}

export interface SetUpdateInput {
  readonly site: SiteConfig;
  readonly manifest: SetManifest;
  /** Archive periods read so far; `updateSet` asks for more when it needs them. */
  readonly shards: ReadonlyMap<string, Shard>;
  readonly change: SetChange;
  /** Render the window and every page this change touches even when unchanged (after losing a race). */
  readonly renderTouched?: boolean;
}

export type SetUpdate =
  | { readonly kind: 'need'; readonly periods: readonly string[] }
  | {
      readonly kind: 'done';
      readonly manifest: SetManifest;
      /** Periods whose shard changed; an empty shard is deleted. */
      readonly shards: ReadonlyMap<string, Shard>;
      readonly files: readonly FeedFile[];
      /** Published paths that no longer exist (emptied archive pages, an emptied category). */
      readonly deletes: readonly string[];
    };

/** Raised inside the update when a period must be read first; the caller reads it and calls again. */
class NeedPeriods {
  constructor(readonly periods: readonly string[]) {}
}

/**
 * Applies one change to a set, reading only the archive periods it touches: the periods of
 * removed and backdated articles, the newest period when the window must refill or spill, and
 * the neighbours of pages that appear or vanish. The result is the same window and pages a
 * publish from scratch gives for the same articles (`layoutSet`), so the order in which changes
 * arrive never shows in the output. Pure; when a period is missing, it answers which to read.
 */
export function updateSet(input: SetUpdateInput): SetUpdate {
  try {
    return applyChange(input, (period) => input.shards.get(period));
  } catch (signal) {
    if (signal instanceof NeedPeriods) return { kind: 'need', periods: [...new Set(signal.periods)] };
    throw signal;
  }
}

function applyChange(input: SetUpdateInput, readShard: (period: string) => Shard | undefined): SetUpdate {
  const run = new SetChangeRun(input, readShard);
  run.takeOutChanged();
  const window = run.refillWindow();
  const next = run.nextManifest(window);
  const shards = run.changedShards();
  const files: FeedFile[] = [];
  const deletes: string[] = [];
  run.renderWindow(next, window, files, deletes);
  run.renderPeriods(next, shards, files, deletes);
  if (input.manifest.folder === mainSet) run.renderArticlePages(next, window, files, deletes);
  return { kind: 'done', manifest: next, shards, files, deletes };
}

/** One change applied to one set, a phase at a time, over the periods it opens. */
class SetChangeRun {
  private readonly site: SiteConfig;
  private readonly manifest: SetManifest;
  private readonly change: SetChange;
  private readonly renderTouched: boolean;
  /** The periods opened, as this change leaves them. */
  private readonly work = new Map<string, Article[]>();
  private readonly missing: string[] = [];
  private readonly changedKeys: ReadonlySet<string>;
  private readonly inWindow: ReadonlySet<string>;
  /**
   * Periods a changed key left or entered: rendered even when their shard reads the same, since an
   * interrupted earlier run may have written the shard and not the page.
   */
  private readonly touched = new Set<string>();
  /** The changed keys' articles as the set held them. */
  private readonly previous: Article[];
  /** The set's periods before the change, oldest first. */
  private readonly before: readonly string[];

  constructor(
    input: SetUpdateInput,
    private readonly readShard: (period: string) => Shard | undefined,
  ) {
    this.site = input.site;
    this.manifest = input.manifest;
    this.change = input.change;
    this.renderTouched = input.renderTouched ?? false;
    const { change, manifest } = this;
    this.changedKeys = new Set([...change.removals.map((r) => r.key), ...change.upserts.map((a) => a.key)]);
    this.inWindow = new Set(manifest.window.map((article) => article.key));
    this.previous = manifest.window.filter((article) => this.changedKeys.has(article.key)).map(loadArticle);
    this.before = Object.keys(manifest.periods).sort();
  }

  private period(article: Article): string {
    return periodOf(article.published, this.site.archivePeriod);
  }

  /** The period's articles as this change leaves them; undefined while the period is still unread. */
  private open(label: string): Article[] | undefined {
    const opened = this.work.get(label);
    if (opened) return opened;
    if (!(label in this.manifest.periods)) {
      this.work.set(label, []);
      return this.work.get(label);
    }
    const shard = this.readShard(label);
    if (shard === undefined) {
      this.missing.push(label);
      return undefined;
    }
    const articles = shard.map(loadArticle);
    this.work.set(label, articles);
    return articles;
  }

  /** The periods opened; when any is unread, the caller is asked to read them all first. */
  private openAll(labels: Iterable<string>): Map<string, Article[]> {
    const result = new Map<string, Article[]>();
    for (const label of labels) {
      const articles = this.open(label);
      if (articles) result.set(label, articles);
    }
    if (this.missing.length > 0) throw new NeedPeriods(this.missing);
    return result;
  }

  /**
   * Takes every changed key out of wherever it sits: its last placed period, and (after an
   * interrupted run) the period of its new version.
   */
  takeOutChanged(): void {
    const { change, manifest } = this;
    const sources = new Set([
      ...change.removals
        .filter((removal) => !this.inWindow.has(removal.key))
        .map((removal) => removal.period),
      ...change.upserts.map((article) => this.period(article)).filter((label) => label in manifest.periods),
    ]);
    for (const [label, articles] of this.openAll(sources)) {
      const removed = removeKeys(articles, this.changedKeys);
      this.previous.push(...removed);
      if (removed.length > 0) this.touched.add(label);
    }
  }

  /**
   * The new window: the unchanged window and the upserts, refilled from the newest archive periods
   * while one of them may hold an article newer than the window's last (all of a period's articles
   * are newer than all of an older period's); what no longer fits spills into its period.
   */
  refillWindow(): Article[] {
    const { manifest, change } = this;
    const { maxItems } = this.site;
    const candidates = [
      ...manifest.window.filter((article) => !this.changedKeys.has(article.key)).map(loadArticle),
      ...change.upserts,
    ].sort(newestFirst);
    for (const label of [...this.before].reverse()) {
      const last = candidates[maxItems - 1];
      if (last && this.period(last) > label) break;
      const [articles = []] = this.openAll([label]).values();
      candidates.push(...articles.splice(0));
      candidates.sort(newestFirst);
    }
    const window = candidates.slice(0, maxItems);
    const spilled = candidates.slice(maxItems);
    const targets = this.openAll(new Set(spilled.map((article) => this.period(article))));
    for (const article of spilled) {
      targets.get(this.period(article))?.push(article);
      if (this.changedKeys.has(article.key)) this.touched.add(this.period(article));
    }
    for (const articles of this.work.values()) articles.sort(newestFirst);
    return window;
  }

  /** The set's manifest after the change: its window, and each period that still holds articles. */
  nextManifest(window: readonly Article[]): SetManifest {
    const { manifest } = this;
    const periods: Record<string, number> = {};
    for (const label of new Set([...Object.keys(manifest.periods), ...this.work.keys()])) {
      const count = this.work.get(label)?.length ?? manifest.periods[label] ?? 0;
      if (count > 0) periods[label] = count;
    }
    return {
      folder: manifest.folder,
      window: window.map(storeArticle),
      periods: Object.fromEntries(
        Object.keys(periods)
          .sort()
          .map((label) => [label, periods[label] ?? 0]),
      ),
    };
  }

  /** The periods whose shard the change alters. */
  changedShards(): Map<string, Shard> {
    const shards = new Map<string, Shard>();
    for (const [label, articles] of this.work) {
      const stored = articles.map(storeArticle);
      const previous = label in this.manifest.periods ? this.readShard(label) : [];
      if (!sameJson(stored, previous ?? [])) shards.set(label, stored);
    }
    return shards;
  }

  /** The current files and the archive index, when they change; a category left empty goes. */
  renderWindow(next: SetManifest, window: readonly Article[], files: FeedFile[], deletes: string[]): void {
    const { site, manifest, renderTouched, before } = this;
    const sortedPeriods = Object.keys(next.periods).sort();
    const emptied = next.window.length === 0 && sortedPeriods.length === 0 && manifest.folder !== mainSet;
    if (emptied) {
      // Finishing an interrupted run, the removal may not have happened though the state says so.
      if (renderTouched || manifest.window.length > 0 || before.length > 0)
        deletes.push(...windowPaths(manifest.folder));
      return;
    }
    if (
      renderTouched ||
      !sameJson(next.window, manifest.window) ||
      sortedPeriods.at(-1) !== before.at(-1) ||
      [...this.inWindow, ...window.map((article) => article.key)].some((key) => this.changedKeys.has(key))
    ) {
      files.push(...renderWindowFiles(site, manifest.folder, window, next.periods));
    }
    // The archive index tells each period's count, the window's size and the set's name.
    if (
      renderTouched ||
      !sameJson(next.periods, manifest.periods) ||
      next.window.length !== manifest.window.length ||
      !sameJson(next.window[0], manifest.window[0])
    ) {
      files.push(renderArchiveIndex(site, manifest.folder, window, next.periods));
    }
  }

  /** The archive pages the change alters, or whose neighbours it alters; those it empties go. */
  renderPeriods(
    next: SetManifest,
    shards: ReadonlyMap<string, Shard>,
    files: FeedFile[],
    deletes: string[],
  ): void {
    const { site, manifest, renderTouched, before, work, change } = this;
    const sortedPeriods = Object.keys(next.periods).sort();
    // Finishing an interrupted run: the pages it changed may not all have been written, and that
    // includes neighbours whose links it changed, which a second look no longer tells apart.
    const neighbours = new Set(
      renderTouched
        ? [...work.keys()].flatMap((label) => Object.values(periodNeighboursIn(sortedPeriods, label)))
        : [],
    );
    const toRender = sortedPeriods.filter(
      (label) =>
        shards.has(label) ||
        this.touched.has(label) ||
        (renderTouched && (work.has(label) || neighbours.has(label))) ||
        !sameJson(periodNeighboursIn(before, label), periodNeighboursIn(sortedPeriods, label)),
    );
    for (const [label, articles] of this.openAll(toRender)) {
      files.push(
        ...renderPageFiles(site, manifest.folder, label, articles, periodNeighboursIn(sortedPeriods, label)),
      );
    }
    const emptiedPeriods = new Set(before.filter((label) => !(label in next.periods)));
    if (renderTouched) {
      const labels = [
        ...change.removals.map((removal) => removal.period),
        ...change.upserts.map((article) => this.period(article)),
      ];
      for (const label of labels) if (!(label in next.periods)) emptiedPeriods.add(label);
    }
    for (const label of emptiedPeriods) deletes.push(...periodPaths(manifest.folder, label));
  }

  /** The main set's article pages the change writes and removes (see articlePageChanges). */
  renderArticlePages(
    next: SetManifest,
    window: readonly Article[],
    files: FeedFile[],
    deletes: string[],
  ): void {
    const { site, manifest, change, before, work } = this;
    const { archivePeriod } = site;
    const need = (label: string): Shard => {
      const shard = this.readShard(label);
      if (shard === undefined) throw new NeedPeriods([label]);
      return shard;
    };
    const loaded = new Map<string, readonly Article[]>();
    const loadShard = (label: string) => {
      const articles = loaded.get(label) ?? need(label).map(loadArticle);
      loaded.set(label, articles);
      return articles;
    };
    const removedFrom = new Map(change.removals.map((removal) => [removal.key, removal.period]));
    const windowAfter = new Set(window.map((article) => article.key));
    const timelines: MainTimelines = {
      before: {
        segments: [windowSegment, ...[...before].reverse()],
        read: (segment) => (segment === windowSegment ? manifest.window : need(segment)),
      },
      after: {
        segments: [windowSegment, ...Object.keys(next.periods).sort().reverse()],
        read: (segment) => (segment === windowSegment ? window : (work.get(segment) ?? loadShard(segment))),
      },
      segmentBefore: (key, published) =>
        this.inWindow.has(key)
          ? windowSegment
          : (removedFrom.get(key) ?? periodOf(new Date(published), archivePeriod)),
      segmentAfter: (key, published) =>
        windowAfter.has(key) ? windowSegment : periodOf(new Date(published), archivePeriod),
    };
    const pages = articlePageChanges(site, change, this.previous, this.renderTouched, timelines);
    files.push(...pages.files);
    deletes.push(...pages.deletes);
  }
}

/** The main set before and after a change, and where a key sits in each. */
interface MainTimelines {
  readonly before: Timeline<TimelineArticle>;
  readonly after: Timeline<Article>;
  readonly segmentBefore: (key: string, published: Date | string) => string;
  readonly segmentAfter: (key: string, published: Date | string) => string;
}

/**
 * The article pages a change to the main set writes and removes: a page for each new or changed
 * article without a url of its own, and for each article whose newer or older neighbour now
 * links differently (one came, went, or changed its title); the pages the changed records had
 * and no longer have.
 */
function articlePageChanges(
  site: SiteConfig,
  change: SetChange,
  previous: readonly Article[],
  renderTouched: boolean,
  timelines: MainTimelines,
): { files: FeedFile[]; deletes: string[] } {
  const { before: then, after: now, segmentBefore, segmentAfter } = timelines;
  const before = new Map(previous.map((article) => [article.key, article]));
  const aroundBefore = (article: TimelineArticle) =>
    neighboursIn(then, segmentBefore(article.key, article.published), article.key);
  const aroundAfter = (article: TimelineArticle) =>
    neighboursIn(now, segmentAfter(article.key, article.published), article.key);
  const sameLinks = (
    a: Surroundings<TimelineArticle> | undefined,
    b: Surroundings<TimelineArticle> | undefined,
  ) => sameJson(neighbourLinks(site, linkedNeighbours(a)), neighbourLinks(site, linkedNeighbours(b)));
  const files: FeedFile[] = [];
  const render = (article: Article, found: Surroundings<Article> | undefined) => {
    const file = renderArticlePageFile(site, article, linkedNeighbours(found));
    if (file) files.push(file);
  };
  const changedKeys = new Set([...change.upserts.map((article) => article.key), ...before.keys()]);
  /** Unchanged articles next to a changed one, before or after the change. */
  const nextToChanged = new Map<string, TimelineArticle>();
  const noteNeighbours = (found: Surroundings<TimelineArticle> | undefined) => {
    for (const neighbour of [found?.newer, found?.older])
      if (neighbour && !changedKeys.has(neighbour.article.key))
        nextToChanged.set(neighbour.article.key, neighbour.article);
  };
  for (const old of before.values()) noteNeighbours(aroundBefore(old));
  for (const article of change.upserts) {
    const old = before.get(article.key);
    const after = aroundAfter(article);
    noteNeighbours(after);
    const same =
      old !== undefined &&
      sameJson(storeArticle(old), storeArticle(article)) &&
      sameLinks(aroundBefore(old), after);
    if (!same || renderTouched) render(article, after);
  }
  for (const neighbour of nextToChanged.values()) {
    if (articlePagePath(neighbour) === undefined) continue;
    const after = aroundAfter(neighbour);
    if (after && (renderTouched || !sameLinks(aroundBefore(neighbour), after))) render(after.article, after);
  }
  const kept = new Set(change.upserts.map(articlePagePath));
  const left = [...previous.map(articlePagePath), ...(change.pages ?? [])];
  return {
    files,
    deletes: [...new Set(left)].filter((path): path is string => path !== undefined && !kept.has(path)),
  };
}

/** Takes the articles with these keys out; answers those taken. */
function removeKeys(articles: Article[], keys: ReadonlySet<string>): Article[] {
  const removed: Article[] = [];
  for (let index = articles.length - 1; index >= 0; index -= 1) {
    const article = articles[index];
    if (article && keys.has(article.key)) removed.push(...articles.splice(index, 1));
  }
  return removed;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
