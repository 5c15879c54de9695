import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium, headless, with a fresh temporary profile; .ci/run installs it. The flags keep
 * it off the (closed) network.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
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
