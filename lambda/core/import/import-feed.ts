import { parseFeed } from 'feedsmith';
import { xml2js } from 'xml-js';
import { lineAt, positionOf } from '../records/source-position.ts';
import {
  htmlToText,
  type ImportedItem,
  type ImportedRecord,
  type ImportProblem,
  isoDate,
  nameRecords,
  recordOf,
} from './imported-item.ts';
import { type WordPressFacts, wordPressFacts } from './wordpress.ts';

export type ImportedFormat = 'rss' | 'atom' | 'json' | 'rdf' | 'wordpress';

export interface FeedImport {
  readonly format: ImportedFormat;
  /** How many items the feed holds, whether or not each became a record. */
  readonly items: number;
  readonly records: readonly ImportedRecord[];
  readonly problems: readonly ImportProblem[];
}

/** The feed could not be read at all. */
export class FeedImportError extends Error {
  override readonly name = 'FeedImportError';
}

/**
 * An RSS 2.0, RSS 1.0, Atom 1.0 or JSON Feed document (or a WordPress export, which is RSS with
 * WordPress's own fields) -> one JSON record per item, each keeping the item's id so subscribers
 * do not see it again, with what could not come across reported per item. Pure.
 */
export function importFeed(text: string): FeedImport {
  const declared = declarationIn(text);
  if (declared) throw new FeedImportError(declared);
  let parsed: ReturnType<typeof parseFeed>;
  try {
    parsed = parseFeed(text);
  } catch {
    throw new FeedImportError(whyUnreadable(text));
  }
  const wordpress = parsed.format === 'rss' ? wordPressFacts(text) : undefined;
  const format: ImportedFormat = wordpress ? 'wordpress' : parsed.format;
  const items = itemsOf(parsed, wordpress);
  const problems: ImportProblem[] = [];
  const kept = items.flatMap(({ item, label, skip }) => {
    if (skip) {
      problems.push({ item: label, field: '(item)', message: skip });
      return [];
    }
    return recordOf(item, label, problems) ?? [];
  });
  return { format, items: items.length, records: nameRecords(kept), problems };
}

/**
 * A DOCTYPE or entity declaration refuses a document before any parser sees it: a feed needs
 * neither, and declared entities can expand without bound.
 */
function declarationIn(text: string): string | undefined {
  const declaration = /<!(DOCTYPE|ENTITY)\b/i.exec(text);
  if (!declaration) return undefined;
  const { line } = positionOf(text, declaration.index);
  const what = declaration[1]?.toUpperCase() === 'ENTITY' ? 'an entity' : 'a DOCTYPE';
  return `refused: line ${line} declares ${what}; a feed needs none, and declared entities can expand without bound. Remove the <!${declaration[1]} …> declaration and import again`;
}

/**
 * Why a document no feed parser could read is not a feed: where it stops being well-formed JSON
 * or XML (line, column, the line quoted), or which root element it has instead of a feed's.
 */
function whyUnreadable(text: string): string {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('{') || start.startsWith('[')) {
    try {
      JSON.parse(start);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const found = / in JSON at position (\d+)/.exec(message);
      if (!found) return `is not valid JSON: ${message}`;
      const { line, column } = positionOf(start, Number(found[1]));
      return `is not valid JSON: line ${line}, column ${column}: ${message.replace(found[0], '')}: ${JSON.stringify(lineAt(start, line))}`;
    }
    return 'is JSON but not a JSON Feed: it needs "version": "https://jsonfeed.org/version/1.1" and "items"';
  }
  try {
    xml2js(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const [reason = message, lineText, columnText] = message.split('\n');
    const line = Number(/\d+/.exec(lineText ?? '')?.[0] ?? Number.NaN) + 1;
    const column = Number(/\d+/.exec(columnText ?? '')?.[0] ?? Number.NaN);
    if (!Number.isFinite(line)) return `is not well-formed XML: ${reason}`;
    const quoted = JSON.stringify(lineAt(text, line).trim().slice(0, 120));
    return `is not well-formed XML: line ${line}, column ${column}: ${reason.toLowerCase()}: ${quoted}`;
  }
  const root = /<([A-Za-z_][\w:.-]*)/.exec(text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, ''))?.[1];
  return `is XML but not a feed: its root element is <${root ?? '?'}>, not <rss>, <feed> (Atom) or <rdf:RDF>`;
}

