import { DomUtils, parseDocument } from 'htmlparser2';
import { articlePageFolder } from '../render/article-address.ts';
import { categorySlug } from '../render/category-slug.ts';

/** What an item of any feed format says, in the publisher's terms, before it becomes a record. */
export interface ImportedItem {
  readonly id?: string;
  readonly title?: string;
  readonly url?: string;
  readonly date?: string;
  readonly updated?: string;
  readonly summary?: string;
  readonly contentHtml?: string;
  readonly contentText?: string;
  readonly authors?: readonly { readonly name: string; readonly email?: string; readonly url?: string }[];
  readonly categories?: readonly string[];
  readonly tags?: readonly string[];
  readonly image?: string;
  readonly attachments?: readonly {
    readonly url: string;
    readonly mime_type: string;
    readonly title?: string;
    readonly size_in_bytes?: number;
  }[];
  readonly language?: string;
  readonly source?: string;
  readonly draft?: boolean;
}

/** One record made from an item: a file name and the JSON record it holds. */
export interface ImportedRecord {
  /** `<date>-<title slug>.json`, unique within the import. */
  readonly name: string;
  readonly record: Record<string, unknown>;
}

/** Something of an item that did not come across as it was; `item` names it for the person importing. */
export interface ImportProblem {
  readonly item: string;
  readonly field: string;
  readonly message: string;
}

/** Plain text of an HTML fragment, entities decoded and whitespace collapsed. */
export function htmlToText(html: string): string {
  return DomUtils.textContent(parseDocument(html)).replace(/\s+/g, ' ').trim();
}

/** An instant as the records write it (ISO 8601, UTC), or undefined when the text is not a date. */
export function isoDate(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const time = Date.parse(text.trim());
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/**
 * A link back to an article page this publisher made (`.../articles/<id>/`) is not the article's
 * own address: importing it as `url` would stop the page from being published again.
 */
function isOwnArticlePage(url: string, id: string | undefined): boolean {
  if (id === undefined) return false;
  const folder = articlePageFolder({ id });
  return url.endsWith(`/${folder}`) || url.endsWith(`/${folder.slice(0, -1)}`);
}

const titleFromText = (text: string) => (text.length <= 80 ? text : `${text.slice(0, 79).trimEnd()}…`);

type Report = (field: string, message: string) => void;

/** The item's title, or one made from its text; undefined (and said) when it has neither. */
function titleOf(item: ImportedItem, report: Report): string | undefined {
  const title = item.title?.trim();
  if (title) return title;
  const text = item.contentText ?? (item.contentHtml ? htmlToText(item.contentHtml) : undefined);
  const from = item.summary ?? text;
  if (!from) {
    report('title', 'no title and no text: left out');
    return undefined;
  }
  const made = titleFromText(from);
  report('title', `no title: made from its text ("${made}")`);
  return made;
}

/** The body: its HTML or text, else its summary, else its title (said). */
function contentOf(item: ImportedItem, title: string, report: Report): Record<string, string> {
  if (item.contentHtml === undefined && item.contentText === undefined)
    report(
      'content',
      item.summary !== undefined
        ? 'no content: its summary is the body'
        : 'no content: its title is the body',
    );
  return item.contentHtml !== undefined
    ? { content_html: item.contentHtml }
    : item.contentText !== undefined
      ? { content_text: item.contentText }
      : item.summary !== undefined
        ? { content_text: item.summary }
        : { content_text: title };
}

/**
 * The record for one item, or the reason it is left out. Every field the publisher has a place
 * for comes across; what cannot is reported.
 */
export function recordOf(
  item: ImportedItem,
  label: string,
  problems: ImportProblem[],
): { record: Record<string, unknown>; date: string; title: string } | undefined {
  const report = (field: string, message: string) => problems.push({ item: label, field, message });
  const date = item.date ?? item.updated;
  if (date === undefined) {
    report('date', 'no publication date it could read: left out; add it by hand');
    return undefined;
  }
  const title = titleOf(item, report);
  if (title === undefined) return undefined;
  const id = item.id?.trim() || item.url;
  if (!item.id?.trim())
    report(
      'id',
      item.url ? 'no id: its link is the id' : 'no id and no link: it gets a new id, so readers see it again',
    );
  const url = item.url && !isOwnArticlePage(item.url, id) ? item.url : undefined;
  const content = contentOf(item, title, report);
  // The photo already in the body is not added again.
  const image = item.image && !item.contentHtml?.includes(item.image) ? item.image : undefined;
  const record: Record<string, unknown> = {
    id,
    title,
    date,
    updated: item.updated !== undefined && item.updated !== date ? item.updated : undefined,
    url,
    summary: item.summary,
    ...content,
    authors: item.authors?.length ? item.authors : undefined,
    categories: item.categories?.length ? [...new Set(item.categories)] : undefined,
    tags: item.tags?.length ? [...new Set(item.tags)] : undefined,
    image,
    attachments: item.attachments?.length ? item.attachments : undefined,
    language: item.language,
    source: item.source,
    draft: item.draft || undefined,
  };
  return {
    record: Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)),
    date,
    title,
  };
}

/** File names from each record's date and title, numbered when two would be the same. */
export function nameRecords(
  records: readonly { record: Record<string, unknown>; date: string; title: string }[],
): ImportedRecord[] {
  const taken = new Map<string, number>();
  return records.map(({ record, date, title }) => {
    const stem = `${date.slice(0, 10)}-${categorySlug(title).slice(0, 60).replace(/-+$/, '')}`;
    const count = (taken.get(stem) ?? 0) + 1;
    taken.set(stem, count);
    return { name: `${stem}${count > 1 ? `-${count}` : ''}.json`, record };
  });
}
