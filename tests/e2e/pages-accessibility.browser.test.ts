import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { SiteConfig } from '../../lambda/core/model.ts';
import { runPublish } from '../../lambda/publish/publish-run.ts';
import { FsOutputStore, FsRecordStore, FsStateStore } from '../../lambda/stores/fs.ts';
import {
  accessibilityViolations,
  horizontalOverflow,
  launchChromium,
  schemesAndWidths,
} from '../helpers/browser.ts';
import { contentRoot } from '../helpers/sample.ts';
import { serveFolder } from '../helpers/static-server.ts';

/** Screenshots go here for people to look at; never committed. */
const screenshots = join('test-output', 'screenshots');

let browser: Browser;
/** Two sites from the same content: the default look, and a newsroom's colour, links and footer. */
const sites: Record<
  string,
  { server: Awaited<ReturnType<typeof serveFolder>>; out: string; articlePage: string }
> = {};
const newsroomTheme = {
  accentColor: '#8a1c1c',
  navigation: [
    { label: 'Politics', url: '/politics/' },
    { label: 'About us', url: 'https://www.example.com/about' },
  ],
  footerText: 'Example Wire is published by Example Media, 1 Press Street.',
};

async function publishSite(name: string, theme?: object): Promise<void> {
  const out = await mkdtemp(join(tmpdir(), 'pages-'));
  const server = await serveFolder(out);
  await runPublish({
    records: new FsRecordStore(contentRoot),
    output: new FsOutputStore(out),
    state: new FsStateStore(`${out}-state`),
    now: new Date('2026-01-01T00:00:00Z'),
    // One item in the current feeds, so the other articles fill archive periods with pages of their own.
    siteOverrides: {
      feedBaseUrl: server.url,
      maxItems: 1,
      ...(theme ? { theme: theme as SiteConfig['theme'] } : {}),
    },
  });
  const [pageFolder] = await readdir(join(out, 'articles'));
  const articlePage = `${server.url}articles/${pageFolder}/`;
  sites[name] = { server, out, articlePage };
}

beforeAll(async () => {
  await publishSite('default');
  await publishSite('newsroom', newsroomTheme);
  await mkdir(screenshots, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const { server, out } of Object.values(sites)) {
    await server.close();
    await rm(out, { recursive: true, force: true });
    await rm(`${out}-state`, { recursive: true, force: true });
  }
});

const pageKinds = [
  ['subscribe page', (url: string) => `${url}index.html`],
  ['category page', (url: string) => `${url}categories/world/`],
  ['categories page', (url: string) => `${url}categories/`],
  ['archive index', (url: string) => `${url}archive/`],
  ['archive period page', (url: string) => `${url}archive/2024-05/`],
  ['article page', (_url: string, articlePage: string) => articlePage],
] as const;
const cases = ['default', 'newsroom'].flatMap((theme) =>
  pageKinds.map(([kind, address]) => [`${kind} (${theme} theme)`, theme, kind, address] as const),
);

describe.each(cases)('the %s', (_name, theme, kind, addressOf) => {
  const address = () => {
    const site = sites[theme];
    return site ? addressOf(site.server.url, site.articlePage) : '';
  };
  it.each(schemesAndWidths)(
    'has no WCAG 2.1 AA violations in the %s scheme at %i px, and no sideways scroll',
    async (scheme, width) => {
      const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
      onTestFinished(() => page.close());
      await page.goto(address(), { waitUntil: 'networkidle' });
      await page.screenshot({
        path: join(screenshots, `${kind.replace(/ /g, '-')}-${theme}-${scheme}-${width}.png`),
        fullPage: true,
      });
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    },
  );

  it('weighs under 30 KB of HTML and CSS, and works without JavaScript', async () => {
    const response = await fetch(address());
    const html = await response.text();
    expect(Buffer.byteLength(html)).toBeLessThan(30 * 1024);
    expect(html).not.toMatch(/<script\b/i);
  });
});

describe('the accessibility check itself', () => {
  it('finds the violations of a page made to have them', async () => {
    const page = await browser.newPage();
    onTestFinished(() => page.close());
    await page.setContent(
      '<html><body><img src="data:,"><a href="#"></a><p style="color:#bbb">faint</p></body></html>',
    );
    const found = (await accessibilityViolations(page)).map((violation) => violation.split(':')[0]);
    expect(found).toEqual(
      expect.arrayContaining(['html-has-lang', 'image-alt', 'link-name', 'color-contrast']),
    );
  });
});

describe('the newsroom theme', () => {
  it('draws its links, footer and colour on every page', async () => {
    const site = sites.newsroom;
    const page = await browser.newPage();
    onTestFinished(() => page.close());
    await page.goto(site?.articlePage ?? '', { waitUntil: 'networkidle' });
    expect(await page.locator('nav.site a').allTextContents()).toEqual([
      'Politics',
      'About us',
      'Categories',
      'Archive',
      'Subscribe',
    ]);
    expect(await page.locator('nav.site a').first().getAttribute('href')).toBe(
      'https://www.example.com/politics/',
    );
    expect(await page.locator('footer.site').textContent()).toContain(newsroomTheme.footerText);
    const linkColour = await page
      .locator('main a')
      .first()
      .evaluate(
        (link) =>
          (
            globalThis as unknown as { getComputedStyle(element: unknown): { color: string } }
          ).getComputedStyle(link).color,
      );
    expect(linkColour).toBe('rgb(138, 28, 28)');
  });
});
