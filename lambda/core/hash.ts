import { createHash } from 'node:crypto';

/** SHA-256 of text (as UTF-8) or bytes, in hex: names and versions that follow content. */
export function sha256Hex(value: string | Uint8Array): string {
  return createHash('sha256').update(value).digest('hex');
}
