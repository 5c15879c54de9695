import { eachWithNeighbours } from './feed-sets/article-neighbours.ts';
import { categoryNameIn, mainSet, type SetManifest, type Shard } from './feed-sets/feed-set.ts';
import { layoutSets, manifestOf, renderLayout } from './feed-sets/layout-sets.ts';
import type { FeedFile, SiteConfig, SourceRecord } from './model.ts';
import { newestFirst } from './order.ts';
import { renderArticlePageFile } from './render/article-page.ts';
import { renderSitePageFiles } from './render/subscribe-file.ts';
import type { PublishReport } from './report.ts';
import { readingKey, renderingKey } from './settings-keys.ts';
import type { IdClaim } from './state/codec.ts';
import {
  deltaOf,
  type Remembered,
  readRecordState,
  rejectClaim,
  resolveClaims,
} from './state/read-record-state.ts';
import { articleOf, type RecordState } from './state/record-state.ts';
import { applyDeltas, emptySiteState, type SiteState } from './state/site-state.ts';
import { partitionByVisibility } from './visibility.ts';

/** A record as a from-scratch build sees it: its bytes and the version they are. */
export interface VersionedRecord extends SourceRecord {
  readonly etag: string;
}

export interface BuildInput {
  readonly site: SiteConfig;
  readonly records: readonly VersionedRecord[];
  readonly now: Date;
  /** Ids and last good versions from an earlier publish, by record key. */
  readonly remembered?: (key: string) => Remembered | undefined;
  /** Show drafts and embargoed articles too: a local preview, served from memory only. */
  readonly preview?: boolean;
}

export interface BuiltState {
  readonly site: SiteState;
  readonly records: readonly RecordState[];
  readonly claims: readonly IdClaim[];
  readonly sets: readonly { readonly manifest: SetManifest; readonly shards: ReadonlyMap<string, Shard> }[];
}

export interface Build {
  readonly files: readonly FeedFile[];
  readonly report: PublishReport;
  readonly state: BuiltState;
}

/**
 * Every record read at once, from scratch, in memory: the files, the report and the whole state.
 * The same steps as a rebuild (which streams them) and what an incremental publish must always
 * agree with, byte for byte. Pure.
 */
export function buildSite({
  site,
  records,
  now,
  remembered = () => undefined,
  preview = false,
}: BuildInput): Build {
  const read = records.map((record) =>
    readRecordState({ site, record, etag: record.etag, known: remembered(record.key), now }),
  );
  const claims = resolveClaims(read.flatMap(({ candidate }) => (candidate ? [candidate] : [])));
  const states = read.map(({ state }) => {
    const lost = claims.losers.get(state.key);
    return lost ? rejectClaim(state, lost) : state;
  });
  const articles = states.flatMap((state) => articleOf(state) ?? []);
  const visibility = partitionByVisibility(articles, now, preview);
  const layouts = layoutSets(site, visibility.visible);
  const categories = new Map<string, string | undefined>(
    layouts
      .filter((layout) => layout.folder !== mainSet)
      .map((layout) => [layout.folder, layout.window[0] && categoryNameIn(layout.window[0], layout.folder)]),
  );
  const siteState = applyDeltas(
    emptySiteState(readingKey(site), renderingKey(site)),
    states.map((state) => deltaOf(state, now, site)),
    categories,
  );
  const main = layouts.find((layout) => layout.folder === mainSet);
  return {
    files: [
      ...layouts.flatMap((layout) => renderLayout(site, layout)),
      ...eachWithNeighbours([...visibility.visible].sort(newestFirst)).flatMap(
        ({ article, ...neighbours }) => renderArticlePageFile(site, article, neighbours) ?? [],
      ),
      ...renderSitePageFiles(site, main?.window ?? [], siteState.categories),
    ],
    report: buildReport(visibility, states, siteState, [
      // The holder of a contested id publishes: it is told, as a warning.
      ...claims.notices.filter((notice) => !claims.losers.has(notice.key)),
      ...read.flatMap(({ warnings }) => warnings),
    ]),
    state: {
      site: siteState,
      records: states,
      claims: claims.winners.map(({ id, key, since }) => ({ id, key, since })),
      sets: layouts.map(manifestOf),
    },
  };
}

/** What a build publishes and holds back, its problems, and when visibility next changes. */
function buildReport(
  visibility: ReturnType<typeof partitionByVisibility>,
  states: readonly RecordState[],
  siteState: SiteState,
  warnings: PublishReport['warnings'],
): PublishReport {
  return {
    published: visibility.visible.length,
    drafts: visibility.drafts,
    embargoed: visibility.embargoed,
    expired: visibility.expired,
    errors: states.flatMap((state) => state.errors ?? []),
    warnings,
    keptLastGood: Object.entries(siteState.invalid)
      .filter(([, entry]) => entry.keptLastGood)
      .map(([key]) => key),
    nextChangeAt: visibility.nextChangeAt,
  };
}
