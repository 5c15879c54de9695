import { contrastRatio } from '../color-contrast.ts';
import type { SiteConfig } from '../model.ts';
import { feedUrl } from './feed-document.ts';
import { feedFormats } from './formats.ts';
import { renderTemplate } from './theme/theme-engine.ts';

/** What a page's head says: its own title and description, and whose feeds it announces. */
export interface PageHeading {
  readonly title: string;
  readonly description: string;
  /** The feeds' folder ('' for the site's) and their name as readers list them. */
  readonly feeds: { readonly folder: string; readonly name: string };
}

/** Which of the header's own links a page is. */
export type SitePage = 'subscribe' | 'categories' | 'archive';

/** One page: its language, its head, and which header link it is. */
export interface PageInfo {
  readonly language: string;
  readonly heading: PageHeading;
  readonly current?: SitePage;
}

/** A feed as pages link it: its format's label and media type, and its address. */
export interface FeedLink {
  readonly label: string;
  readonly type: string;
  readonly url: string;
}

const defaultAccent = '#0b57d0';
/** Link colour in the dark scheme when the accent does not read on the dark background. */
const darkFallbackAccent = '#8ab4f8';
const darkBackground = '#121212';

/** The header's own links, after the site's navigation. */
const sitePageLinks: readonly { readonly page: SitePage; readonly label: string; readonly path: string }[] = [
  { page: 'categories', label: 'Categories', path: 'categories/' },
  { page: 'archive', label: 'Archive', path: 'archive/' },
  { page: 'subscribe', label: 'Subscribe', path: './' },
];

/**
 * A page of the site: `template` renders the page's own HTML from `scope`, and the layout draws
 * it with the site's header, footer and stylesheet. Every template sees `site` and `page`.
 */
export function renderPage(
  site: SiteConfig,
  template: string,
  page: PageInfo,
  scope: Record<string, unknown>,
): string {
  const common = { site: siteScope(site), page: pageScope(site, page) };
  const content = renderTemplate(site.templates, template, { ...common, ...scope });
  return renderTemplate(site.templates, 'layout.liquid', { ...common, content });
}

/** The feeds of a folder ('' for the site's own). */
export function feedLinks(site: SiteConfig, folder: string): FeedLink[] {
  return feedFormats.map((format) => ({
    label: format.label,
    type: format.mediaType,
    url: feedUrl(site, folder, format),
  }));
}

/** An address pages may link: only http(s), whatever reached the site's data. */
export function safeLink(url: string | undefined): string | undefined {
  return url !== undefined && /^https?:\/\//i.test(url) ? url : undefined;
}

const siteScopes = new WeakMap<SiteConfig, Record<string, unknown>>();

/** What templates know of the site as `site`, made once per site (a rebuild draws a page per article). */
function siteScope(site: SiteConfig): Record<string, unknown> {
  let scope = siteScopes.get(site);
  if (!scope) {
    const accent = site.theme.accentColor ?? defaultAccent;
    scope = {
      title: site.title,
      description: site.description,
      language: site.language,
      url: new URL('./', site.feedBaseUrl).href,
      copyright: site.copyright,
      logo_url: safeLink(site.theme.logoUrl),
      icon_url: safeLink(site.iconUrl),
      footer_text: site.theme.footerText,
      navigation: site.theme.navigation.flatMap(({ label, url }) => {
        const href = safeLink(url);
        return href ? [{ label, url: href }] : [];
      }),
      feeds: feedLinks(site, ''),
      // The accent is validated as #rrggbb when site.json is read: nothing else reaches the CSS.
      accent_color: accent,
      dark_accent_color: contrastRatio(accent, darkBackground) >= 4.5 ? accent : darkFallbackAccent,
    };
    siteScopes.set(site, scope);
  }
  return scope;
}

/** What templates know of the page as `page`: its head, its feeds and the header's links. */
function pageScope(site: SiteConfig, page: PageInfo): Record<string, unknown> {
  const { navigation } = siteScope(site) as { navigation: { label: string; url: string }[] };
  return {
    language: page.language,
    title: page.heading.title,
    description: page.heading.description,
    feeds_name: page.heading.feeds.name,
    feeds: feedLinks(site, page.heading.feeds.folder),
    current: page.current,
    links: [
      ...navigation.map((link) => ({ ...link, current: false })),
      ...sitePageLinks.map(({ page: which, label, path }) => ({
        label,
        url: new URL(path, site.feedBaseUrl).href,
        current: page.current === which,
      })),
    ],
  };
}
