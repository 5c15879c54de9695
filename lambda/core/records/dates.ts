/**
 * Date reading for records. Offsets are honoured; a date-time without an offset is wall-clock
 * time in the site's IANA time zone; a date alone is midnight there. Impossible dates are
 * rejected instead of rolling over (`2024-02-30` is not March 1st).
 */

const isoPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

export class DateReadError extends Error {
  override readonly name = 'DateReadError';
}

export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second?: number;
  readonly millisecond?: number;
}

/** Reads an ISO 8601 / RFC 3339 date or date-time; throws DateReadError saying what is wrong. */
export function readDate(text: string, timeZone: string): Date {
  const match = isoPattern.exec(text.trim());
  if (!match) {
    throw new DateReadError(`'${text}' is not a date; write it like 2024-05-31 or 2024-05-31T09:30:00+02:00`);
  }
  const [, y, mo, d, h, mi, s, frac, offset] = match;
  const clock: WallClock = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? 0),
    minute: Number(mi ?? 0),
    second: Number(s ?? 0),
    millisecond: frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0,
  };
  checkWallClock(clock, text);
  if (offset === undefined) return zonedTimeToDate(clock, timeZone);
  return new Date(Date.UTC(...utcArgs(clock)) - parseOffsetMinutes(offset) * 60_000);
}

/** Throws when the fields do not name a real calendar instant (Feb 30th, 25:00, ...). */
export function checkWallClock(clock: WallClock, text: string): void {
  const { year, month, day, hour, minute, second = 0 } = clock;
  if (month < 1 || month > 12) throw new DateReadError(`'${text}' has no month ${month}`);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) throw new DateReadError(`'${text}' is not a real date`);
  if (hour > 23 || minute > 59 || second > 60) throw new DateReadError(`'${text}' is not a real time of day`);
}

/** `+03:00`, `-0530`, `+05`, `Z` -> minutes east of UTC. */
export function parseOffsetMinutes(offset: string): number {
  if (/^z$/i.test(offset)) return 0;
  const match = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(offset);
  if (!match) throw new DateReadError(`'${offset}' is not a UTC offset`);
  const [, sign, hours, minutes] = match;
  const total = Number(hours) * 60 + Number(minutes ?? 0);
  if (Number(hours) > 14 || Number(minutes ?? 0) > 59)
    throw new DateReadError(`'${offset}' is not a UTC offset`);
  return sign === '-' ? -total : total;
}

/** The instant at which clocks in `timeZone` show `clock` (DST gaps resolve forward, overlaps to the earlier). */
export function zonedTimeToDate(clock: WallClock, timeZone: string): Date {
  const wallAsUtc = Date.UTC(...utcArgs(clock));
  // Two passes converge for every real zone: the first guess is off by at most one DST shift.
  let guess = wallAsUtc - zoneOffsetMs(new Date(wallAsUtc), timeZone);
  guess = wallAsUtc - zoneOffsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of `timeZone` from UTC at `instant`, in milliseconds. */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(instant)) parts[part.type] = Number(part.value);
  const asUtc = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - (instant.getTime() - instant.getUTCMilliseconds());
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function utcArgs(clock: WallClock): [number, number, number, number, number, number, number] {
  return [
    clock.year,
    clock.month - 1,
    clock.day,
    clock.hour,
    clock.minute,
    clock.second ?? 0,
    clock.millisecond ?? 0,
  ];
}
