import type { Article, FeedFile, SiteConfig } from '../model.ts';
import { renderAtom } from './atom.ts';
import { renderJsonFeed } from './json-feed.ts';
import { renderRss } from './rss.ts';
import { renderSubscribePage } from './subscribe-page.ts';

export const mediaTypes = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
  html: 'text/html; charset=utf-8',
} as const;

/** Current feeds change with every publish: readers may cache them briefly. */
const currentFeedCaching = 'public, max-age=300, stale-while-revalidate=60';

/** Renders every published file for the visible articles (newest first). */
export function renderSite(site: SiteConfig, visible: readonly Article[]): FeedFile[] {
  const input = { site, articles: visible.slice(0, site.maxItems), folder: '', title: site.title };
  return [
    {
      path: 'rss.xml',
      contentType: mediaTypes.rss,
      cacheControl: currentFeedCaching,
      body: renderRss(input),
    },
    {
      path: 'atom.xml',
      contentType: mediaTypes.atom,
      cacheControl: currentFeedCaching,
      body: renderAtom(input),
    },
    {
      path: 'feed.json',
      contentType: mediaTypes.json,
      cacheControl: currentFeedCaching,
      body: renderJsonFeed(input),
    },
    {
      path: 'index.html',
      contentType: mediaTypes.html,
      cacheControl: currentFeedCaching,
      body: renderSubscribePage(site, visible),
    },
  ];
}
