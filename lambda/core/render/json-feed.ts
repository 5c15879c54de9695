import { toXmlSafeText } from '../content/xml-text.ts';
import type { Person } from '../model.ts';
import { buildFeed, type FeedInput } from './feed-input.ts';

type JsonObject = Record<string, unknown>;

/**
 * JSON Feed 1.1. `feed` writes version 1 with a single `author`; its output is read back and
 * turned into 1.1 (authors arrays, language, our news extension).
 */
export function renderJsonFeed(input: FeedInput): string {
  const legacy = JSON.parse(
    buildFeed(input, { text: (value) => value, summaryAsHtml: false }).json1(),
  ) as JsonObject;
  const legacyItems = (legacy.items as JsonObject[] | undefined) ?? [];
  const { site } = input;
  const feed: JsonObject = {
    version: 'https://jsonfeed.org/version/1.1',
    title: legacy.title,
    home_page_url: legacy.home_page_url,
    feed_url: legacy.feed_url,
    description: legacy.description,
    language: site.language,
    authors: site.author ? [jsonAuthor(site.author)] : undefined,
    items: legacyItems.map((legacyItem, index) => {
      const article = input.articles[index];
      if (!article) return legacyItem;
      const { author: _single, tags: _tags, ...rest } = legacyItem;
      return {
        ...rest,
        authors: article.authors.length > 0 ? article.authors.map(jsonAuthor) : undefined,
        tags:
          article.categories.length + article.tags.length > 0
            ? [...article.categories, ...article.tags]
            : undefined,
        language: article.language,
        _news:
          article.source || article.dateline || article.image?.caption || article.image?.credit
            ? {
                source: article.source,
                dateline: article.dateline,
                image_caption: article.image?.caption,
                image_credit: article.image?.credit,
              }
            : undefined,
      };
    }),
  };
  return `${JSON.stringify(feed, (_key, value: unknown) => (typeof value === 'string' ? toXmlSafeText(value) : value), 2)}\n`;
}

function jsonAuthor(person: Person): JsonObject {
  return { name: person.name, url: person.url };
}