interface Labelled {
  readonly item: ImportedItem;
  readonly label: string;
  /** Why the item is left out, when it is. */
  readonly skip?: string;
}

const label = (index: number, title: string | undefined) =>
  `item ${index + 1}${title ? ` ("${title.trim().slice(0, 60)}")` : ''}`;

function itemsOf(parsed: ReturnType<typeof parseFeed>, wordpress: WordPressFacts | undefined): Labelled[] {
  switch (parsed.format) {
    case 'rss':
    case 'rdf':
      return (parsed.feed.items ?? []).map((raw, index) => {
        const item = fromRss(raw as RssItem, wordpress !== undefined);
        const facts = wordpress?.[index];
        const named = label(index, item.title);
        if (!facts) return { item, label: named };
        return {
          item: { ...item, summary: facts.excerpt || item.summary, draft: facts.draft },
          label: named,
          skip: facts.skip,
        };
      });
    case 'atom':
      return (parsed.feed.entries ?? []).map((raw, index) => {
        const item = fromAtom(raw as AtomEntry);
        return { item, label: label(index, item.title) };
      });
    case 'json':
      return (parsed.feed.items ?? []).map((raw, index) => {
        const item = fromJson(raw as JsonItem);
        return { item, label: label(index, item.title) };
      });
  }
}

/** The parts of an RSS 2.0 (or RSS 1.0) item the import reads, as feedsmith gives them. */
interface RssItem {
  title?: string;
  link?: string;
  description?: string;
  guid?: { value?: string };
  pubDate?: string;
  authors?: (string | { name?: string; email?: string; link?: string })[];
  categories?: { name?: string; domain?: string }[];
  enclosures?: { url?: string; type?: string; length?: number }[];
  content?: { encoded?: string };
  dc?: {
    creators?: string[];
    creator?: string;
    dates?: string[];
    date?: string;
    languages?: string[];
    sources?: string[];
  };
  media?: { contents?: { url?: string; medium?: string; type?: string }[]; thumbnails?: { url?: string }[] };
}

function fromRss(item: RssItem, wordpress: boolean): ImportedItem {
  const description = item.description?.trim() || undefined;
  const categories = item.categories ?? [];
  // A WordPress export marks tags with domain="post_tag"; a plain feed's categories are categories.
  const isTag = (category: { domain?: string }) => wordpress && category.domain === 'post_tag';
  return {
    id: item.guid?.value,
    title: item.title === undefined ? undefined : htmlToText(item.title),
    url: item.link,
    date: isoDate(item.pubDate ?? item.dc?.dates?.[0] ?? item.dc?.date),
    // RSS descriptions are HTML: with a full body beside them they are the summary, else the body.
    summary: item.content?.encoded && description ? htmlToText(description) : undefined,
    contentHtml: item.content?.encoded ?? description,
    authors: [
      ...(item.dc?.creators ?? (item.dc?.creator ? [item.dc.creator] : [])),
      ...(item.authors ?? []),
    ].flatMap(rssPerson),
    categories: categories.filter((category) => !isTag(category)).flatMap((category) => category.name ?? []),
    tags: categories.filter(isTag).flatMap((category) => category.name ?? []),
    attachments: (item.enclosures ?? []).flatMap((enclosure) =>
      enclosure.url
        ? [
            {
              url: enclosure.url,
              mime_type: enclosure.type ?? 'application/octet-stream',
              ...(enclosure.length ? { size_in_bytes: Number(enclosure.length) } : {}),
            },
          ]
        : [],
    ),
    image:
      item.media?.contents?.find((media) => media.medium === 'image' || media.type?.startsWith('image/'))
        ?.url ?? item.media?.thumbnails?.[0]?.url,
    language: item.dc?.languages?.[0],
    source: item.dc?.sources?.[0],
  };
}

