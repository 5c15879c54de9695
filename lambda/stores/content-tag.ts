import { sha256Hex } from '../core/hash.ts';

/** A tag that changes whenever the bytes do: the ETag stand-in of stores without ETags (a local folder). */
export function contentTag(body: Uint8Array | string): string {
  return sha256Hex(body);
}
