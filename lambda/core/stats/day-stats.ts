/**
 * A day's statistics, per feed file: what one log object adds (a part, with the day's salted
 * reader hashes) and what a day comes to once its parts are merged (counts only: no hash, no
 * address, no User-Agent is kept).
 */

import { compareText } from '../order.ts';
import { NamePool } from './name-pool.ts';

/** One feed file's requests in one log object. */
export interface FeedPart {
  readonly requests: number;
  readonly bytes: number;
  /** Answered 304 Not Modified: a reader that polled and had it already. */
  readonly notModified: number;
  /** Requests from robots (indexers, link previews, monitors): counted here, not as readers. */
  readonly bots: number;
  /** The highest count each aggregator reported. */
  readonly subscribers: Readonly<Record<string, number>>;
  /** Reader hashes (salted with the day's salt, 48 bits) by the app they came with. */
  readonly readers: Readonly<Record<string, readonly number[]>>;
}

export interface DayPart {
  readonly date: string;
  readonly feeds: Readonly<Record<string, FeedPart>>;
}

/** One feed file's day. */
export interface FeedDay {
  readonly requests: number;
  readonly bytes: number;
  readonly notModified: number;
  readonly bots: number;
  /** Distinct readers that fetched it themselves (not aggregators, not robots). */
  readonly readers: number;
  /** Each aggregator's highest report of the day. */
  readonly subscribers: Readonly<Record<string, number>>;
  /** Distinct readers by app. */
  readonly apps: Readonly<Record<string, number>>;
}

export interface DayStats {
  readonly date: string;
  /**
   * True once the day's logs can no longer arrive (CloudFront delivers within 24 hours): its
   * hashes and salt are gone, and a log that still comes adds its counts.
   */
  readonly final: boolean;
  readonly feeds: Readonly<Record<string, FeedDay>>;
}

/** A day's parts merged: readers counted once however many parts saw them. */
export function mergeParts(date: string, parts: readonly DayPart[], final = false): DayStats {
  const merge = new DayMerge(date);
  for (const part of parts) merge.add(part);
  return merge.result(final);
}

interface FeedMerge {
  requests: number;
  bytes: number;
  notModified: number;
  bots: number;
  readonly subscribers: Record<string, number>;
  readonly readers: Map<number, string>;
}

/**
 * A day's parts added one at a time, so a merge holds one part and the day's distinct readers,
 * never every part at once (a reader polling hourly is in every part of the day).
 */
export class DayMerge {
  private readonly feeds = new Map<string, FeedMerge>();
  private readonly names = new NamePool();

  constructor(readonly date: string) {}

  add(part: DayPart): void {
    for (const [path, feed] of Object.entries(part.feeds)) {
      let merged = this.feeds.get(path);
      if (!merged) {
        merged = { requests: 0, bytes: 0, notModified: 0, bots: 0, subscribers: {}, readers: new Map() };
        this.feeds.set(path, merged);
      }
      merged.requests += feed.requests;
      merged.bytes += feed.bytes;
      merged.notModified += feed.notModified;
      merged.bots += feed.bots;
      for (const [name, count] of Object.entries(feed.subscribers))
        merged.subscribers[name] = Math.max(merged.subscribers[name] ?? 0, count);
      for (const [app, hashes] of Object.entries(feed.readers)) {
        const name = this.names.intern(app);
        for (const hash of hashes) merged.readers.set(hash, name);
      }
    }
  }

  result(final: boolean): DayStats {
    const feeds: Record<string, FeedDay> = {};
    for (const [path, merged] of [...this.feeds].sort(([a], [b]) => compareText(a, b))) {
      const apps: Record<string, number> = {};
      for (const app of merged.readers.values()) apps[app] = (apps[app] ?? 0) + 1;
      feeds[path] = {
        requests: merged.requests,
        bytes: merged.bytes,
        notModified: merged.notModified,
        bots: merged.bots,
        readers: merged.readers.size,
        subscribers: topNames(sortedByCount(merged.subscribers)),
        apps: topNames(apps),
      };
    }
    return { date: this.date, final, feeds };
  }
}

/**
 * A closed day and what logs delivered after it closed add: counts add up, aggregators keep
 * their highest report; readers add up too, as their hashes are gone.
 */
export function addToDay(day: DayStats, late: DayStats): DayStats {
  const feeds: Record<string, FeedDay> = { ...day.feeds };
  for (const [path, extra] of Object.entries(late.feeds)) {
    const known = feeds[path];
    feeds[path] = known
      ? {
          requests: known.requests + extra.requests,
          bytes: known.bytes + extra.bytes,
          notModified: known.notModified + extra.notModified,
          bots: known.bots + extra.bots,
          readers: known.readers + extra.readers,
          subscribers: topNames(highest([known.subscribers, extra.subscribers])),
          apps: topNames(added(known.apps, extra.apps)),
        }
      : extra;
  }
  return { date: day.date, final: day.final || late.final, feeds };
}

/** Everyone subscribed that day: readers who fetch it themselves and what aggregators report. */
export function subscribersOf(feed: FeedDay): number {
  return feed.readers + sum(Object.values(feed.subscribers));
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function highest(reports: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const best: Record<string, number> = {};
  for (const report of reports)
    for (const [name, count] of Object.entries(report)) best[name] = Math.max(best[name] ?? 0, count);
  return sortedByCount(best);
}

function added(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): Record<string, number> {
  const total: Record<string, number> = { ...a };
  for (const [name, count] of Object.entries(b)) total[name] = (total[name] ?? 0) + count;
  return total;
}

/** How many apps or aggregators a feed's day names; the rest are summed as "Other". */
export const namedLimit = 20;

/**
 * The largest `namedLimit` by name and the rest as "Other": names come from User-Agents, which
 * anyone can make up, so a day object stays small however many are made up.
 */
function topNames(counts: Readonly<Record<string, number>>): Record<string, number> {
  const entries = Object.entries(sortedByCount(counts));
  if (entries.length <= namedLimit) return Object.fromEntries(entries);
  const kept = entries.filter(([name]) => name !== 'Other').slice(0, namedLimit - 1);
  const rest = sum(entries.map(([, count]) => count)) - sum(kept.map(([, count]) => count));
  return sortedByCount({ ...Object.fromEntries(kept), Other: rest });
}

/** Largest first, then by name: the order tables and charts show. */
function sortedByCount(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a, x], [b, y]) => y - x || compareText(a, b)));
}
