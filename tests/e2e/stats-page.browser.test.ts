import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  accessibilityViolations,
  horizontalOverflow,
  launchChromium,
  schemesAndWidths,
} from '../helpers/browser.ts';
import { generateCorpus } from '../helpers/cloudfront-logs.ts';
import { runCli } from '../helpers/run-cli.ts';

let browser: Browser;
let root: string;
let pageUrl: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'stats-page-'));
  const corpus = generateCorpus();
  await mkdir(join(root, 'logs'), { recursive: true });
  for (const file of corpus.files) await writeFile(join(root, 'logs', file.name), file.body);
  const page = join(root, 'stats.html');
  const { code, stderr } = await runCli(['stats', '--logs', join(root, 'logs'), '--html', page]);
  if (code !== 0) throw new Error(stderr);
  pageUrl = pathToFileURL(page).href;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await rm(root, { recursive: true, force: true });
});

describe('the statistics page "stats --html" writes', () => {
  it.each(schemesAndWidths)(
    'has no WCAG 2.1 AA violations in the %s scheme at %i px, no sideways scroll and no request but itself',
    async (scheme, width) => {
      // The page's CSP forbids every script, axe's too: the audit alone is let through.
      const page = await browser.newPage({
        viewport: { width, height: 900 },
        colorScheme: scheme,
        bypassCSP: true,
      });
      onTestFinished(() => page.close());
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      await page.goto(pageUrl, { waitUntil: 'load' });
      expect(requested).toEqual([pageUrl]);
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    },
  );

  it('draws one chart per feed, each named and with its figures in a table', async () => {
    const page = await browser.newPage();
    onTestFinished(() => page.close());
    await page.goto(pageUrl);
    const charts = page.locator('svg[role="img"]');
    expect(await charts.count()).toBeGreaterThan(1);
    for (const chart of await charts.all()) expect(await chart.getAttribute('aria-labelledby')).toBeTruthy();
    expect(await page.locator('table').count()).toBe(await charts.count());
    expect(await page.locator('table caption').allTextContents()).toContain('/rss.xml, per day');
  });
});
