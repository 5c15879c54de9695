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
  removeChildren,
  serializeXml,
  textOf,
} from './xml-tree.ts';

/** RSS 2.0. */
export const rssFormat: FeedFormat = {
  fileName: 'rss.xml',
  mediaType: 'application/rss+xml',
  label: 'RSS',
  specification: 'RSS 2.0',
  outputName: 'RssUrl',
  crossOrigin: false,
  render: renderRss,
};

/** RSS 2.0, rendered by `feed` and finished here. */
export function renderRss(document: FeedDocument): string {
  const slots = new TextSlots();
  const rss = parseXml(buildFeedModel(document, { text: slots.slot, format: rssFormat }).rss2());
  slots.fill(rss);
  rss.attributes = {
    ...rss.attributes,
    'xmlns:atom': namespaces.atom,
    'xmlns:dc': namespaces.dc,
    'xmlns:media': namespaces.media,
    ...(document.history.archived ? { 'xmlns:fh': namespaces.history } : {}),
  };
  const channel = firstChild(rss, 'channel');
  if (!channel) throw new Error('feed rendered RSS without a channel');
  const firstItem = (channel.elements ?? []).findIndex(
    (node) => node.type === 'element' && node.name === 'item',
  );
  insertChildren(channel, firstItem, historyElements(document, rssFormat, 'atom:link'));

  for (const item of childElements(channel, 'item')) {
    const article = articleFor(document.articles, textOf(firstChild(item, 'guid')));
    // RSS <author> must be an e-mail address; names go in dc:creator, which readers show.
    const authorIndex = removeChildren(item, 'author');
    insertChildren(
      item,
      authorIndex,
      article.authors.map((person) => element('dc:creator', {}, person.name)),
    );
    const [attachment] = article.attachments;
    insertChildren(item, -1, [
      // RSS allows one enclosure per item: the first attachment. The photo goes in media:content.
      ...(attachment
        ? [
            element('enclosure', {
              url: attachment.url,
              length: attachment.sizeInBytes ?? 0,
              type: attachment.mimeType,
            }),
          ]
        : []),
      ...mediaContent(article),
      ...(article.source ? [element('dc:source', {}, article.source)] : []),
      ...(article.language ? [element('dc:language', {}, article.language)] : []),
    ]);
  }
  return serializeXml(rss);
}
