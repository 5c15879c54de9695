import { planArchive } from './archive.ts';
import { cleanHtml } from './content/sanitize.ts';
import type { Article, FeedFile, RecordError, SiteConfig, SourceRecord } from './model.ts';
import type { ArticleFields } from './records/article-fields.ts';
import { articleId } from './records/article-id.ts';
import { parseRecord } from './records/parse-record.ts';
import { renderSite } from './render/render-site.ts';
import {
  type IdEntry,
  loadArticle,
  type PublishState,
  type RecordEntry,
  type StoredArticle,
  storeArticle,
} from './state.ts';
import { partitionByVisibility } from './visibility.ts';

/** One record as a listing shows it: its key and a tag that changes whenever its bytes do (S3 ETag, content hash). */
export interface RecordVersion {
  readonly key: string;
  readonly etag: string;
}

export interface PlanInput {
  readonly site: SiteConfig;
  /** Every record in the store, without bodies. */
  readonly listing: readonly RecordVersion[];
  /** The bodies of the records `recordsToRead` named: new or changed since the previous publish. */
  readonly records: readonly SourceRecord[];
  /** What the previous publish remembered. */
  readonly previous: PublishState;
  /** The instant the publish runs at: embargoes and expiry are decided against it. */
  readonly now: Date;
  /**
   * Render every feed even when its items did not change, restoring files lost from the output.
   * @default true; event-driven publishes pass false and render only what changed
   */
  readonly renderAll?: boolean;
}

export interface PublishReport {
  /** Articles visible in the feeds. */
  readonly published: number;
  readonly drafts: number;
  /** Articles whose date is still in the future. */
  readonly embargoed: number;
  readonly expired: number;
  /** Every problem, one per record and field. */
  readonly errors: readonly RecordError[];
  /** Records that are invalid now but stay published in their last good version. */
  readonly keptLastGood: readonly string[];
  /** The next instant an embargo lifts or an article expires: publish again then. */
  readonly nextChangeAt?: Date;
}

export interface PublishPlan {
  readonly files: readonly FeedFile[];
  /** To be written after every file, so a failed run leaves the previous state in charge. */
  readonly state: PublishState;
  readonly report: PublishReport;
}

interface Candidate {
  readonly article: Article;
  /** False when the article is a last good version kept while its record is invalid. */
  readonly fresh: boolean;
}

/**
 * Bumped whenever parsing or cleaning changes what a record turns into, so stored articles are
 * parsed again from their records rather than served as the old code left them.
 */
const recordReadingVersion = 1;

/** What reading a record depends on besides its bytes; when it changes, every record is read again. */
function readingKey(site: SiteConfig): string {
  const { timezone, siteUrl, allowedIframeHosts, limits } = site;
  return JSON.stringify([recordReadingVersion, timezone, siteUrl, allowedIframeHosts, limits]);
}

/**
 * The records a publish must read: new ones, changed ones (another ETag), and all of them when
 * the settings that reading depends on changed. Everything else comes from the previous state,
 * so a publish after one change reads one record, not the whole archive.
 */
export function recordsToRead(
  listing: readonly RecordVersion[],
  previous: PublishState,
  site: SiteConfig,
): string[] {
  const rereadAll = previous.readWith !== readingKey(site);
  return listing.filter((entry) => rereadAll || !canReuse(entry, previous)).map((entry) => entry.key);
}

/**
 * A record need not be read again when its ETag is the one last read and the state holds what
 * reading it gave: its problems, or its article. (A record whose article is missing, such as the
 * loser of an id claim, is read again so its conflict is found and reported again.)
 */
function canReuse({ key, etag }: RecordVersion, previous: PublishState): boolean {
  const known = previous.records[key];
  if (known?.etag !== etag) return false;
  return (known.errors?.length ?? 0) > 0 || previous.articles[key] !== undefined;
}

