import { createHmac } from 'node:crypto';
import { compareText } from '../order.ts';
import { isFeedPath } from '../render/feed-files.ts';
import { isArchivePath } from '../render/file-headers.ts';
import type { LoggedRequest } from './access-log.ts';
import type { DayPart, FeedPart } from './day-stats.ts';
import { NamePool } from './name-pool.ts';
import { classifyClient } from './user-agents.ts';

/**
 * A distinct reader: HMAC-SHA-256 of address and User-Agent under the day's salt, cut to 48
 * bits (a chance of one in ten thousand that two of a million readers collide). Without the
 * salt, which is dropped when the day closes, no hash leads back to an address.
 */
export function readerHash(salt: Uint8Array, ip: string, userAgent: string): number {
  return createHmac('sha256', salt).update(`${ip}\n${userAgent}`).digest().readUIntBE(0, 6);
}

interface FeedTally {
  requests: number;
  bytes: number;
  notModified: number;
  bots: number;
  subscribers: Map<string, number>;
  readers: Map<number, string>;
}

/** Whether a request is one the statistics count: a current feed file fetched with GET or HEAD. */
export function isCountedRequest(request: LoggedRequest): boolean {
  const path = request.path.replace(/^\/+/, '');
  return (request.method === 'GET' || request.method === 'HEAD') && isFeedPath(path) && !isArchivePath(path);
}

/**
 * Counts requests into one part per day, holding one hash per distinct reader: the memory a day
 * needs grows with its readers, not its requests.
 */
export class LogTally {
  private readonly days = new Map<string, Map<string, FeedTally>>();
  private readonly names = new NamePool();

  /**
   * Adds one request; `salt` is its day's. Requests for anything but a current feed are not
   * counted, nor refused ones (4xx, 5xx): a path that is no feed never becomes a row.
   */
  add(request: LoggedRequest, salt: Uint8Array): void {
    if (!isCountedRequest(request) || request.status >= 400) return;
    const tally = this.feedOf(request.date, request.path);
    tally.requests += 1;
    tally.bytes += request.bytes;
    if (request.status === 304) tally.notModified += 1;
    const client = classifyClient(request.userAgent);
    const name = this.names.intern(client.name);
    const answered = (request.status >= 200 && request.status < 300) || request.status === 304;
    if (client.kind === 'bot') tally.bots += 1;
    else if (client.kind === 'aggregator')
      tally.subscribers.set(name, Math.max(tally.subscribers.get(name) ?? 0, client.subscribers));
    else if (answered) tally.readers.set(readerHash(salt, request.ip, request.userAgent), name);
  }

  /** The days seen, each as one part. */
  parts(): DayPart[] {
    return [...this.days.keys()].sort().map((date) => this.partOf(date));
  }

  partOf(date: string): DayPart {
    const feeds: Record<string, FeedPart> = {};
    for (const [path, tally] of [...(this.days.get(date) ?? new Map<string, FeedTally>())].sort(([a], [b]) =>
      compareText(a, b),
    )) {
      const readers: Record<string, number[]> = {};
      for (const [hash, app] of tally.readers) {
        const hashes = readers[app] ?? [];
        hashes.push(hash);
        readers[app] = hashes;
      }
      feeds[path] = {
        requests: tally.requests,
        bytes: tally.bytes,
        notModified: tally.notModified,
        bots: tally.bots,
        subscribers: Object.fromEntries(tally.subscribers),
        readers,
      };
    }
    return { date, feeds };
  }

  private feedOf(date: string, path: string): FeedTally {
    let day = this.days.get(date);
    if (!day) {
      day = new Map();
      this.days.set(date, day);
    }
    let tally = day.get(path);
    if (!tally) {
      tally = { requests: 0, bytes: 0, notModified: 0, bots: 0, subscribers: new Map(), readers: new Map() };
      day.set(this.names.intern(path), tally);
    }
    return tally;
  }
}
