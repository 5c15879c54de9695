import { Feed, type Item } from 'feed';
import { articleHtml } from '../content/article-html.ts';
import { escapeHtml } from '../content/html.ts';
import type { Article, SiteConfig } from '../model.ts';
import { feedUrl } from './feed-paths.ts';

export interface FeedInput {
  readonly site: SiteConfig;
  /** Newest first, already filtered to what is visible. */
  readonly articles: readonly Article[];
  /** Folder of this feed set under the feeds root: '' or 'categories/<slug>/'. */
  readonly folder: string;
  /** Title of this feed set (the site title, or the site title and the category). */
  readonly title: string;
}

export interface FeedBuildOptions {
  /** Wraps each free text before `feed` sees it (see TextSlots); identity for JSON. */
  readonly text: (value: string) => string;
  /** Whether summaries become HTML (RSS, Atom) or stay plain text (JSON Feed). */
  readonly summaryAsHtml: boolean;
}

/** The newest change among the articles: a feed's `updated`, never the clock, so unchanged input gives unchanged output. */
export function newestChange(articles: readonly Article[]): Date {
  const newest = Math.max(0, ...articles.map((article) => article.updated.getTime()));
  return new Date(newest);
}

/** Builds the `feed` package's model of one feed set. */
export function buildFeed(input: FeedInput, options: FeedBuildOptions): Feed {
  const { site, folder } = input;
  const { text } = options;
  const feed = new Feed({
    id: feedUrl(site.feedBaseUrl, folder, 'atom'),
    title: text(input.title),
    description: text(site.description),
    link: site.siteUrl,
    language: site.language,
    updated: newestChange(input.articles),
    generator: 'feed-publisher',
    copyright: site.copyright === undefined ? undefined : text(site.copyright),
    feedLinks: {
      rss: feedUrl(site.feedBaseUrl, folder, 'rss'),
      atom: feedUrl(site.feedBaseUrl, folder, 'atom'),
      json: feedUrl(site.feedBaseUrl, folder, 'json'),
    },
    author: site.author && {
      name: text(site.author.name),
      email: site.author.email,
      link: site.author.url,
    },
  });
  for (const article of input.articles) {
    const summary = article.summary ?? '';
    const item: Item = {
      id: article.id,
      title: text(article.title),
      // `feed` types link as required, but every format handles it missing; an empty one would not parse.
      link: article.url as string,
      date: article.updated,
      published: article.published,
      description: summary === '' ? undefined : text(options.summaryAsHtml ? escapeHtml(summary) : summary),
      content: text(articleHtml(article)),
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
  }
  return feed;
}
