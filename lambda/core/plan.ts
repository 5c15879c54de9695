import { planArchive } from './archive.ts';
import { cleanHtml } from './content/sanitize.ts';
import type { Article, FeedFile, RecordError, SiteConfig, SourceRecord } from './model.ts';
import type { ArticleFields } from './records/article-fields.ts';
import { articleId } from './records/article-id.ts';
import { parseRecord } from './records/parse-record.ts';
import { renderSite } from './render/render-site.ts';
import { type IdEntry, loadArticle, type PublishState, type StoredArticle, storeArticle } from './state.ts';
import { partitionByVisibility } from './visibility.ts';

export interface PlanInput {
  readonly site: SiteConfig;
  /** Every record in the store. */
  readonly records: readonly SourceRecord[];
  /** What the previous publish remembered. */
  readonly previous: PublishState;
  /** The instant the publish runs at: embargoes and expiry are decided against it. */
  readonly now: Date;
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

/** Records and the previous state in; the files to publish, the next state and a report out. Pure. */
export function plan({ site, records, previous, now }: PlanInput): PublishPlan {
  const errors: RecordError[] = [];
  const keptLastGood: string[] = [];
  const candidates: Candidate[] = [];
  for (const record of records) {
    const parsed = parseRecord(record, site);
    if (parsed.ok) {
      candidates.push({
        article: toArticle(record.key, parsed.fields, previous.ids[record.key], site),
        fresh: true,
      });
      continue;
    }
    errors.push(...parsed.errors);
    const lastGood: StoredArticle | undefined = previous.articles[record.key];
    if (lastGood) {
      candidates.push({ article: loadArticle(lastGood), fresh: false });
      keptLastGood.push(record.key);
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
  return {
    files: renderSite(site, visibility.visible, archive),
    state: { version: 1, ids, articles, archive: archive.state },
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