/** Records and the previous state in; the files to publish, the next state and a report out. Pure. */
export function plan({ site, listing, records, previous, now, renderAll = true }: PlanInput): PublishPlan {
  const errors: RecordError[] = [];
  const keptLastGood: string[] = [];
  const candidates: Candidate[] = [];
  const recordEntries: Record<string, RecordEntry> = {};
  const bodies = new Map(records.map((record) => [record.key, record]));
  const rereadAll = previous.readWith !== readingKey(site);
  for (const { key, etag } of listing) {
    const body = bodies.get(key);
    const known = previous.records[key];
    let recordErrors: readonly RecordError[];
    let article: Article | undefined;
    if (body) {
      const parsed = parseRecord(body, site);
      recordErrors = parsed.ok ? [] : parsed.errors;
      article = parsed.ok ? toArticle(key, parsed.fields, previous.ids[key], site) : undefined;
    } else if (known && !rereadAll && canReuse({ key, etag }, previous)) {
      recordErrors = known.errors ?? [];
      const stored = previous.articles[key];
      article = recordErrors.length === 0 && stored ? loadArticle(stored) : undefined;
    } else {
      throw new Error(`record ${key} changed but its body was not read; read every key recordsToRead names`);
    }
    recordEntries[key] = recordErrors.length > 0 ? { etag, errors: recordErrors } : { etag };
    errors.push(...recordErrors);
    if (article) {
      candidates.push({ article, fresh: true });
      continue;
    }
    const lastGood: StoredArticle | undefined = previous.articles[key];
    if (lastGood) {
      candidates.push({ article: loadArticle(lastGood), fresh: false });
      keptLastGood.push(key);
    }
  }
  const kept = resolveIdClaims(candidates, previous, errors);
  const ids: Record<string, IdEntry> = {};
  const articles: Record<string, StoredArticle> = {};
  for (const { article, fresh } of kept) {
    const known = previous.ids[article.key];
    ids[article.key] = known?.id === article.id ? known : { id: article.id, since: now.toISOString() };
    articles[article.key] = fresh
      ? storeArticle(article)
      : (previous.articles[article.key] ?? storeArticle(article));
  }
  const visibility = partitionByVisibility(
    kept.map((candidate) => candidate.article),
    now,
  );
  const archive = planArchive(visibility.visible, previous.archive, site.archivePageSize);
  const rendered = renderSite(site, visibility.visible, archive, {
    previous: previous.feeds ?? {},
    renderAll,
  });
  return {
    files: rendered.files,
    state: {
      version: 1,
      ids,
      articles,
      archive: archive.state,
      records: recordEntries,
      feeds: rendered.feeds,
      readWith: readingKey(site),
    },
    report: {
      published: visibility.visible.length,
      drafts: visibility.drafts,
      embargoed: visibility.embargoed,
      expired: visibility.expired,
      errors,
      keptLastGood,
      nextChangeAt: visibility.nextChangeAt,
    },
  };
}

/** An explicit id wins; otherwise the id this key was published under before; otherwise one derived from the key. */
function toArticle(
  key: string,
  fields: ArticleFields,
  remembered: IdEntry | undefined,
  site: SiteConfig,
): Article {
  const id =
    fields.id !== undefined ? articleId(key, fields.id) : (remembered?.id ?? articleId(key, undefined));
  const contentHtml = cleanHtml(fields.contentHtml, {
    baseUrl: fields.url ?? site.siteUrl,
    iframeHosts: site.allowedIframeHosts,
  });
  return { ...fields, contentHtml, key, id, updated: fields.updated ?? fields.published };
}

/**
 * Two records claiming one id would make readers merge two articles. The older claim keeps the
 * id (the one in the ledger longest, then the earlier date, then the key); both are reported.
 */
function resolveIdClaims(
  candidates: readonly Candidate[],
  previous: PublishState,
  errors: RecordError[],
): Candidate[] {
  const byId = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    byId.set(candidate.article.id, [...(byId.get(candidate.article.id) ?? []), candidate]);
  }
  const kept: Candidate[] = [];
  for (const [id, claims] of byId) {
    const [winner, ...losers] = [...claims].sort((a, b) =>
      compareText(claimAge(a, previous), claimAge(b, previous)),
    );
    if (!winner) continue;
    kept.push(winner);
    if (losers.length === 0) continue;
    const loserKeys = losers.map((loser) => loser.article.key);
    errors.push({
      key: winner.article.key,
      field: 'id',
      message: `id '${id}' is also claimed by ${loserKeys.join(', ')}; this record keeps it`,
    });
    for (const key of loserKeys) {
      errors.push({
        key,
        field: 'id',
        message: `id '${id}' already belongs to ${winner.article.key}; give this record an id of its own`,
      });
    }
  }
  return kept;
}

/** Sorts older claims first: ledger date, then publication date, then key. */
function claimAge(candidate: Candidate, previous: PublishState): string {
  const { article } = candidate;
  const since = previous.ids[article.key]?.id === article.id ? previous.ids[article.key]?.since : undefined;
  return `${since ?? '~'}|${article.published.toISOString()}|${article.key}`;
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
