import { errorMessage } from '../error-message.ts';
import type { DayPart, DayStats, FeedDay, FeedPart } from './day-stats.ts';

/** A stored statistics object that does not hold what it should. */
export class StatsReadError extends Error {
  override readonly name = 'StatsReadError';
}

export function encodeStats(value: DayPart | DayStats): string {
  return `${JSON.stringify(value)}\n`;
}

type Json = Record<string, unknown>;

function objectAt(value: unknown, where: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new StatsReadError(`${where} must be an object`);
  return value as Json;
}

function countAt(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new StatsReadError(`${where} must be a whole number of at least 0`);
  return value;
}

function countsAt(value: unknown, where: string): Record<string, number> {
  const counts = objectAt(value, where);
  for (const [name, count] of Object.entries(counts)) countAt(count, `${where}.${name}`);
  return counts as Record<string, number>;
}

function dateAt(value: unknown, where: string): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value))
    throw new StatsReadError(`${where} must be a date YYYY-MM-DD`);
  return value;
}

function parse(text: string, where: string): Json {
  try {
    return objectAt(JSON.parse(text), where);
  } catch (error) {
    if (error instanceof StatsReadError) throw error;
    throw new StatsReadError(`${where} is not valid JSON: ${errorMessage(error)}`);
  }
}

function requestCounts(feed: Json, at: string) {
  return {
    requests: countAt(feed.requests, `${at}.requests`),
    bytes: countAt(feed.bytes, `${at}.bytes`),
    notModified: countAt(feed.notModified, `${at}.notModified`),
    bots: countAt(feed.bots, `${at}.bots`),
  };
}

/** A log object's part of a day, as the statistics function stored it. */
export function decodeDayPart(text: string, where: string): DayPart {
  const json = parse(text, where);
  const feeds: Record<string, FeedPart> = {};
  for (const [path, value] of Object.entries(objectAt(json.feeds, `${where}: feeds`))) {
    const at = `${where}: feeds["${path}"]`;
    const feed = objectAt(value, at);
    const readers = objectAt(feed.readers, `${at}.readers`);
    for (const [app, hashes] of Object.entries(readers)) {
      if (!Array.isArray(hashes)) throw new StatsReadError(`${at}.readers.${app} must be a list of hashes`);
      for (const [index, hash] of hashes.entries()) countAt(hash, `${at}.readers.${app}[${index}]`);
    }
    feeds[path] = {
      ...requestCounts(feed, at),
      subscribers: countsAt(feed.subscribers, `${at}.subscribers`),
      readers: readers as Record<string, number[]>,
    };
  }
  return { date: dateAt(json.date, `${where}: date`), feeds };
}

/** A day's statistics as stored. */
export function decodeDayStats(text: string, where: string): DayStats {
  const json = parse(text, where);
  const feeds: Record<string, FeedDay> = {};
  for (const [path, value] of Object.entries(objectAt(json.feeds, `${where}: feeds`))) {
    const at = `${where}: feeds["${path}"]`;
    const feed = objectAt(value, at);
    feeds[path] = {
      ...requestCounts(feed, at),
      readers: countAt(feed.readers, `${at}.readers`),
      subscribers: countsAt(feed.subscribers, `${at}.subscribers`),
      apps: countsAt(feed.apps, `${at}.apps`),
    };
  }
  if (typeof json.final !== 'boolean') throw new StatsReadError(`${where}: final must be true or false`);
  return { date: dateAt(json.date, `${where}: date`), final: json.final, feeds };
}
