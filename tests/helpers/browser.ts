import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import chromiumBinary from '@sparticuz/chromium';
import { type Browser, chromium, type Page } from 'playwright-core';

const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Headless Chromium from the npm registry (@sparticuz/chromium ships the binary inside the
 * package), so `npm ci && npm test` is enough on a bare machine; CHROMIUM_PATH points at another
 * build instead. Its Lambda-oriented flags (single process, web security off) are left out: the
 * tests want a browser as readers have it. A fresh temporary profile; the flags keep it off the
 * (closed) network.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH || (await chromiumBinary.executablePath());
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The WCAG 2.1 A and AA rules of axe-core, run in the page; each violation as `rule: where`. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const results = await page.evaluate(() =>
    (
      globalThis as unknown as {
        axe: {
          run(options: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  return results.violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`),
  );
}

/** How many pixels the page is wider than its viewport (0 or less: no sideways scroll). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const view = globalThis as unknown as {
      document: { documentElement: { scrollWidth: number } };
      innerWidth: number;
    };
    return view.document.documentElement.scrollWidth - view.innerWidth;
  });
}

/** Each page is checked in both colour schemes, at a desktop and a phone width. */
export const schemesAndWidths = [
  ['light', 1280],
  ['light', 375],
  ['dark', 1280],
  ['dark', 375],
] as const;
