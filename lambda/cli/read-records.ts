import { mapLimited } from '../core/async-lists.ts';
import type { RecordBody, RecordStore } from '../stores/ports.ts';

/**
 * Records with their bytes and versions, read a few at a time: the ones named, or every record
 * the store lists. A record gone between listing and reading is left out. For the in-memory
 * checks (validate, the drafts preview); publishes stream instead.
 */
export async function readRecords(
  store: RecordStore,
  keys?: readonly string[],
): Promise<(RecordBody & { readonly key: string })[]> {
  const wanted: string[] = keys ? [...keys] : [];
  if (!keys) for await (const page of store.listRecords()) wanted.push(...page.map((entry) => entry.key));
  const records = await mapLimited(wanted, 32, async (key) => {
    const body = await store.readRecord(key);
    return body && { key, ...body };
  });
  return records.filter((record) => record !== undefined);
}
