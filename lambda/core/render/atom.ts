import { buildFeed, type FeedInput } from './feed-input.ts';
import { TextSlots } from './text-slots.ts';
import {
  childElements,
  element,
  firstChild,
  insertChildren,
  parseXml,
  serializeXml,
  setText,
} from './xml-tree.ts';

const dublinCore = 'http://purl.org/dc/elements/1.1/';

/** Atom 1.0 (RFC 4287), rendered by `feed` and finished here. */
export function renderAtom(input: FeedInput): string {
  const slots = new TextSlots();
  const feed = parseXml(buildFeed(input, { text: slots.slot, summaryAsHtml: true }).atom1());
  slots.fill(feed);
  feed.attributes = { ...feed.attributes, 'xml:lang': input.site.language, 'xmlns:dc': dublinCore };
  childElements(feed, 'entry').forEach((entry, index) => {
    const article = input.articles[index];
    if (!article) return;
    // `feed` marks titles and summaries as HTML; they are plain text, so `Tom & Jerry <b>` stays literal.
    const title = firstChild(entry, 'title');
    if (title) {
      title.attributes = { type: 'text' };
      setText(title, article.title);
    }
    const summary = firstChild(entry, 'summary');
    if (summary && article.summary) {
      summary.attributes = { type: 'text' };
      setText(summary, article.summary);
    }
    // An entry without a URL gets no link at all rather than an empty one.
    entry.elements = (entry.elements ?? []).filter(
      (node) => !(node.type === 'element' && node.name === 'link' && !node.attributes?.href),
    );
    for (const link of childElements(entry, 'link')) {
      if (!link.attributes?.rel) link.attributes = { rel: 'alternate', ...link.attributes };
    }
    if (article.language) entry.attributes = { ...entry.attributes, 'xml:lang': article.language };
    if (article.source) insertChildren(entry, -1, [element('dc:source', {}, article.source)]);
  });
  return serializeXml(feed);
}
