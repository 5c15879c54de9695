import { stateKeys } from '../core/state/state-keys.ts';
import type { StateStore } from '../stores/ports.ts';

/**
 * The keys of the records that have a record state, in listing order (after `startAfter`, a
 * record key, when given): walked beside the records' own listing to find either one missing.
 */
export async function* recordStateKeys(
  state: StateStore,
  startAfter?: string,
): AsyncIterable<{ key: string }[]> {
  const prefix = stateKeys.recordsPrefix;
  for await (const page of state.list(
    prefix,
    startAfter === undefined ? undefined : `${prefix}${startAfter}`,
  )) {
    yield page.map((entry) => ({ key: entry.key.slice(prefix.length) }));
  }
}
