import { buildFeed, type FeedInput } from './feed-input.ts';
import { TextSlots } from './text-slots.ts';
import {
  childElements,
  element,
  firstChild,
  insertChildren,
  parseXml,
  removeChildren,
  serializeXml,
} from './xml-tree.ts';

const dublinCore = 'http://purl.org/dc/elements/1.1/';

/** RSS 2.0, rendered by `feed` and finished here. */
export function renderRss(input: FeedInput): string {
  const slots = new TextSlots();
  const rss = parseXml(buildFeed(input, { text: slots.slot, summaryAsHtml: true }).rss2());
  slots.fill(rss);
  rss.attributes = { ...rss.attributes, 'xmlns:dc': dublinCore };
  const channel = firstChild(rss, 'channel');
  if (!channel) throw new Error('feed rendered RSS without a channel');
  childElements(channel, 'item').forEach((item, index) => {
    const article = input.articles[index];
    if (!article) return;
    // RSS <author> must be an e-mail address; names go in dc:creator, which readers show.
    const authorIndex = removeChildren(item, 'author');
    const creators = article.authors.map((person) => element('dc:creator', {}, person.name));
    insertChildren(item, authorIndex, creators);
    if (article.source) insertChildren(item, -1, [element('dc:source', {}, article.source)]);
  });
  return serializeXml(rss);
}
