import { type DayStats, type FeedDay, subscribersOf } from './day-stats.ts';

/** The days from `from` to `to` (both included, either open), oldest first. */
export function daysBetween(days: readonly DayStats[], from?: string, to?: string): DayStats[] {
  return days
    .filter((day) => (from === undefined || day.date >= from) && (to === undefined || day.date <= to))
    .sort((a, b) => (a.date < b.date ? -1 : 1));
}

/** What `stats --json` prints. */
export function statsJson(days: readonly DayStats[]): string {
  return `${JSON.stringify({ days }, null, 2)}\n`;
}

const columns = ['date', 'feed', 'requests', '304', 'readers', 'subscribers', 'from'] as const;

/**
 * One row per feed and day: requests, the share answered 304, distinct readers, subscribers
 * (readers plus what aggregators report) and where they come from, largest first.
 */
export function statsTable(days: readonly DayStats[]): string {
  const rows = days.flatMap((day) =>
    Object.entries(day.feeds).map(([path, feed]) => [
      day.final ? day.date : `${day.date}*`,
      path,
      feed.requests.toLocaleString('en'),
      feed.requests === 0 ? '-' : `${Math.round((feed.notModified / feed.requests) * 100)}%`,
      feed.readers.toLocaleString('en'),
      subscribersOf(feed).toLocaleString('en'),
      sourcesOf(feed),
    ]),
  );
  if (rows.length === 0) return 'no feed requests in these logs\n';
  const widths = columns.map((title, index) =>
    Math.max(title.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const numeric = new Set([2, 3, 4, 5]);
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) =>
        index === cells.length - 1
          ? cell
          : numeric.has(index)
            ? cell.padStart(widths[index] ?? 0)
            : cell.padEnd(widths[index] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const open = days.some((day) => !day.final)
    ? '\n* the day is still open: logs for it may still arrive'
    : '';
  return `${[line(columns), ...rows.map(line)].join('\n')}\n${open ? `${open.slice(1)}\n` : ''}`;
}

/** "Feedly 40, Inoreader 12, NetNewsWire 3 readers": aggregators' reports, then the top apps. */
function sourcesOf(feed: FeedDay): string {
  const reported = Object.entries(feed.subscribers).map(([name, count]) => `${name} ${count}`);
  const apps = Object.entries(feed.apps)
    .slice(0, 3)
    .map(([name, count]) => `${name} ${count}`);
  return [...reported, ...(apps.length > 0 ? [`readers: ${apps.join(', ')}`] : [])].join('; ');
}
