import { parseFeed as parseWithRowan } from '@rowanmanning/feed-parser';
import { XMLParser } from 'fast-xml-parser';
import { parseFeed as parseWithFeedsmith } from 'feedsmith';
import { assertWellFormed } from './xml.ts';

/**
 * Independent checks of published feeds: a strict XML parser for well-formedness, two feed
 * parsers that readers' libraries are built on, and the required-element rules of RFC 4287,
 * RSS 2.0 (as the W3C validator applies them) and JSON Feed 1.1. Each returns the problems found.
 */

type Node = Record<string, unknown>;
const list = (value: unknown): Node[] =>
  (value === undefined ? [] : Array.isArray(value) ? value : [value]) as Node[];
const textOf = (value: unknown): string =>
  typeof value === 'object' && value !== null ? String((value as Node)['#text'] ?? '') : String(value ?? '');

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const rfc822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const absoluteIri = /^[a-z][a-z0-9+.-]*:\S+$/i;

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
});

export function checkAtom(body: string): string[] {
  assertWellFormed(body);
  const problems: string[] = [];
  const feed = (xml.parse(body) as Node).feed as Node | undefined;
  if (!feed) return ['no <feed> root'];
  if (feed['@_xmlns'] !== 'http://www.w3.org/2005/Atom') problems.push('feed is not in the Atom namespace');
  if (!feed['@_xml:lang']) problems.push('feed has no xml:lang');
  for (const name of ['id', 'title', 'updated']) {
    if (list(feed[name]).length !== 1) problems.push(`feed must have exactly one <${name}>`);
  }
  if (!absoluteIri.test(textOf(feed.id))) problems.push('feed id is not an absolute IRI');
  if (!rfc3339.test(textOf(feed.updated))) problems.push('feed updated is not RFC 3339');
  const links = list(feed.link);
  if (!links.some((link) => link['@_rel'] === 'self')) problems.push('feed has no rel="self" link');
  const feedHasAuthor = list(feed.author).length > 0;
  for (const [index, entry] of list(feed.entry).entries()) {
    const at = `entry ${index}`;
    for (const name of ['id', 'title', 'updated']) {
      if (list(entry[name]).length !== 1) problems.push(`${at} must have exactly one <${name}>`);
    }
    if (!absoluteIri.test(textOf(entry.id))) problems.push(`${at} id is not an absolute IRI`);
    if (!rfc3339.test(textOf(entry.updated))) problems.push(`${at} updated is not RFC 3339`);
    if (entry.published !== undefined && !rfc3339.test(textOf(entry.published))) {
      problems.push(`${at} published is not RFC 3339`);
    }
    if (!feedHasAuthor && list(entry.author).length === 0) problems.push(`${at} has no author`);
    for (const author of list(entry.author))
      if (!textOf(author.name)) problems.push(`${at} author has no name`);
    const entryLinks = list(entry.link);
    if (
      entry.content === undefined &&
      !entryLinks.some((link) => (link['@_rel'] ?? 'alternate') === 'alternate')
    ) {
      problems.push(`${at} has neither content nor an alternate link`);
    }
    for (const link of entryLinks) if (!link['@_href']) problems.push(`${at} has a link without href`);
    for (const category of list(entry.category))
      if (!category['@_term']) problems.push(`${at} category has no term`);
    const title = entry.title as Node | undefined;
    if (title?.['@_type'] !== 'text') problems.push(`${at} title is not type="text"`);
  }
  problems.push(...parsedByReaders(body, list(feed.entry).length));
  return problems;
}

export function checkRss(body: string): string[] {
  assertWellFormed(body);
  const problems: string[] = [];
  const rss = (xml.parse(body) as Node).rss as Node | undefined;
  if (rss?.['@_version'] !== '2.0') return ['no <rss version="2.0"> root'];
  const channel = (rss as Node).channel as Node;
  for (const name of ['title', 'link', 'description']) {
    if (list(channel[name]).length !== 1) problems.push(`channel must have exactly one <${name}>`);
  }
  if (!rfc822.test(textOf(channel.lastBuildDate))) problems.push('lastBuildDate is not RFC 822');
  if (!list(channel['atom:link']).some((link) => link['@_rel'] === 'self'))
    problems.push('channel has no atom:link self');
  for (const [index, item] of list(channel.item).entries()) {
    const at = `item ${index}`;
    if (item.title === undefined && item.description === undefined)
      problems.push(`${at} has neither title nor description`);
    if (item.guid === undefined) problems.push(`${at} has no guid`);
    if (!rfc822.test(textOf(item.pubDate))) problems.push(`${at} pubDate is not RFC 822`);
    for (const author of list(item.author)) {
      if (!/^\S+@\S+( \(.*\))?$/.test(textOf(author)))
        problems.push(`${at} <author> is not an e-mail address`);
    }
    for (const enclosure of list(item.enclosure)) {
      if (!enclosure['@_url'] || enclosure['@_length'] === undefined || !enclosure['@_type']) {
        problems.push(`${at} enclosure lacks url, length or type`);
      }
    }
    if (list(item.enclosure).length > 1) problems.push(`${at} has more than one enclosure`);
  }
  problems.push(...parsedByReaders(body, list(channel.item).length));
  return problems;
}

