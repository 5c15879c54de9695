/**
 * A day's statistics, per feed file: what one log object adds (a part, with the day's salted
 * reader hashes) and what a day comes to once its parts are merged (counts only: no hash, no
 * address, no User-Agent is kept).
 */

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
  const feeds: Record<string, FeedDay> = {};
  const paths = [...new Set(parts.flatMap((part) => Object.keys(part.feeds)))].sort();
  for (const path of paths) {
    const of = parts.flatMap((part) => (part.feeds[path] ? [part.feeds[path]] : []));
    const readers = new Map<number, string>();
    for (const part of of)
      for (const [app, hashes] of Object.entries(part.readers))
        for (const hash of hashes) readers.set(hash, app);
    const apps: Record<string, number> = {};
    for (const app of readers.values()) apps[app] = (apps[app] ?? 0) + 1;
    feeds[path] = {
      requests: sum(of.map((part) => part.requests)),
      bytes: sum(of.map((part) => part.bytes)),
      notModified: sum(of.map((part) => part.notModified)),
      bots: sum(of.map((part) => part.bots)),
      readers: readers.size,
      subscribers: topNames(highest(of.map((part) => part.subscribers))),
      apps: topNames(apps),
    };
  }
  return { date, final, feeds };
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
  return Object.fromEntries(
    Object.entries(counts).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)),
  );
}
