import { createHash } from 'node:crypto';

/** A tag that changes whenever the bytes do: the ETag stand-in of stores without ETags (a local folder). */
export function contentTag(body: Uint8Array | string): string {
  return createHash('sha256').update(body).digest('hex');
}
