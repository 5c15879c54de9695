import type { FeedDocument, FeedFormat } from './feed-document.ts';
import { buildFeedModel } from './feed-model.ts';
import { namespaces } from './namespaces.ts';
import { TextSlots } from './text-slots.ts';
import { historyElements, mediaContent } from './xml-extensions.ts';
import {
  articleFor,
  childElements,
  element,
  firstChild,
  insertChildren,
  parseXml,
  serializeXml,
  setText,
  textOf,
} from './xml-tree.ts';

/** Atom 1.0. */
export const atomFormat: FeedFormat = {
  fileName: 'atom.xml',
  mediaType: 'application/atom+xml',
  label: 'Atom',
  specification: 'Atom 1.0',
  outputName: 'AtomUrl',
  crossOrigin: false,
  render: renderAtom,
};

/** Atom 1.0 (RFC 4287), rendered by `feed` and finished here. */
export function renderAtom(document: FeedDocument): string {
  const slots = new TextSlots();
  const feed = parseXml(buildFeedModel(document, { text: slots.slot, format: atomFormat }).atom1());
  slots.fill(feed);
  feed.attributes = {
    ...feed.attributes,
    'xml:lang': document.site.language,
    'xmlns:dc': namespaces.dc,
    'xmlns:media': namespaces.media,
    ...(document.history.archived ? { 'xmlns:fh': namespaces.history } : {}),
  };
  for (const link of childElements(feed, 'link')) {
    if (link.attributes?.rel === 'self') link.attributes = { ...link.attributes, type: atomFormat.mediaType };
  }
  const firstEntry = (feed.elements ?? []).findIndex(
    (node) => node.type === 'element' && node.name === 'entry',
  );
  insertChildren(feed, firstEntry, historyElements(document, atomFormat, 'link'));

  for (const entry of childElements(feed, 'entry')) {
    const article = articleFor(document.articles, textOf(firstChild(entry, 'id')));
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
    insertChildren(entry, -1, [
      ...article.attachments.map((attachment) =>
        element('link', {
          rel: 'enclosure',
          href: attachment.url,
          type: attachment.mimeType,
          length: attachment.sizeInBytes,
          title: attachment.title,
        }),
      ),
      ...mediaContent(article),
      ...(article.source ? [element('dc:source', {}, article.source)] : []),
    ]);
  }
  return serializeXml(feed);
}
