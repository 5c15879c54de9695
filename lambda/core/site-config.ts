import { contrastRatio } from './color-contrast.ts';
import { errorMessage } from './error-message.ts';
import type { PageTheme, Person, RecordError, RecordLimits, SiteConfig } from './model.ts';
import { nearestOf } from './nearest-name.ts';
import { archivePeriods, isArchivePeriod } from './periods.ts';
import { isKnownTimeZone } from './records/dates.ts';
import { FieldReader } from './records/field-reader.ts';
import { RecordProblems } from './records/problems.ts';
import { readPerson } from './records/structured-fields.ts';

export class SiteConfigError extends Error {
  override readonly name = 'SiteConfigError';
}

export const defaultLimits: RecordLimits = {
  maxRecordBytes: 1024 * 1024,
  maxTitleLength: 1000,
  maxCategories: 100,
};

/** The settings site.json may leave out. */
export const siteDefaults = {
  language: 'en',
  timezone: 'UTC',
  maxItems: 50,
  maxFeedBytes: 1024 * 1024,
  archivePeriod: 'month',
  ttl: 60,
  allowedIframeHosts: [],
  limits: defaultLimits,
  theme: { navigation: [] },
} as const satisfies Partial<SiteConfig>;

type Raw = Readonly<Record<string, unknown>>;

/** The keys site.json may have. */
const siteKeys = [
  '$schema',
  'title',
  'description',
  'siteUrl',
  'feedBaseUrl',
  'language',
  'author',
  'copyright',
  'timezone',
  'maxItems',
  'maxFeedBytes',
  'archivePeriod',
  'ttl',
  'hubUrl',
  'imageUrl',
  'iconUrl',
  'allowedIframeHosts',
  'limits',
  'theme',
];

/**
 * Keys of site.json that are not settings, with the nearest setting when one looks misspelt: a
 * misspelt key is otherwise silently ignored (and `timeZone` would leave the site on UTC).
 */
export function siteConfigWarnings(text: string): RecordError[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (!isObject(parsed)) return [];
  return Object.keys(parsed)
    .filter((key) => !siteKeys.includes(key))
    .map((key) => {
      const nearest = nearestOf(key, siteKeys);
      return {
        key: 'site.json',
        field: key,
        message: nearest ? `unknown setting; did you mean ${nearest}?` : 'unknown setting, ignored',
      };
    });
}

/** Reads site.json. `overrides` win over the file (e.g. the feed URL of a fresh deployment). */
export function readSiteConfig(text: string, overrides: Partial<SiteConfig> = {}): SiteConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SiteConfigError(`site.json is not valid JSON: ${errorMessage(error)}`);
  }
  if (!isObject(parsed)) throw new SiteConfigError('site.json must hold one JSON object');
  const raw: Raw = {
    ...parsed,
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };

  const timezone = readText(raw, 'timezone', siteDefaults.timezone);
  if (!isKnownTimeZone(timezone)) {
    throw new SiteConfigError(
      `site.json: timezone '${timezone}' is not an IANA time zone like 'Europe/Berlin'`,
    );
  }
  const maxItems = readCount(raw, 'maxItems', siteDefaults.maxItems);
  const archivePeriod = raw.archivePeriod ?? siteDefaults.archivePeriod;
  if (!isArchivePeriod(archivePeriod)) {
    throw new SiteConfigError(
      `site.json: archivePeriod must be one of ${archivePeriods.map((p) => `"${p}"`).join(', ')}, not ${JSON.stringify(archivePeriod)}`,
    );
  }
  const author = readSiteAuthor(raw.author);
  const iframeHosts = raw.allowedIframeHosts ?? [];
  if (
    !Array.isArray(iframeHosts) ||
    !iframeHosts.every((host) => typeof host === 'string' && /^[a-z0-9.-]+$/i.test(host))
  ) {
    throw new SiteConfigError(
      'site.json: allowedIframeHosts must be a list of host names like "www.youtube-nocookie.com"',
    );
  }
  return {
    title: readText(raw, 'title'),
    description: readText(raw, 'description'),
    siteUrl: readUrl(raw, 'siteUrl'),
    feedBaseUrl: asFolder(readUrl(raw, 'feedBaseUrl')),
    language: readText(raw, 'language', siteDefaults.language),
    author,
    copyright: raw.copyright === undefined ? undefined : readText(raw, 'copyright'),
    timezone,
    maxItems,
    maxFeedBytes: readCount(raw, 'maxFeedBytes', siteDefaults.maxFeedBytes),
    archivePeriod,
    ttl: readCount(raw, 'ttl', siteDefaults.ttl),
    hubUrl: raw.hubUrl === undefined ? undefined : readUrl(raw, 'hubUrl'),
    imageUrl: raw.imageUrl === undefined ? undefined : readUrl(raw, 'imageUrl'),
    iconUrl: raw.iconUrl === undefined ? undefined : readUrl(raw, 'iconUrl'),
    allowedIframeHosts: iframeHosts as string[],
    limits: readLimits(raw.limits),
    theme: readTheme(raw.theme, raw),
  };
}

