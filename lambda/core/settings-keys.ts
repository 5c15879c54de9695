import { sha256Hex } from './hash.ts';
import type { SiteConfig } from './model.ts';

/**
 * Bumped whenever parsing or cleaning changes what a record turns into, so every record is read
 * again rather than served as the old code left it. tests/lambda/core/settings-keys.test.ts fails
 * when what a fixed corpus reads as changes and this did not.
 */
export const recordReadingVersion = 2;
/** Bumped whenever rendering changes, so every set is rendered again once; the same test holds it. */
export const renderVersion = 6;

/** What reading a record depends on besides its bytes; when it changes, every record is read again. */
export function readingKey(site: SiteConfig): string {
  const { timezone, siteUrl, allowedIframeHosts, limits } = site;
  return hash([recordReadingVersion, timezone, siteUrl, allowedIframeHosts, limits]);
}

/** What rendering depends on: every setting. When it changes, every set is laid out and rendered again. */
export function renderingKey(site: SiteConfig): string {
  return hash([renderVersion, site]);
}

function hash(value: unknown): string {
  return sha256Hex(JSON.stringify(value));
}
