import * as v from 'valibot';
import { sha256Hex } from '../core/hash.ts';
import { decodeJson } from '../core/state/decode-json.ts';
import type { DayPart, DayStats } from '../core/stats/day-stats.ts';
import { decodeDayPart, decodeDayStats, encodeStats } from '../core/stats/stats-codec.ts';
import { type StateStore, WriteConflictError } from '../stores/ports.ts';

/**
 * Where the statistics live in the state bucket. The salts sit apart from the counts and go
 * when their day closes; the parts (with the day's reader hashes) go with them.
 */
export const statsKeys = {
  salt: (date: string) => `stats/salts/${date}`,
  saltsPrefix: 'stats/salts/',
  /** One per log object and day: writing it again for the same log object is harmless. */
  part: (date: string, logKey: string) => `stats/parts/${date}/${sha256Hex(logKey).slice(0, 32)}.json`,
  partsPrefix: 'stats/parts/',
  day: (date: string) => `stats/days/${date}.json`,
  daysPrefix: 'stats/days/',
} as const;

/** The date a stats key is of: `stats/parts/2026-12-01/…` gives 2026-12-01. */
export function dateOfKey(key: string): string | undefined {
  return /^stats\/(?:salts|parts|days)\/(\d{4}-\d{2}-\d{2})/.exec(key)?.[1];
}

/**
 * The day's salt, made on first use: created only where none exists, so invocations that meet
 * the same day at once agree on one.
 */
export async function saltOfDay(
  state: StateStore,
  date: string,
  random: () => Uint8Array,
): Promise<Uint8Array> {
  const key = statsKeys.salt(date);
  const found = await state.read(key);
  if (found) return Buffer.from(found.text.trim(), 'hex');
  const salt = random();
  try {
    await state.write(key, Buffer.from(salt).toString('hex'), { version: undefined });
    return salt;
  } catch (error) {
    if (!(error instanceof WriteConflictError)) throw error;
    const other = await state.read(key);
    if (!other) throw error;
    return Buffer.from(other.text.trim(), 'hex');
  }
}

/** Writes `text` at `key` whatever is there, over the version it finds. */
export async function overwrite(state: StateStore, key: string, text: string): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    const found = await state.read(key);
    if (found?.text === text) return;
    try {
      await state.write(key, text, { version: found?.version });
      return;
    } catch (error) {
      if (!(error instanceof WriteConflictError) || attempt >= 4) throw error;
    }
  }
}

export async function writePart(state: StateStore, logKey: string, part: DayPart): Promise<void> {
  await overwrite(state, statsKeys.part(part.date, logKey), encodeStats(part));
}

export async function readPart(state: StateStore, key: string): Promise<DayPart | undefined> {
  const found = await state.read(key);
  return found && decodeDayPart(found.text, key);
}

/** A part's name within its day: what a closed day lists as counted. */
export function partName(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** A day as stored: its statistics, and once closed the names of the parts it counted. */
export function encodeStoredDay(day: DayStats, counted: readonly string[]): string {
  return counted.length > 0 ? `${JSON.stringify({ ...day, counted })}\n` : encodeStats(day);
}

/** The log objects a day's counts already hold, kept beside them. */
const countedSchema = v.looseObject({ counted: v.optional(v.array(v.string())) });

export async function readDay(
  state: StateStore,
  date: string,
): Promise<{ day: DayStats; counted: readonly string[] } | undefined> {
  const key = statsKeys.day(date);
  const found = await state.read(key);
  if (!found) return undefined;
  const day = decodeDayStats(found.text, key);
  const { counted = [] } = decodeJson(found.text, countedSchema, key);
  return { day, counted };
}

/** Every key under a prefix. */
export async function listKeys(state: StateStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of state.list(prefix)) keys.push(...page.map((entry) => entry.key));
  return keys;
}
