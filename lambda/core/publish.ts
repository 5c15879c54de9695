import type { Article, FeedFile, RecordError, SiteConfig, SourceRecord } from './model.ts';
import { articleId } from './records/article-id.ts';
import { parseRecord, type RecordOptions } from './records/parse-record.ts';
import { renderSite } from './render/render-site.ts';

export interface PublishInput {
  readonly site: SiteConfig;
  /** Every record in the store. */
  readonly records: readonly SourceRecord[];
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
  readonly errors: readonly RecordError[];
  /** The next instant an embargo lifts or an article expires: publish again then. */
  readonly nextChangeAt?: Date;
}

export interface PublishResult {
  readonly files: readonly FeedFile[];
  readonly report: PublishReport;
}

export const defaultRecordLimits = { maxRecordBytes: 1024 * 1024, maxTitleLength: 1000, maxCategories: 100 };

/** Records in, feed files and a report out. Pure: the caller reads and writes the stores. */
export function publish({ site, records, now }: PublishInput): PublishResult {
  const options: RecordOptions = { ...defaultRecordLimits, timeZone: site.timezone };
  const errors: RecordError[] = [];
  const articles: Article[] = [];
  for (const record of records) {
    const parsed = parseRecord(record, options);
    if (!parsed.ok) {
      errors.push(...parsed.errors);
      continue;
    }
    const { fields } = parsed;
    articles.push({
      ...fields,
      key: record.key,
      id: articleId(record.key, fields.id),
      updated: fields.updated ?? fields.published,
    });
  }
  const at = now.getTime();
  const drafts = articles.filter((article) => article.draft);
  const embargoed = articles.filter((article) => !article.draft && article.published.getTime() > at);
  const expired = articles.filter(
    (article) => !article.draft && article.expires && article.expires.getTime() <= at,
  );
  const visible = articles
    .filter(
      (article) => !drafts.includes(article) && !embargoed.includes(article) && !expired.includes(article),
    )
    .sort(newestFirst);
  const upcoming = [
    ...embargoed.map((article) => article.published.getTime()),
    ...visible.flatMap((article) => (article.expires ? [article.expires.getTime()] : [])),
  ];
  return {
    files: renderSite(site, visible),
    report: {
      published: visible.length,
      drafts: drafts.length,
      embargoed: embargoed.length,
      expired: expired.length,
      errors,
      nextChangeAt: upcoming.length > 0 ? new Date(Math.min(...upcoming)) : undefined,
    },
  };
}

/** Newest first; ties broken by id so the order never depends on listing order. */
function newestFirst(a: Article, b: Article): number {
  return b.published.getTime() - a.published.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
