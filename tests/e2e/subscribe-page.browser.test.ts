import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { runPublish } from '../../lambda/publish/publish-run.ts';
import { FsOutputStore, FsRecordStore, FsStateStore } from '../../lambda/stores/fs.ts';
import { launchChromium } from '../helpers/browser.ts';
import { contentRoot, sampleExpectations } from '../helpers/sample.ts';
import { serveFolder } from '../helpers/static-server.ts';

let browser: Browser;
let site: Awaited<ReturnType<typeof serveFolder>>;
let out: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'public-'));
  site = await serveFolder(out);
  await runPublish({
    records: new FsRecordStore(contentRoot),
    output: new FsOutputStore(out),
    state: new FsStateStore(`${out}-state`),
    now: new Date('2026-01-01T00:00:00Z'),
    siteOverrides: { feedBaseUrl: site.url },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await rm(out, { recursive: true, force: true });
  await rm(`${out}-state`, { recursive: true, force: true });
});

describe('the subscribe page in Chromium', () => {
  it('renders the feeds and the latest items, requesting nothing but the page', async () => {
    site.requested.length = 0;
    const page = await browser.newPage();
    onTestFinished(() => page.close());
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${site.url}index.html`, { waitUntil: 'networkidle' });

    expect(requests).toEqual([`${site.url}index.html`]);
    // Not even the browser's own favicon request reaches the server.
    expect(site.requested).toEqual(['/index.html']);
    expect(problems).toEqual([]);
    expect(await page.locator('h1').textContent()).toBe('Example Wire');
    expect(await page.locator('ul.latest > li h3').allTextContents()).toContain(sampleExpectations.title);
  });

  it('announces the three feeds for autodiscovery, and each link serves its feed', async () => {
    const page = await browser.newPage();
    onTestFinished(() => page.close());
    await page.goto(`${site.url}index.html`);
    const alternates = await page
      .locator('link[rel="alternate"]')
      .evaluateAll((links) => links.map((link) => [link.getAttribute('type'), link.getAttribute('href')]));
    expect(alternates).toEqual([
      ['application/rss+xml', `${site.url}rss.xml`],
      ['application/atom+xml', `${site.url}atom.xml`],
      ['application/feed+json', `${site.url}feed.json`],
    ]);
    for (const [, href] of alternates) {
      const response = await page.request.get(String(href));
      expect(response.status()).toBe(200);
      expect(await response.text()).toContain(sampleExpectations.title);
    }
    const categoryLinks = await page
      .locator('a[href*="/categories/"]')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
    expect(categoryLinks).toContain(`${site.url}categories/world/atom.xml`);
    for (const href of categoryLinks) expect((await page.request.get(href)).status()).toBe(200);
  });

  it('answers at a category folder with its page, which requests nothing and whose site links all answer', async () => {
    site.requested.length = 0;
    const page = await browser.newPage();
    onTestFinished(() => page.close());
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const response = await page.goto(`${site.url}categories/world/`, { waitUntil: 'networkidle' });
    expect(response?.status()).toBe(200);
    expect(requests).toEqual([`${site.url}categories/world/`]);
    expect(await page.locator('h1').textContent()).toBe('Example Wire: World');
    expect(await page.locator('ul.latest > li h3').allTextContents()).toContain(sampleExpectations.title);
    const links = await page
      .locator(`a[href^="${site.url}"], link[href^="${site.url}"]`)
      .evaluateAll((elements) => elements.map((element) => element.getAttribute('href') ?? ''));
    expect(links.length).toBeGreaterThan(3);
    for (const href of links) expect((await page.request.get(href)).status(), href).toBe(200);
  });

  it('opens the page of an item without a url from the subscribe page; it requests nothing else and its site links all answer', async () => {
    const page = await browser.newPage();
    onTestFinished(() => page.close());
    await page.goto(`${site.url}index.html`);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.locator('ul.latest a', { hasText: sampleExpectations.title }).click();
    await page.waitForLoadState('networkidle');
    expect(page.url()).toMatch(new RegExp(`^${site.url}articles/[0-9a-f-]{36}/$`));
    expect(requests).toEqual([page.url()]);
    expect(await page.locator('h1').textContent()).toBe(sampleExpectations.title);
    expect(await page.locator('figcaption').textContent()).toContain(sampleExpectations.credit);
    const links = await page
      .locator(`a[href^="${site.url}"], link[href^="${site.url}"]`)
      .evaluateAll((elements) => elements.map((element) => element.getAttribute('href') ?? ''));
    expect(links).toContain(`${site.url}categories/world/`);
    for (const href of links) expect((await page.request.get(href)).status(), href).toBe(200);
  });
});
