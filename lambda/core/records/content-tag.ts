import { createHash } from 'node:crypto';
import type { SourceRecord } from '../model.ts';
import type { RecordVersion } from '../plan.ts';

/** A tag that changes whenever the bytes do: for stores without ETags (a local folder). */
export function contentTag(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

export function versionOf(record: SourceRecord): RecordVersion {
  return { key: record.key, etag: contentTag(record.body) };
}
