import { Feed, type Item } from 'feed';
import { articleHtml } from '../content/article-html.ts';
import { escapeHtml } from '../content/html.ts';
import type { Article } from '../model.ts';
import { articleLink } from './article-address.ts';
import { type FeedDocument, type FeedFormat, feedUrl, newestChange } from './feed-document.ts';

export interface FeedModelOptions {
  /** Wraps each free text before `feed` sees it (see TextSlots). */
  readonly text: (value: string) => string;
  /** The format being written: the feed's own address (its `self` link, and Atom's feed id). */
  readonly format: FeedFormat;
}

/** The body readers see: the full article, or, past the size budget, just its summary. */
export function itemHtml(article: Article, full: boolean): string {
  return full ? articleHtml(article) : `<p>${escapeHtml(article.summary ?? article.title)}</p>`;
}

/**
 * The `feed` package's model of one document, for RSS and Atom (JSON Feed is written directly).
 * Images and attachments are left out on purpose: `feed` guesses their media types from file
 * names (`image/jpg`) and drops all but one; the format modules add them.
 */
export function buildFeedModel(document: FeedDocument, options: FeedModelOptions): Feed {
  const { site, folder } = document;
  const { text } = options;
  const self = feedUrl(site, folder, options.format);
  const feed = new Feed({
    id: self,
    title: text(document.title),
    description: text(site.description),
    link: site.siteUrl,
    language: site.language,
    updated: newestChange(document.articles),
    generator: 'feed-publisher',
    ttl: site.ttl,
    hub: site.hubUrl,
    image: site.imageUrl,
    favicon: site.iconUrl,
    copyright: site.copyright === undefined ? undefined : text(site.copyright),
    feed: self,
    // Atom needs an author for every entry; the site's (or its title) covers entries without one.
    author: {
      name: text(site.author?.name ?? site.title),
      email: site.author?.email,
      link: site.author?.url,
    },
  });
  document.articles.forEach((article, index) => {
    const summary = article.summary;
    const item: Item = {
      id: article.id,
      title: text(article.title),
      // Every item can be opened: its own url, or the page published for it.
      link: articleLink(document.site, article),
      date: article.updated,
      published: article.published,
      description: summary === undefined ? undefined : text(escapeHtml(summary)),
      content: text(itemHtml(article, index < document.fullCount)),
      // `feed` crashes on an empty author list in JSON, so no authors means no list.
      author:
        article.authors.length === 0
          ? undefined
          : article.authors.map((person) => ({
              name: text(person.name),
              email: person.email,
              link: person.url,
            })),
      category: article.categories.map((name) => ({ name: text(name), term: text(name) })),
    };
    feed.addItem(item);
  });
  return feed;
}
