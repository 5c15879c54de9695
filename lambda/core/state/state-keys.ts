import { mainSet } from '../feed-sets/feed-set.ts';
import { sha256Hex } from '../hash.ts';

/**
 * Where each piece of state lives, relative to the state root (a folder beside the output, or a
 * bucket CloudFront has no route to). Nothing here is ever read or written whole.
 */
export const stateKeys = {
  /** Site-wide: reading and rendering settings, counts, categories, pending embargoes, invalid records. */
  site: 'publisher.json',
  /** The site's templates as they last rendered: what a template that turns bad is replaced by. */
  templates: 'templates.json',
  /** One per record, under the record's own key so a listing comes back in the content's order. */
  record: (key: string) => `records/${key}`,
  recordsPrefix: 'records/',
  /** One per claimed id: created only if absent, so two records can never both take one id. */
  idClaim: (id: string) => `ids/${sha256Hex(id)}.json`,
  /** One per version of a deleted record (by its ETag or content hash): the id a moved copy keeps. */
  departed: (etag: string) => `departed/${sha256Hex(etag)}.json`,
  manifest: (folder: string) => `${setRoot(folder)}manifest.json`,
  /**
   * One archive period's articles as one commit wrote them: a commit writes new objects and
   * points its manifest at them, so what a commit has not yet made its own is never read.
   * Without a tag, the key of earlier versions.
   */
  shard: (folder: string, period: string, tag?: string) =>
    tag ? `${setRoot(folder)}periods/${period}/${tag}.json` : `${setRoot(folder)}periods/${period}.json`,
  shardsPrefix: (folder: string) => `${setRoot(folder)}periods/`,
  /**
   * The ledger object that remembers a published file's tag. Grouped so one edit rewrites a few
   * small objects whatever the archive's size: a set's current files (the main set, each
   * category), its archive pages by year, and article pages spread over 256 by the first two
   * characters of their folder name (hex).
   */
  ledger: (path: string) => {
    if (path.startsWith('articles/')) return `output/articles/${path.slice('articles/'.length, 11)}.json`;
    const match = /^(?:categories\/([^/]+)\/)?(?:archive\/(\d{4}))?/.exec(path);
    const set = match?.[1] === undefined ? 'main' : `categories/${match[1]}`;
    return match?.[2] === undefined ? `output/${set}.json` : `output/${set}/archive-${match[2]}.json`;
  },
  ledgerPrefix: 'output/',
} as const;

function setRoot(folder: string): string {
  return `sets/${folder === mainSet ? 'main/' : folder}`;
}

/** The key a legacy single-file state was kept under, inside the feeds: migrated, then removed. */
export const legacyStatePath = '_state/state.json';
