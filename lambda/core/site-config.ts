import type { RecordLimits, SiteConfig } from './model.ts';
import { isKnownTimeZone } from './records/dates.ts';

export class SiteConfigError extends Error {
  override readonly name = 'SiteConfigError';
}

/** Reads site.json. `overrides` win over the file (e.g. the feed URL of a fresh deployment). */
export function readSiteConfig(text: string, overrides: Partial<SiteConfig> = {}): SiteConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SiteConfigError(`site.json is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SiteConfigError('site.json must hold one JSON object');
  }
  const merged: Record<string, unknown> = {
    ...(raw as Record<string, unknown>),
    ...stripUndefined(overrides),
  };
  const text_ = (name: string, fallback?: string): string => {
    const value = merged[name] ?? fallback;
    if (typeof value !== 'string' || value.trim() === '') {
      throw new SiteConfigError(`site.json: ${name} must be a non-empty text`);
    }
    return value.trim();
  };
  const url = (name: string): string => {
    const value = text_(name);
    try {
      const parsed = new URL(value);
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error();
      return parsed.href.endsWith('/') || name !== 'feedBaseUrl' ? parsed.href : `${parsed.href}/`;
    } catch {
      throw new SiteConfigError(`site.json: ${name} '${value}' is not an absolute http(s) URL`);
    }
  };
  const timezone = text_('timezone', 'UTC');
  if (!isKnownTimeZone(timezone)) {
    throw new SiteConfigError(
      `site.json: timezone '${timezone}' is not an IANA time zone like 'Europe/Berlin'`,
    );
  }
  const maxItems = merged.maxItems ?? 50;
  if (typeof maxItems !== 'number' || !Number.isInteger(maxItems) || maxItems < 1) {
    throw new SiteConfigError(
      `site.json: maxItems must be a whole number of at least 1, not ${String(maxItems)}`,
    );
  }
  const limits = readLimits(merged.limits);
  const author = merged.author as SiteConfig['author'] | undefined;
  if (author !== undefined && (typeof author !== 'object' || typeof author?.name !== 'string')) {
    throw new SiteConfigError('site.json: author must be {"name": ..., "email"?: ..., "url"?: ...}');
  }
  return {
    title: text_('title'),
    description: text_('description'),
    siteUrl: url('siteUrl'),
    feedBaseUrl: url('feedBaseUrl'),
    language: text_('language', 'en'),
    author,
    copyright: typeof merged.copyright === 'string' ? merged.copyright : undefined,
    timezone,
    maxItems,
    limits,
  };
}

export const defaultLimits: RecordLimits = {
  maxRecordBytes: 1024 * 1024,
  maxTitleLength: 1000,
  maxCategories: 100,
};

function readLimits(value: unknown): RecordLimits {
  if (value === undefined) return defaultLimits;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SiteConfigError('site.json: limits must be an object like {"maxRecordBytes": 1048576}');
  }
  const given = value as Record<string, unknown>;
  const read = (name: keyof RecordLimits): number => {
    const entry = given[name] ?? defaultLimits[name];
    if (typeof entry !== 'number' || !Number.isSafeInteger(entry) || entry < 1) {
      throw new SiteConfigError(
        `site.json: limits.${name} must be a whole number of at least 1, not ${String(entry)}`,
      );
    }
    return entry;
  };
  return {
    maxRecordBytes: read('maxRecordBytes'),
    maxTitleLength: read('maxTitleLength'),
    maxCategories: read('maxCategories'),
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
