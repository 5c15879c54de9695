import { toXmlSafeText } from '../content/xml-text.ts';
import type { Article, Person } from '../model.ts';
import { type FeedDocument, feedUrl } from './feed-document.ts';
import { buildFeedModel } from './feed-model.ts';

type JsonObject = Record<string, unknown>;

/**
 * JSON Feed 1.1. `feed` writes version 1 with a single `author`; its output is read back as data
 * and reshaped into 1.1: `authors` lists, `language`, `hubs`, attachments, pagination, and the
 * `_news` extension carrying source, dateline, photo caption and credit.
 */
export function renderJsonFeed(document: FeedDocument): string {
  const legacy = JSON.parse(
    buildFeedModel(document, { text: (value) => value, summaryAsHtml: false }).json1(),
  ) as JsonObject;
  const legacyItems = (legacy.items as JsonObject[] | undefined) ?? [];
  const { site, history } = document;
  const feed: JsonObject = {
    version: 'https://jsonfeed.org/version/1.1',
    title: legacy.title,
    home_page_url: legacy.home_page_url,
    feed_url: legacy.feed_url,
    description: legacy.description,
    // JSON Feed pages run from newest to oldest: "next" is the next older page.
    next_url: history.prevArchive === undefined ? undefined : feedUrl(site, history.prevArchive, 'json'),
    icon: site.imageUrl,
    favicon: site.iconUrl,
    language: site.language,
    authors: site.author ? [jsonAuthor(site.author)] : undefined,
    expired: history.archived ? true : undefined,
    hubs: site.hubUrl ? [{ type: 'WebSub', url: site.hubUrl }] : undefined,
    items: legacyItems.map((legacyItem, index) => {
      const article = document.articles[index];
      return article ? jsonItem(legacyItem, article) : legacyItem;
    }),
  };
  const safeText = (_key: string, value: unknown) =>
    typeof value === 'string' ? toXmlSafeText(value) : value;
  return `${JSON.stringify(feed, safeText, 2)}\n`;
}

function jsonItem(legacyItem: JsonObject, article: Article): JsonObject {
  const { author: _single, tags: _tags, image: _image, ...rest } = legacyItem;
  const tags = [...new Set([...article.categories, ...article.tags])];
  const { image } = article;
  const news = {
    source: article.source,
    dateline: article.dateline,
    image_caption: image?.caption,
    image_credit: image?.credit,
  };
  return {
    ...rest,
    // `feed` drops the summary when the content is empty; it is the article's, whatever the body.
    summary: article.summary,
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

function jsonAuthor(person: Person): JsonObject {
  return { name: person.name, url: person.url };
}
