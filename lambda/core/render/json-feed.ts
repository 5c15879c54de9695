import { toXmlSafeText } from '../content/xml-text.ts';
import type { Article, Person, SiteConfig } from '../model.ts';
import { articleLink } from './article-address.ts';
import { type FeedDocument, type FeedFormat, feedUrl } from './feed-document.ts';
import { itemHtml } from './feed-model.ts';

/** JSON Feed 1.1; web-based readers fetch it from other origins. */
export const jsonFeedFormat: FeedFormat = {
  fileName: 'feed.json',
  mediaType: 'application/feed+json',
  label: 'JSON Feed',
  specification: 'JSON Feed 1.1',
  outputName: 'JsonFeedUrl',
  crossOrigin: true,
  render: renderJsonFeed,
};

/**
 * JSON Feed 1.1, written directly: `authors` lists, `language`, `hubs`, attachments, pagination
 * (`next_url` to the next older archive page, `expired` on archive pages), and the `_news`
 * extension carrying source, dateline, photo caption and credit. Every text is made safe for
 * any reader (no control characters, no lone surrogates).
 */
export function renderJsonFeed(document: FeedDocument): string {
  const { site, history } = document;
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: document.title,
    home_page_url: site.siteUrl,
    feed_url: feedUrl(site, document.folder, jsonFeedFormat),
    description: site.description,
    // JSON Feed pages run from newest to oldest: "next" is the next older page.
    next_url:
      history.prevArchive === undefined ? undefined : feedUrl(site, history.prevArchive, jsonFeedFormat),
    icon: site.imageUrl,
    favicon: site.iconUrl,
    language: site.language,
    authors: site.author ? [jsonAuthor(site.author)] : undefined,
    expired: history.archived ? true : undefined,
    hubs: site.hubUrl ? [{ type: 'WebSub', url: site.hubUrl }] : undefined,
    items: document.articles.map((article, index) => jsonItem(site, article, index < document.fullCount)),
  };
  const safeText = (_key: string, value: unknown) =>
    typeof value === 'string' ? toXmlSafeText(value) : value;
  return `${JSON.stringify(feed, safeText, 2)}\n`;
}

function jsonItem(site: SiteConfig, article: Article, full: boolean) {
  const tags = [...new Set([...article.categories, ...article.tags])];
  const { image } = article;
  const news = {
    source: article.source,
    dateline: article.dateline,
    image_caption: image?.caption,
    image_credit: image?.credit,
  };
  return {
    id: article.id,
    content_html: itemHtml(article, full),
    url: articleLink(site, article),
    title: article.title,
    summary: article.summary,
    date_modified: article.updated.toISOString(),
    date_published: article.published.toISOString(),
    image: image?.url,
    authors: article.authors.length > 0 ? article.authors.map(jsonAuthor) : undefined,
    tags: tags.length > 0 ? tags : undefined,
    language: article.language,
    attachments:
      article.attachments.length > 0
        ? article.attachments.map((attachment) => ({
            url: attachment.url,
            mime_type: attachment.mimeType,
            title: attachment.title,
            size_in_bytes: attachment.sizeInBytes,
          }))
        : undefined,
    _news: Object.values(news).some((value) => value !== undefined) ? news : undefined,
  };
}

function jsonAuthor(person: Person) {
  return { name: person.name, url: person.url };
}
