import { createHash } from 'node:crypto';

/**
 * The id readers use to recognise an article. An explicit absolute IRI is used as given; any
 * other explicit id, or the record key when there is none, maps to a name-based UUID URN, so the
 * id never depends on the title or URL and stays valid as an Atom id and RSS guid.
 */
export function articleId(key: string, explicitId: string | undefined): string {
  if (explicitId !== undefined && /^[a-z][a-z0-9+.-]*:\S+$/i.test(explicitId)) return explicitId;
  const name = explicitId === undefined ? `key:${key}` : `id:${explicitId}`;
  return `urn:uuid:${nameBasedUuid(name)}`;
}

/**
 * Whether a record's id is the one its key gives (no explicit id): such a record may be a moved
 * one, entitled to the id its old key had.
 */
export function isIdFromKey(key: string, id: string | undefined): boolean {
  return id === articleId(key, undefined);
}

/** RFC 9562 version-5-style UUID (SHA-1 of the name). */
function nameBasedUuid(name: string): string {
  const bytes = createHash('sha1').update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
