import type { SiteConfig } from '../../lambda/core/model.ts';

/** A fixed site configuration for tests. */
export function makeSite(overrides: Partial<SiteConfig> = {}): SiteConfig {
  return {
    title: 'Test Wire',
    description: 'Test feeds',
    siteUrl: 'https://www.example.com/',
    feedBaseUrl: 'https://feeds.example.com/',
    language: 'en',
    timezone: 'Europe/Moscow',
    maxItems: 50,
    ...overrides,
  };
}
