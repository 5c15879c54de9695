import { addToDay, DayMerge, type DayPart } from '../core/stats/day-stats.ts';
import { LogTally } from '../core/stats/log-tally.ts';
import type { LogSource, StateStore } from '../stores/ports.ts';
import { type LogReading, readLog } from './read-log.ts';
import {
  dateOfKey,
  encodeStoredDay,
  listKeys,
  overwrite,
  partName,
  readDay,
  readPart,
  saltOfDay,
  statsKeys,
  writePart,
} from './stats-state.ts';

/**
 * How long after a day ends its logs may still come: CloudFront delivers within an hour as a
 * rule and within 24 hours at worst; the day closes six hours after that.
 */
export const dayCloseDelayMs = 30 * 60 * 60 * 1000;

/** Whether a day's logs have all come, at `now`. */
export function isClosed(date: string, now: Date): boolean {
  return now.getTime() >= Date.parse(`${date}T00:00:00Z`) + 24 * 60 * 60 * 1000 + dayCloseDelayMs;
}

export interface StatsDeps {
  readonly state: StateStore;
  /** 32 random bytes: a new day's salt. */
  readonly random: () => Uint8Array;
}

/**
 * Counts one log object into a part per day it covers. Idempotent: the part's key follows the
 * log's key and the day's salt is kept until the day closes, so counting it again writes the
 * same part.
 */
export async function tallyLogObject(
  deps: StatsDeps & { readonly logs: LogSource },
  key: string,
): Promise<LogReading & { readonly parts: readonly DayPart[] }> {
  const tally = new LogTally();
  const reading = await readLog(key, await deps.logs.open(key), tally, (date) =>
    saltOfDay(deps.state, date, deps.random),
  );
  const parts = tally.parts();
  for (const part of parts) await writePart(deps.state, key, part);
  return { ...reading, parts };
}

/** What a merge did: the days it wrote, and those it closed. */
export interface MergeResult {
  readonly merged: readonly string[];
  readonly closed: readonly string[];
}

/**
 * Writes each open day's statistics from its parts. A day whose logs have all come is closed:
 * written final, and its parts (the reader hashes) and its salt are deleted, so nothing is left
 * from which a reader could be told again.
 */
export async function mergeDays(deps: Pick<StatsDeps, 'state'>, now: Date): Promise<MergeResult> {
  const { state } = deps;
  const partsByDate = new Map<string, string[]>();
  for (const key of await listKeys(state, statsKeys.partsPrefix)) {
    const date = dateOfKey(key);
    if (date) partsByDate.set(date, [...(partsByDate.get(date) ?? []), key]);
  }
  const merged: string[] = [];
  const closed: string[] = [];
  for (const [date, keys] of [...partsByDate].sort()) {
    const final = isClosed(date, now);
    const stored = await readDay(state, date);
    // A closed day has lost its hashes: parts that come after it closed are added to it. Parts a
    // close counted but did not get to delete (it stopped) are known by name and not added twice.
    const closedBefore = stored?.day.final === true;
    const counted = new Set(stored?.counted ?? []);
    const fresh = closedBefore ? keys.filter((key) => !counted.has(partName(key))) : keys;
    // One part in memory at a time: the merge holds the day's distinct readers, not every part.
    const merge = new DayMerge(date);
    for (const key of fresh) {
      const part = await readPart(state, key);
      if (part) merge.add(part);
    }
    const day = merge.result(final);
    const next = closedBefore && stored ? addToDay(stored.day, day) : day;
    for (const key of fresh) if (final) counted.add(partName(key));
    await overwrite(state, statsKeys.day(date), encodeStoredDay(next, final ? [...counted].sort() : []));
    merged.push(date);
    if (final) {
      for (const key of keys) await state.delete(key);
      closed.push(date);
    }
  }
  // Salts of closed days go, parts or not (a log whose lines were all for other paths leaves none).
  for (const key of await listKeys(state, statsKeys.saltsPrefix)) {
    const date = dateOfKey(key);
    if (date && isClosed(date, now)) {
      await state.delete(key);
      if (!closed.includes(date)) closed.push(date);
    }
  }
  return { merged, closed: closed.sort() };
}
