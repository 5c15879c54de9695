import { errorMessage } from '../error-message.ts';
import type { SetManifest, Shard } from '../feed-sets/feed-set.ts';
import type { RecordError } from '../model.ts';
import type { StoredArticle } from '../stored-article.ts';
import type { RecordState } from './record-state.ts';
import type { SiteState } from './site-state.ts';

export class StateReadError extends Error {
  override readonly name = 'StateReadError';
}

/** Who holds an id. */
export interface IdClaim {
  readonly id: string;
  readonly key: string;
  readonly since: string;
  /** Records that asked for the id while the holder had it: read again when it gives the id up. */
  readonly waiting?: readonly string[];
}

/**
 * What a deleted record leaves behind for a record that turns up with the same bytes under
 * another key (a moved file): the id it was published under, which the newcomer takes.
 */
export interface Departed {
  readonly id: string;
  readonly key: string;
  readonly since: string;
}

/** State objects as text: one JSON document each, so unchanged state gives unchanged bytes. */
export function encodeState(
  value: SiteState | RecordState | SetManifest | Shard | IdClaim | Departed | RememberedTemplates,
): string {
  return `${JSON.stringify(value)}\n`;
}

type Json = Record<string, unknown>;

function parseObject(text: string, where: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StateReadError(`${where} is not valid JSON: ${errorMessage(error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StateReadError(`${where} must hold one JSON object`);
  }
  return value as Json;
}

function expect(where: string, ok: boolean, what: string): void {
  if (!ok) throw new StateReadError(`${where}: ${what}`);
}

const isText = (value: unknown): value is string => typeof value === 'string';
const isMap = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The fields of a stored article that are always text. */
export const articleTextFields = ['id', 'key', 'title', 'published', 'updated', 'contentHtml'] as const;
/** The fields of a stored article that are always lists. */
export const articleListFields = ['authors', 'categories', 'tags', 'attachments'] as const;

function checkArticle(value: unknown, where: string): void {
  expect(where, isMap(value), 'an article must be an object');
  const article = value as Json;
  for (const field of articleTextFields) {
    expect(where, isText(article[field]), `article.${field} must be text`);
  }
  for (const field of articleListFields) {
    expect(where, Array.isArray(article[field]), `article.${field} must be a list`);
  }
  expect(where, !Number.isNaN(Date.parse(article.published as string)), 'article.published must be a date');
}

function checkArticles(value: unknown, where: string): void {
  expect(where, Array.isArray(value), 'articles must be a list');
  for (const article of value as unknown[]) checkArticle(article, where);
}

export function decodeSiteState(text: string, where: string): SiteState {
  const value = parseObject(text, where);
  expect(where, value.version === 2, 'unknown layout (version 2 expected)');
  expect(where, isText(value.readWith) && isText(value.renderWith), 'readWith and renderWith must be text');
  expect(where, typeof value.records === 'number', 'records must be a number');
  for (const field of ['counts', 'categories', 'pending', 'invalid']) {
    expect(where, isMap(value[field]), `${field} must be an object`);
  }
  return value as unknown as SiteState;
}

export function decodeRecordState(text: string, where: string): RecordState {
  const value = parseObject(text, where);
  expect(where, isText(value.key) && isText(value.etag), 'key and etag must be text');
  expect(where, value.errors === undefined || Array.isArray(value.errors), 'errors must be a list');
  if (value.article !== undefined) checkArticle(value.article, where);
  if (value.placed !== undefined) {
    const placed = value.placed as Json;
    expect(
      where,
      isMap(placed) && isText(placed.period) && Array.isArray(placed.sets),
      'placed must be {period, sets}',
    );
  }
  return value as unknown as RecordState;
}

export function decodeManifest(text: string, where: string): SetManifest {
  const value = parseObject(text, where);
  expect(where, isText(value.folder), 'folder must be text');
  checkArticles(value.window, where);
  expect(where, isMap(value.periods), 'periods must be an object');
  expect(
    where,
    value.revision === undefined || Number.isSafeInteger(value.revision),
    'revision must be a whole number',
  );
  expect(
    where,
    value.shards === undefined || (isMap(value.shards) && Object.values(value.shards).every(isText)),
    'shards must map periods to text',
  );
  return value as unknown as SetManifest;
}

export function decodeShard(text: string, where: string): Shard {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StateReadError(`${where} is not valid JSON: ${errorMessage(error)}`);
  }
  checkArticles(value, where);
  return value as StoredArticle[];
}

export function decodeIdClaim(text: string, where: string): IdClaim {
  return decodeIdHolder(text, where);
}

export function decodeDeparted(text: string, where: string): Departed {
  return decodeIdHolder(text, where);
}

/** An id claim and a departed record both name an id, a record key and since when. */
function decodeIdHolder(text: string, where: string): IdClaim & Departed {
  const value = parseObject(text, where);
  expect(
    where,
    isText(value.id) && isText(value.key) && isText(value.since),
    'id, key and since must be text',
  );
  return value as unknown as IdClaim & Departed;
}

/**
 * The last check of the site's templates: the set that renders (each template's last good
 * version) and what was wrong, so a publish that reads no template still reports it.
 */
export interface RememberedTemplates {
  readonly version: 1;
  readonly templates: Readonly<Record<string, string>>;
  readonly errors: readonly RecordError[];
  readonly warnings: readonly RecordError[];
  readonly keptLastGood: readonly string[];
}

export function decodeRememberedTemplates(text: string, where: string): RememberedTemplates {
  const value = parseObject(text, where);
  expect(where, value.version === 1, 'version must be 1');
  expect(
    where,
    isMap(value.templates) && Object.values(value.templates).every(isText),
    'templates must map file names to texts',
  );
  for (const list of ['errors', 'warnings', 'keptLastGood'] as const)
    expect(where, Array.isArray(value[list]), `${list} must be a list`);
  return value as unknown as RememberedTemplates;
}
