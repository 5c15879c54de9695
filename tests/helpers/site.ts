import type { SiteConfig, SourceRecord } from '../../lambda/core/model.ts';
import { plan } from '../../lambda/core/plan.ts';
import { versionOf } from '../../lambda/core/records/content-tag.ts';
import { siteDefaults } from '../../lambda/core/site-config.ts';
import { emptyState, type PublishState } from '../../lambda/core/state.ts';

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

/** Runs the pure core over records, from an empty state unless one is given. */
export function planRecords(
  records: readonly SourceRecord[],
  options: { now?: Date; previous?: PublishState; site?: SiteConfig } = {},
) {
  return plan({
    site: options.site ?? makeSite(),
    listing: records.map(versionOf),
    records,
    previous: options.previous ?? emptyState,
    now: options.now ?? fixedNow,
  });
}