const themeKeys = ['logoUrl', 'accentColor', 'navigation', 'footerText'];
/** Most links a header carries before it stops being a header. */
const maxNavigationLinks = 8;

/** site.json `theme`: each value checked, so nothing hostile or unreadable reaches a page. */
function readTheme(value: unknown, raw: Raw): PageTheme {
  if (value === undefined) return siteDefaults.theme;
  if (!isObject(value))
    throw new SiteConfigError('site.json: theme must be an object like {"accentColor": "#0b5394"}');
  const unknown = Object.keys(value).find((key) => !themeKeys.includes(key));
  if (unknown) {
    const nearest = nearestOf(unknown, themeKeys);
    throw new SiteConfigError(
      `site.json: theme.${unknown} is not a theme setting${nearest ? `; did you mean ${nearest}?` : `; the settings are ${themeKeys.join(', ')}`}`,
    );
  }
  const accentColor =
    value.accentColor === undefined
      ? undefined
      : readText(value, 'accentColor', undefined, 'theme.accentColor');
  if (accentColor !== undefined) {
    if (!/^#[0-9a-f]{6}$/i.test(accentColor))
      throw new SiteConfigError(
        `site.json: theme.accentColor '${accentColor}' is not a colour like "#0b5394"`,
      );
    const ratio = contrastRatio(accentColor, '#ffffff');
    if (ratio < 4.5)
      throw new SiteConfigError(
        `site.json: theme.accentColor '${accentColor}' has a contrast of ${ratio.toFixed(2)}:1 on white; links need 4.5:1 (WCAG AA): pick a darker colour`,
      );
  }
  const navigation = value.navigation ?? [];
  if (!Array.isArray(navigation) || navigation.length > maxNavigationLinks)
    throw new SiteConfigError(
      `site.json: theme.navigation must be a list of at most ${maxNavigationLinks} links like {"label": "Sport", "url": "https://www.example.com/sport/"}`,
    );
  const siteUrl = readUrl(raw, 'siteUrl');
  return {
    logoUrl: value.logoUrl === undefined ? undefined : readUrl(value, 'logoUrl', 'theme.logoUrl'),
    accentColor: accentColor?.toLowerCase(),
    navigation: navigation.map((link: unknown, index) => {
      const where = `theme.navigation[${index}]`;
      if (!isObject(link))
        throw new SiteConfigError(`site.json: ${where} must be {"label": ..., "url": ...}`);
      const label = readText(link, 'label', undefined, `${where}.label`);
      const given = readText(link, 'url', undefined, `${where}.url`);
      // A path is on the website; anything else must be an absolute http(s) address.
      const url = given.startsWith('/') && !given.startsWith('//') ? new URL(given, siteUrl).href : given;
      return { label, url: readUrl({ url }, 'url', `${where}.url`) };
    }),
    footerText:
      value.footerText === undefined
        ? undefined
        : readText(value, 'footerText', undefined, 'theme.footerText'),
  };
}

function readText(raw: Raw, name: string, fallback?: string, label = name): string {
  const value = raw[name] ?? fallback;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new SiteConfigError(`site.json: ${label} must be a non-empty text`);
  }
  return value.trim();
}

function readUrl(raw: Raw, name: string, label = name): string {
  const value = readText(raw, name, undefined, label);
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
  } catch {
    // reported below
  }
  throw new SiteConfigError(`site.json: ${label} '${value}' is not an absolute http(s) URL`);
}

function readCount(raw: Raw, name: string, fallback: number): number {
  const value = raw[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new SiteConfigError(
      `site.json: ${name} must be a whole number of at least 1, not ${String(value)}`,
    );
  }
  return value;
}

function readLimits(value: unknown): RecordLimits {
  if (value === undefined) return defaultLimits;
  if (!isObject(value)) {
    throw new SiteConfigError('site.json: limits must be an object like {"maxRecordBytes": 1048576}');
  }
  const read = (name: keyof RecordLimits) => {
    try {
      return readCount(value, name, defaultLimits[name]);
    } catch {
      throw new SiteConfigError(
        `site.json: limits.${name} must be a whole number of at least 1, not ${String(value[name])}`,
      );
    }
  };
  return {
    maxRecordBytes: read('maxRecordBytes'),
    maxTitleLength: read('maxTitleLength'),
    maxCategories: read('maxCategories'),
  };
}

function asFolder(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** The site's author, read as a record's author is: the same checks, the same messages. */
function readSiteAuthor(value: unknown): Person | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value))
    throw new SiteConfigError('site.json: author must be {"name": ..., "email"?: ..., "url"?: ...}');
  const problems = new RecordProblems('site.json');
  const person = readPerson(new FieldReader(value, problems, 'author.'));
  if (!person || problems.any)
    throw new SiteConfigError(
      problems.list.map((problem) => `site.json: ${problem.field}: ${problem.message}`).join('; '),
    );
  return person;
}

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