export function checkJsonFeed(body: string): string[] {
  const problems: string[] = [];
  const feed = JSON.parse(body) as Node;
  if (feed.version !== 'https://jsonfeed.org/version/1.1') problems.push('version is not 1.1');
  if (typeof feed.title !== 'string' || feed.title === '') problems.push('title is missing');
  if (!Array.isArray(feed.items)) return [...problems, 'items is not a list'];
  for (const name of ['author'])
    if (feed[name] !== undefined) problems.push(`feed uses the deprecated ${name}`);
  for (const name of ['home_page_url', 'feed_url', 'next_url', 'icon', 'favicon']) {
    if (feed[name] !== undefined && !/^https?:\/\//.test(String(feed[name])))
      problems.push(`${name} is not absolute`);
  }
  checkAuthors(feed.authors, 'feed', problems);
  const ids = new Set<string>();
  for (const [index, item] of (feed.items as Node[]).entries()) {
    const at = `item ${index}`;
    if (typeof item.id !== 'string' || item.id === '') problems.push(`${at} id is not a non-empty string`);
    if (ids.has(String(item.id))) problems.push(`${at} id repeats`);
    ids.add(String(item.id));
    if (typeof item.content_html !== 'string' && typeof item.content_text !== 'string') {
      problems.push(`${at} has neither content_html nor content_text`);
    }
    for (const name of ['date_published', 'date_modified']) {
      if (item[name] !== undefined && !rfc3339.test(String(item[name])))
        problems.push(`${at} ${name} is not RFC 3339`);
    }
    if (item.author !== undefined) problems.push(`${at} uses the deprecated author`);
    if (typeof item.url !== 'string' || !absoluteIri.test(item.url))
      problems.push(`${at} url should be present`);
    checkAuthors(item.authors, at, problems);
    if (
      item.tags !== undefined &&
      !(Array.isArray(item.tags) && item.tags.every((tag) => typeof tag === 'string'))
    ) {
      problems.push(`${at} tags is not a list of strings`);
    }
    for (const attachment of list(item.attachments)) {
      if (typeof attachment.url !== 'string' || typeof attachment.mime_type !== 'string') {
        problems.push(`${at} attachment lacks url or mime_type`);
      }
    }
  }
  try {
    parseWithFeedsmith(feed);
  } catch (error) {
    problems.push(`feedsmith could not read it: ${(error as Error).message}`);
  }
  return problems;
}

function checkAuthors(authors: unknown, at: string, problems: string[]): void {
  if (authors === undefined) return;
  if (!Array.isArray(authors)) {
    problems.push(`${at} authors is not a list`);
    return;
  }
  for (const author of authors as Node[]) {
    if (author.name === undefined && author.url === undefined && author.avatar === undefined) {
      problems.push(`${at} author has no name, url or avatar`);
    }
  }
}

/** Both reader libraries read the document and find every item. */
function parsedByReaders(body: string, items: number): string[] {
  const problems: string[] = [];
  try {
    const parsed = parseWithFeedsmith(body) as { feed: { items?: unknown[]; entries?: unknown[] } };
    const found = (parsed.feed.items ?? parsed.feed.entries ?? []).length;
    if (found !== items) problems.push(`feedsmith found ${found} items, not ${items}`);
  } catch (error) {
    problems.push(`feedsmith could not read it: ${(error as Error).message}`);
  }
  try {
    const found = parseWithRowan(body).items;
    if (found.length !== items) problems.push(`feed-parser found ${found.length} items, not ${items}`);
    // What a reader opens when the item is clicked; feedparser warns "no link" without one.
    const closed = found.filter((item) => !item.url).length;
    if (closed > 0) problems.push(`feed-parser found ${closed} items with no link to open`);
  } catch (error) {
    problems.push(`feed-parser could not read it: ${(error as Error).message}`);
  }
  return problems;
}

/** Checks every feed file in a publish by its name. */
export function checkFeedFile(path: string, body: string): string[] {
  if (path.endsWith('rss.xml')) return checkRss(body).map((problem) => `${path}: ${problem}`);
  if (path.endsWith('atom.xml')) return checkAtom(body).map((problem) => `${path}: ${problem}`);
  if (path.endsWith('feed.json')) return checkJsonFeed(body).map((problem) => `${path}: ${problem}`);
  return [];
}
