import { contrastRatio } from '../color-contrast.ts';
import { escapeHtml } from '../content/html.ts';
import type { SiteConfig } from '../model.ts';
import { feedUrl } from './feed-document.ts';
import { pageFormats } from './page-parts.ts';

/** What a page's head says: its own title and description, and whose feeds it announces. */
export interface PageHeading {
  readonly title: string;
  readonly description: string;
  /** The feeds' folder ('' for the site's) and their name as readers list them. */
  readonly feeds: { readonly folder: string; readonly name: string };
}

/** One page: its language, head, and the HTML of its `<main>`. */
export interface PageContent {
  readonly language: string;
  readonly heading: PageHeading;
  readonly main: string;
  /** Which of the header's own links is this page, if any. */
  readonly current?: 'subscribe' | 'categories';
}

const defaultAccent = '#0b57d0';
/** Link colour in the dark scheme when the accent does not read on the dark background. */
const darkFallbackAccent = '#8ab4f8';
const darkBackground = '#121212';

/**
 * The page every page kind is drawn in: the site's header (logo or name, its links), a skip
 * link, the page's own `<main>`, and the footer with the feeds. One small stylesheet inline:
 * the site's accent colour, a dark scheme, focus rings and print rules; no scripts, and nothing
 * requested from elsewhere unless the site gives a logo.
 */
export function renderPage(site: SiteConfig, page: PageContent): string {
  const home = new URL('./', site.feedBaseUrl).href;
  const { theme } = site;
  const brand = theme.logoUrl
    ? `<img src="${escapeHtml(theme.logoUrl)}" alt="" height="32"><span>${escapeHtml(site.title)}</span>`
    : `<span>${escapeHtml(site.title)}</span>`;
  const links = [
    ...theme.navigation.map(
      (link) => `<li><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></li>`,
    ),
    ...[
      ['categories', 'Categories', new URL('categories/', site.feedBaseUrl).href],
      ['subscribe', 'Subscribe', home],
    ].map(
      ([which, label, url]) =>
        `<li><a href="${escapeHtml(url ?? '')}"${page.current === which ? ' aria-current="page"' : ''}>${label}</a></li>`,
    ),
  ].join('');
  const feeds = pageFormats
    .map(({ format, label }) => `<a href="${escapeHtml(feedUrl(site, '', format))}">${label}</a>`)
    .join(' · ');
  const footerLines = [
    theme.footerText ? `<p>${escapeHtml(theme.footerText)}</p>` : '',
    `<p class="feeds">Follow ${escapeHtml(site.title)}: ${feeds}</p>`,
    site.copyright ? `<p>${escapeHtml(site.copyright)}</p>` : '',
  ].filter((line) => line !== '');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(page.language)}">
  <head>
    ${pageHead(site, page.heading)}
  </head>
  <body>
    <a class="skip" href="#main">Skip to content</a>
    <header class="site">
      <div class="wrap">
        <a class="brand" href="${escapeHtml(home)}">${brand}</a>
        <nav class="site" aria-label="Site"><ul>${links}</ul></nav>
      </div>
    </header>
    <main id="main" class="wrap">
${page.main}
    </main>
    <footer class="site">
      <div class="wrap">
        ${footerLines.join('\n        ')}
      </div>
    </footer>
  </body>
</html>
`;
}

/**
 * What every page's head holds: its title and description, the site's icon (or none, so the
 * browser asks for nothing), autodiscovery links to the feeds, and the stylesheet.
 */
function pageHead(site: SiteConfig, { title, description, feeds }: PageHeading): string {
  const discovery = pageFormats
    .map(
      ({ format, label, type }) =>
        `<link rel="alternate" type="${type}" title="${escapeHtml(feeds.name)} (${label})" href="${escapeHtml(feedUrl(site, feeds.folder, format))}">`,
    )
    .join('\n    ');
  return `<meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="color-scheme" content="light dark">
    <title>${escapeHtml(title)}</title>
    <meta name="description" content="${escapeHtml(description)}">
    <link rel="icon" href="${site.iconUrl ? escapeHtml(site.iconUrl) : 'data:,'}">
    ${discovery}
    <style>${pageStyle(site.theme.accentColor ?? defaultAccent)}</style>`;
}

/** The stylesheet, with the accent checked for the dark scheme too (it was checked on white). */
function pageStyle(accent: string): string {
  const darkAccent = contrastRatio(accent, darkBackground) >= 4.5 ? accent : darkFallbackAccent;
  // The accent is validated as #rrggbb when site.json is read: nothing else reaches the CSS.
  return `
      :root { color-scheme: light dark; --text: #1a1a1a; --muted: #555; --bg: #fff; --rule: #d0d0d0; --accent: ${accent}; }
      @media (prefers-color-scheme: dark) { :root { --text: #e8e8e8; --muted: #b4b4b4; --bg: ${darkBackground}; --rule: #3a3a3a; --accent: ${darkAccent}; } }
      body { font: 1rem/1.5 system-ui, sans-serif; margin: 0; color: var(--text); background: var(--bg); overflow-wrap: break-word; }
      .wrap { max-width: 42rem; margin: 0 auto; padding: 0 1rem; }
      a { color: var(--accent); }
      a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
      .skip { position: absolute; left: -100vw; }
      .skip:focus { left: 1rem; top: 1rem; padding: 0.5rem; background: var(--bg); }
      header.site { border-top: 4px solid var(--accent); border-bottom: 1px solid var(--rule); }
      header.site .wrap { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem 1.25rem; padding-block: 0.75rem; }
      .brand { display: flex; align-items: center; gap: 0.5rem; font-weight: 700; font-size: 1.15rem; color: var(--text); text-decoration: none; }
      .brand img { height: 2rem; width: auto; }
      nav.site ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0; padding: 0; list-style: none; }
      [aria-current="page"] { font-weight: 600; }
      main { padding-block: 0.5rem 2rem; }
      footer.site { border-top: 1px solid var(--rule); color: var(--muted); font-size: 0.9em; padding-block: 0.5rem 1.5rem; }
      code { word-break: break-all; font-size: 0.85em; }
      h3 { margin-bottom: 0; font-size: 1.05rem; }
      time, .meta, figcaption { color: var(--muted); font-size: 0.9em; }
      img, video, iframe { max-width: 100%; height: auto; }
      figure { margin: 1rem 0; }
      ul.latest, ul.categories { list-style: none; padding: 0; }
      ul.categories li { display: inline; margin-right: 0.75rem; }
      @media print { .skip, nav.site, footer.site .feeds { display: none; } body { color: #000; background: #fff; } a { color: inherit; } }
    `;
}
