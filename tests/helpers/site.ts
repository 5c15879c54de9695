import { buildSite } from '../../lambda/core/build-site.ts';
import type { SiteConfig, SourceRecord } from '../../lambda/core/model.ts';
import { siteDefaults } from '../../lambda/core/site-config.ts';
import { contentTag } from '../../lambda/stores/content-tag.ts';

/** A fixed site configuration for tests. */
export function makeSite(overrides: Partial<SiteConfig> = {}): SiteConfig {
  return {
    title: 'Test Wire',
    description: 'Test feeds',
    siteUrl: 'https://www.example.com/',
    feedBaseUrl: 'https://feeds.example.com/',
    ...siteDefaults,
    timezone: 'Europe/Moscow',
    ...overrides,
  };
}

/** A record from text, as a store would hand it over. */
export function makeRecord(key: string, text: string | object): SourceRecord {
  return { key, body: new TextEncoder().encode(typeof text === 'string' ? text : JSON.stringify(text)) };
}

export const fixedNow = new Date('2026-01-01T00:00:00Z');

/** Runs the pure core over records from scratch. */
export function planRecords(
  records: readonly SourceRecord[],
  options: { now?: Date; site?: SiteConfig } = {},
) {
  return buildSite({
    site: options.site ?? makeSite(),
    records: records.map((record) => ({ ...record, etag: contentTag(record.body) })),
    now: options.now ?? fixedNow,
  });
}
