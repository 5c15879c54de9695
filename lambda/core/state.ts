import type { ArchiveState } from './archive.ts';
import type { Article, RecordError } from './model.ts';
import type { RenderedFeed } from './render/render-site.ts';

/**
 * What the publisher remembers between runs, stored beside the feeds under `_state/`.
 * - `ids`: the id ledger. Once a record key is published under an id, it keeps that id.
 * - `articles`: the last good version of each record, so a record that turns invalid stays
 *   in the feeds, as it was, until it is fixed or deleted.
 * - `archive`: which articles each sealed RFC 5005 archive page holds.
 * - `records`: the ETag each record had when last read, with its problems.
 * - `feeds`: what each feed set was last rendered from.
 */
export interface PublishState {
  readonly version: 1;
  readonly ids: Readonly<Record<string, IdEntry>>;
  readonly articles: Readonly<Record<string, StoredArticle>>;
  readonly archive: ArchiveState;
  /** The version of each record last read, and its problems, so unchanged records are not read again. */
  readonly records: Readonly<Record<string, RecordEntry>>;
  /** What reading depended on (code version, time zone, limits...); records are read again when it changes. */
  readonly readWith?: string;
  /** What each feed set and the subscribe page were last rendered from, so unchanged ones are not rendered again. */
  readonly feeds?: Readonly<Record<string, RenderedFeed>>;
}

export interface RecordEntry {
  readonly etag: string;
  /** Problems found when it was read: reported again every publish until the record changes. */
  readonly errors?: readonly RecordError[];
}

export interface IdEntry {
  readonly id: string;
  /** When the key first got this id (ISO 8601): the older claim wins when two records want one id. */
  readonly since: string;
}

/** An Article with its dates as ISO 8601 text, as stored in JSON. */
export type StoredArticle = Omit<Article, 'published' | 'updated' | 'expires'> & {
  readonly published: string;
  readonly updated: string;
  readonly expires?: string;
};

export const emptyState: PublishState = {
  version: 1,
  ids: {},
  articles: {},
  archive: { pages: [] },
  records: {},
};

export class StateReadError extends Error {
  override readonly name = 'StateReadError';
}

export function storeArticle(article: Article): StoredArticle {
  return {
    ...article,
    published: article.published.toISOString(),
    updated: article.updated.toISOString(),
    expires: article.expires?.toISOString(),
  };
}

export function loadArticle(stored: StoredArticle): Article {
  return {
    ...stored,
    published: new Date(stored.published),
    updated: new Date(stored.updated),
    expires: stored.expires === undefined ? undefined : new Date(stored.expires),
  };
}

/** Reads the state file; a missing file is a first run. A corrupt one is an error, never silently reset. */
export function readState(text: string | undefined): PublishState {
  if (text === undefined) return emptyState;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StateReadError(`the publish state is not valid JSON: ${(error as Error).message}`);
  }
  const state = value as Partial<PublishState> | null;
  if (state?.version !== 1 || typeof state.ids !== 'object' || typeof state.articles !== 'object') {
    throw new StateReadError('the publish state has an unknown layout (version 1 expected)');
  }
  return { ...emptyState, ...state } as PublishState;
}

export function writeState(state: PublishState): string {
  // Sorted keys keep the file byte-identical when nothing changed.
  const sorted = {
    version: state.version,
    ids: sortKeys(state.ids),
    articles: sortKeys(state.articles),
    archive: state.archive,
    records: sortKeys(state.records),
    readWith: state.readWith,
    feeds: state.feeds === undefined ? undefined : sortKeys(state.feeds),
  };
  return `${JSON.stringify(sorted)}\n`;
}

function sortKeys<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
