import type { Article } from '../model.ts';
import { type FeedDocument, type FeedFormat, feedUrl } from './feed-document.ts';
import { element, type XmlElement } from './xml-tree.ts';

/** The article photo as Media RSS, which RSS and Atom readers both understand, with its caption and credit. */
export function mediaContent(article: Article): XmlElement[] {
  const { image } = article;
  if (!image?.url) return [];
  const children = [
    ...(image.caption ? [element('media:description', { type: 'plain' }, image.caption)] : []),
    ...(image.credit ? [element('media:credit', {}, image.credit)] : []),
  ];
  return [
    element(
      'media:content',
      { url: image.url, medium: 'image', type: image.type, width: image.width, height: image.height },
      children,
    ),
  ];
}

/** RFC 5005 links (`prev-archive`, `next-archive`, `current`) and the archive marker. */
export function historyElements(
  document: FeedDocument,
  format: FeedFormat,
  linkName: 'link' | 'atom:link',
): XmlElement[] {
  const { history, site } = document;
  const link = (rel: string, folder: string | undefined) =>
    folder === undefined
      ? []
      : [element(linkName, { rel, type: format.mediaType, href: feedUrl(site, folder, format) })];
  return [
    ...link('current', history.current),
    ...link('prev-archive', history.prevArchive),
    ...link('next-archive', history.nextArchive),
    ...(history.archived ? [element('fh:archive')] : []),
  ];
}
