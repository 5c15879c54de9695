import { paragraphsToHtml } from '../content/html.ts';
import { toXmlSafeText } from '../content/xml-text.ts';
import type { ArticleFields } from './article-fields.ts';
import { checkWallClock, DateReadError, parseOffsetMinutes, zonedTimeToDate } from './dates.ts';
import type { RecordProblems } from './problems.ts';

/**
 * The plain-text news layout:
 *
 *   date 2017-08-18 <navigation text, ignored>
 *   <title>
 *   <section>
 *   August 18, 18:03 UTC+3 BISHKEK
 *   <lead>
 *   <photo caption, possibly repeated>
 *   © <photo credit>
 *   <body paragraphs; the first may name the source as /TASS/.>
 */

const months = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const headerPattern = /^date\s+(\d{4})-(\d{2})-(\d{2})(?:\s|$)/i;
/** Month, day, hour, minute; then optionally UTC/GMT with an offset; then optionally the city. */
const timePattern =
  /^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{1,2}):(\d{2})(?:\s+(UTC|GMT)\s*([+-−]\s*\d{1,2}(?::?\d{2})?)?)?(?:\s+(.+))?$/iu;
/** `BISHKEK, August 18. /TASS/.` - how a news body opens. */
const bodyOpeningPattern = /^\p{Lu}[\p{Lu}\p{M} .'’-]*,\s+\p{L}+\s+\d{1,2}\.|\/[^/\s][^/]{0,40}\/\./u;
const sourcePattern = /\/\s*([^/\s][^/]{0,40}?)\s*\/\./u;

interface Line {
  readonly number: number;
  readonly text: string;
}

export function parseNewsText(
  text: string,
  problems: RecordProblems,
  timeZone: string,
): ArticleFields | undefined {
  const lines: Line[] = toXmlSafeText(text)
    .split(/\r\n|\r|\n/)
    .map((raw, index) => ({ number: index + 1, text: raw.replace(/[\u00a0\u2007\u202f\t]/g, ' ').trim() }))
    .filter((line) => line.text !== '');
  const header = readHeader(lines, problems, timeZone);
  if (!header) return undefined;
  const story = readStory(lines.slice(4), problems);
  if (!story) return undefined;
  const { caption, credit } = story;
  return {
    title: header.title,
    published: header.published,
    summary: story.lead,
    contentHtml: paragraphsToHtml(story.paragraphs),
    authors: [],
    categories: [header.section],
    tags: [],
    image: caption || credit ? { caption: caption || undefined, credit } : undefined,
    attachments: [],
    source: story.source,
    dateline: header.dateline,
    draft: false,
  };
}

/** The first four lines: the date line, the title, the section, and the time line with its city. */
function readHeader(
  lines: readonly Line[],
  problems: RecordProblems,
  timeZone: string,
): { title: string; section: string; published: Date; dateline?: string } | undefined {
  const [header, title, section, timeLine] = lines;
  const headerMatch = header ? headerPattern.exec(header.text) : null;
  if (!header || !headerMatch) {
    problems.add(
      'date',
      `the first line must start with 'date YYYY-MM-DD'; found ${header ? quote(header) : 'an empty file'}`,
    );
    return undefined;
  }
  if (!title) {
    problems.add('title', 'the line after the date line must be the title; the file ends before it');
    return undefined;
  }
  if (!section || !timeLine) {
    problems.add(
      'date',
      'the section line and the time line (like "August 18, 18:03 UTC+3 BISHKEK") are missing',
    );
    return undefined;
  }
  const timeMatch = timePattern.exec(timeLine.text);
  if (!timeMatch) {
    problems.add('date', `${quote(timeLine)} is not a time line like "August 18, 18:03 UTC+3 BISHKEK"`);
    return undefined;
  }
  const [, y, m, d] = headerMatch.map(Number);
  const headerDate = { year: y ?? 0, month: m ?? 0, day: d ?? 0 };
  try {
    checkWallClock({ ...headerDate, hour: 0, minute: 0 }, header.text);
  } catch (error) {
    if (!(error instanceof DateReadError)) throw error;
    problems.add('date', `line ${header.number}: ${error.message}`);
    return undefined;
  }
  const published = readTimeLine(timeMatch, headerDate, timeLine, problems, timeZone);
  if (!published) return undefined;
  const dateline = timeMatch[7]?.trim();
  return { title: title.text, section: section.text, published, ...(dateline ? { dateline } : {}) };
}

/**
 * What follows the header: the lead, the photo caption (often printed twice) and its `©` credit,
 * then the body, whose first paragraph may name the source as `/TASS/.`.
 */
function readStory(
  rest: readonly Line[],
  problems: RecordProblems,
): { lead?: string; caption: string; credit?: string; paragraphs: string[]; source?: string } | undefined {
  const creditIndex = rest.findIndex(
    (line, index) => line.text.startsWith('©') && !isBodyOpening(rest, index),
  );
  const openingIndex = rest.findIndex((line) => bodyOpeningPattern.test(line.text));
  const bodyStart =
    creditIndex >= 0 ? creditIndex + 1 : openingIndex >= 0 ? openingIndex : Math.min(1, rest.length);
  const captionEnd = creditIndex >= 0 ? creditIndex : bodyStart;
  const paragraphs = rest.slice(bodyStart).map((line) => line.text);
  if (paragraphs.length === 0) {
    problems.add('content', 'the article has no body paragraphs after the lead');
    return undefined;
  }
  return {
    lead: bodyStart > 0 ? rest[0]?.text : undefined,
    caption: collapseRepeats(rest.slice(1, captionEnd).map((line) => line.text)).join(' '),
    credit: creditIndex >= 0 ? rest[creditIndex]?.text : undefined,
    paragraphs,
    source: paragraphs[0] ? sourcePattern.exec(paragraphs[0])?.[1] : undefined,
  };
}

function isBodyOpening(lines: readonly Line[], index: number): boolean {
  return bodyOpeningPattern.test(lines[index]?.text ?? '');
}

/** Caption lines are often printed twice; keep each distinct line once, in order. */
function collapseRepeats(lines: readonly string[]): string[] {
  return lines.filter((line, index) => lines.indexOf(line) === index);
}

function readTimeLine(
  match: RegExpExecArray,
  headerDate: { year: number; month: number; day: number },
  line: Line,
  problems: RecordProblems,
  timeZone: string,
): Date | undefined {
  const [, monthName = '', dayText, hourText, minuteText, zone, offsetText] = match;
  const month =
    months.findIndex((name) => name.startsWith(monthName.toLowerCase()) && monthName.length >= 3) + 1;
  if (month === 0) {
    problems.add('date', `${quote(line)}: '${monthName}' is not a month name`);
    return undefined;
  }
  try {
    const offsetMinutes = offsetText
      ? parseOffsetMinutes(offsetText.replace(/[\s−]/g, (c) => (c === '−' ? '-' : '')))
      : 0;
    // The time line has no year: take the one that puts it nearest the header date (Dec 31 vs Jan 1).
    const candidates = [headerDate.year - 1, headerDate.year, headerDate.year + 1];
    const headerDay = Date.UTC(headerDate.year, headerDate.month - 1, headerDate.day);
    const year = candidates.reduce((best, candidate) =>
      Math.abs(Date.UTC(candidate, month - 1, Number(dayText)) - headerDay) <
      Math.abs(Date.UTC(best, month - 1, Number(dayText)) - headerDay)
        ? candidate
        : best,
    );
    const clock = { year, month, day: Number(dayText), hour: Number(hourText), minute: Number(minuteText) };
    checkWallClock(clock, line.text);
    // Without UTC or GMT, the time is the site's wall clock, as in the other formats.
    if (!zone) return zonedTimeToDate(clock, timeZone);
    return new Date(Date.UTC(year, month - 1, clock.day, clock.hour, clock.minute) - offsetMinutes * 60_000);
  } catch (error) {
    if (!(error instanceof DateReadError)) throw error;
    problems.add('date', `line ${line.number}: ${error.message}`);
    return undefined;
  }
}

function quote(line: Line): string {
  return `line ${line.number} '${line.text.length > 80 ? `${line.text.slice(0, 80)}…` : line.text}'`;
}
