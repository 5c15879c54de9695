import { cleanLine, cleanMultiline } from '../content/plain-text.ts';
import { DateReadError, readDate } from './dates.ts';
import type { RecordProblems } from './problems.ts';
import { contentFields } from './record-fields.ts';

export type Fields = Readonly<Record<string, unknown>>;

/** Fields that may hold several lines (the content); everything else is one line. */
const multilineFields = new Set<string>(contentFields);

/**
 * Reads the fields of one object of a record (the record itself, its image, one author) and
 * reports each problem under the field's full name (`authors[1].email`). Every reader answers
 * undefined for a value it cannot use, after saying why.
 */
export class FieldReader {
  constructor(
    readonly fields: Fields,
    readonly problems: RecordProblems,
    /** Prepended to field names in problems: 'image.' or 'authors[0].'. */
    readonly prefix = '',
  ) {}

  /** A reader for an object nested in this one. */
  nested(fields: Fields, prefix: string): FieldReader {
    return new FieldReader(fields, this.problems, prefix);
  }

  /** Reports a problem with a field of this object. */
  report(name: string, message: string): void {
    this.problems.add(`${this.prefix}${name}`, message);
  }

  has(name: string): boolean {
    const value = this.fields[name];
    return value !== undefined && value !== null;
  }

  /** Text: one line (or, for content fields, several), cleaned; empty text is a problem. */
  string(name: string, { required = false } = {}): string | undefined {
    const value = this.fields[name];
    if (value === undefined || value === null) {
      if (required) this.report(name, 'is required');
      return undefined;
    }
    if (typeof value !== 'string') {
      this.report(name, `must be text, not ${describe(value)}`);
      return undefined;
    }
    const trimmed = multilineFields.has(name) ? cleanMultiline(value) : cleanLine(value);
    if (trimmed === '') {
      this.report(name, 'is empty');
      return undefined;
    }
    return trimmed;
  }

  /** An absolute http(s) URL, normalised. */
  url(name: string, options: { required?: boolean } = {}): string | undefined {
    const value = this.string(name, options);
    if (value === undefined) return undefined;
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
    } catch {
      // reported below
    }
    this.report(name, `'${value}' is not an absolute http(s) URL`);
    return undefined;
  }

  email(name: string): string | undefined {
    const value = this.string(name);
    if (value === undefined || /^[^\s@<>()]+@[^\s@<>()]+$/.test(value)) return value;
    this.report(name, `'${value}' is not an e-mail address`);
    return undefined;
  }

  /** A media type like `image/jpeg`, lower-cased. */
  mediaType(name: string, options: { required?: boolean } = {}): string | undefined {
    const value = this.string(name, options);
    if (value === undefined) return undefined;
    if (/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i.test(value)) return value.toLowerCase();
    this.report(name, `'${value}' is not a media type like 'image/jpeg'`);
    return undefined;
  }

  /** A whole number of 0 or more. */
  count(name: string): number | undefined {
    const value = this.fields[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
    this.report(name, `must be a whole number of 0 or more, not ${describe(value)}`);
    return undefined;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.fields[name] ?? fallback;
    if (typeof value === 'boolean') return value;
    this.report(name, `must be true or false, not ${describe(value)}`);
    return fallback;
  }

  /**
   * A list of non-empty texts, each once. A single text is refused rather than taken as a list of
   * one: `categories: "economy"` is more often a slip than a wish, and its spelling would rename
   * the category everywhere.
   */
  strings(name: string): string[] {
    const value = this.fields[name];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      const example = typeof value === 'string' ? JSON.stringify([value]) : '["Economy", "Markets"]';
      this.report(name, `must be a list of texts, like ${example}, not ${describe(value)}`);
      return [];
    }
    const list: unknown[] = value;
    const strings: string[] = [];
    list.forEach((entry, index) => {
      if (typeof entry === 'string' && cleanLine(entry) !== '') strings.push(cleanLine(entry));
      else this.report(`${name}[${index}]`, `must be a non-empty text, not ${describe(entry)}`);
    });
    return [...new Set(strings)];
  }

  /** A date as the records write them; without an offset, wall-clock time in `timeZone`. */
  date(name: string, timeZone: string, { required = false } = {}): Date | undefined {
    const value = this.fields[name];
    if (value === undefined || value === null) {
      if (required) this.report(name, 'is required (like 2024-05-31T09:30:00+02:00)');
      return undefined;
    }
    if (typeof value !== 'string') {
      this.report(name, `must be a date text like 2024-05-31T09:30:00+02:00, not ${describe(value)}`);
      return undefined;
    }
    try {
      return readDate(value, timeZone);
    } catch (error) {
      if (!(error instanceof DateReadError)) throw error;
      this.report(name, error.message);
      return undefined;
    }
  }

  /** Each entry of a list, with a reader for it when it is an object; anything else is reported. */
  objects(name: string, shape: string): { index: number; entry: unknown; reader?: FieldReader }[] {
    const value = this.fields[name];
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.report(name, `must be a list of ${shape}, not ${describe(value)}`);
      return [];
    }
    return value.map((entry: unknown, index) => ({
      index,
      entry,
      ...(isObject(entry) ? { reader: this.nested(entry, `${this.prefix}${name}[${index}].`) } : {}),
    }));
  }
}

export function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as a message names it: `the text 'x'`, `a list`, `number 5`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the text '${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  return `${typeof value} ${String(value)}`;
}