/** RSS `author` ("email (Name)", which feedsmith splits) or a dc:creator name. */
function rssPerson(
  person: string | { name?: string; email?: string; link?: string },
): { name: string; email?: string; url?: string }[] {
  if (typeof person === 'string') return person.trim() ? [{ name: person.trim() }] : [];
  const name = person.name?.trim() || person.email;
  if (!name) return [];
  return [
    { name, ...(person.email ? { email: person.email } : {}), ...(person.link ? { url: person.link } : {}) },
  ];
}

interface AtomText {
  value?: string;
  type?: string;
  src?: string;
}

/** The parts of an Atom entry the import reads, as feedsmith gives them. */
interface AtomEntry {
  id?: string;
  title?: AtomText;
  links?: { href?: string; rel?: string; type?: string; length?: number; title?: string }[];
  published?: string;
  updated?: string;
  summary?: AtomText;
  content?: AtomText;
  authors?: { name?: string; email?: string; uri?: string }[];
  categories?: { term?: string; label?: string }[];
  media?: RssItem['media'];
}

const atomText = (text: AtomText | undefined) =>
  text?.value === undefined
    ? undefined
    : text.type === 'html' || text.type === 'xhtml'
      ? htmlToText(text.value)
      : text.value;

function fromAtom(entry: AtomEntry): ImportedItem {
  const links = entry.links ?? [];
  const content = entry.content;
  const contentIsText = content?.type === undefined || content.type === 'text';
  return {
    id: entry.id,
    title: atomText(entry.title),
    url: links.find((link) => (link.rel ?? 'alternate') === 'alternate')?.href,
    date: isoDate(entry.published ?? entry.updated),
    updated: isoDate(entry.updated),
    summary: atomText(entry.summary),
    contentHtml: content?.value !== undefined && !contentIsText ? content.value : undefined,
    contentText: content?.value !== undefined && contentIsText ? content.value : undefined,
    authors: (entry.authors ?? []).flatMap((person) =>
      person.name ? [{ name: person.name, email: person.email, url: person.uri }] : [],
    ),
    categories: (entry.categories ?? []).flatMap((category) => category.label ?? category.term ?? []),
    attachments: links
      .filter((link) => link.rel === 'enclosure' && link.href)
      .map((link) => ({
        url: link.href as string,
        mime_type: link.type ?? 'application/octet-stream',
        ...(link.title ? { title: link.title } : {}),
        ...(link.length ? { size_in_bytes: Number(link.length) } : {}),
      })),
    image:
      entry.media?.contents?.find((media) => media.medium === 'image' || media.type?.startsWith('image/'))
        ?.url ?? entry.media?.thumbnails?.[0]?.url,
  };
}

/** The parts of a JSON Feed item the import reads (1.0 and 1.1). */
interface JsonItem {
  id?: string | number;
  url?: string;
  title?: string;
  content_html?: string;
  content_text?: string;
  summary?: string;
  image?: string;
  date_published?: string;
  date_modified?: string;
  tags?: string[];
  authors?: { name?: string; url?: string }[];
  author?: { name?: string; url?: string };
  language?: string;
  attachments?: { url?: string; mime_type?: string; title?: string; size_in_bytes?: number }[];
}

function fromJson(item: JsonItem): ImportedItem {
  return {
    id: item.id === undefined ? undefined : String(item.id),
    title: item.title,
    url: item.url,
    date: isoDate(item.date_published),
    updated: isoDate(item.date_modified),
    summary: item.summary,
    contentHtml: item.content_html,
    contentText: item.content_html === undefined ? item.content_text : undefined,
    authors: (item.authors ?? (item.author ? [item.author] : [])).flatMap((person) =>
      person.name ? [{ name: person.name, ...(person.url ? { url: person.url } : {}) }] : [],
    ),
    // JSON Feed has tags only; they are what readers show as its sections.
    categories: item.tags,
    image: item.image,
    language: item.language,
    attachments: (item.attachments ?? []).flatMap((attachment) =>
      attachment.url && attachment.mime_type
        ? [
            {
              url: attachment.url,
              mime_type: attachment.mime_type,
              ...(attachment.title ? { title: attachment.title } : {}),
              ...(attachment.size_in_bytes ? { size_in_bytes: attachment.size_in_bytes } : {}),
            },
          ]
        : [],
    ),
  };
}
