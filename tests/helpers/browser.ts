import chromiumBinary from '@sparticuz/chromium';
import { type Browser, chromium } from 'playwright-core';

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
