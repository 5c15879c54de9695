import { cleanHtml } from '../content/sanitize.ts';
import type { Article, RecordError, SiteConfig, SourceRecord } from '../model.ts';
import { articleId } from './article-id.ts';
import { parseRecord } from './parse-record.ts';

/**
 * One record's bytes -> its article, cleaned and with its id, or its problems. The id: an
 * explicit one wins; otherwise the id this key was published under before; otherwise one derived
 * from the key.
 */
export function readArticle(
  record: SourceRecord,
  site: SiteConfig,
  rememberedId: string | undefined,
): {
  readonly article?: Article;
  readonly errors: readonly RecordError[];
  readonly warnings: readonly RecordError[];
} {
  const parsed = parseRecord(record, site);
  if (!parsed.ok) return { errors: parsed.errors, warnings: parsed.warnings };
  const removed: string[] = [];
  const { fields } = parsed;
  const id =
    fields.id !== undefined
      ? articleId(record.key, fields.id)
      : (rememberedId ?? articleId(record.key, undefined));
  const contentHtml = cleanHtml(fields.contentHtml, {
    baseUrl: fields.url ?? site.siteUrl,
    iframeHosts: site.allowedIframeHosts,
    onRemoved: (what) => removed.push(what),
  });
  const { contentField, contentLine, ...articleFields } = fields;
  return {
    article: {
      ...articleFields,
      contentHtml,
      key: record.key,
      id,
      updated: fields.updated ?? fields.published,
    },
    errors: [],
    warnings: [
      ...parsed.warnings,
      ...summarizeRemovals(removed).map((message) => ({
        key: record.key,
        field: contentField ?? '(body)',
        ...(contentLine === undefined ? {} : { line: contentLine }),
        message,
      })),
    ],
  };
}

/** One warning per kind of removal, counted: "removed <script> (2 times)". */
function summarizeRemovals(removed: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const what of removed) counts.set(what, (counts.get(what) ?? 0) + 1);
  return [...counts].map(([what, count]) => (count > 1 ? `${what} (${count} times)` : what));
}

/** The messages two records claiming one id get: the holder keeps it, the other is rejected. */
export function idConflict(id: string, holder: string, claimant: string): RecordError[] {
  return [
    { key: holder, field: 'id', message: `id '${id}' is also claimed by ${claimant}; this record keeps it` },
    {
      key: claimant,
      field: 'id',
      message: `id '${id}' already belongs to ${holder}; give this record an id of its own`,
    },
  ];
}
