import type { RecordError } from '../model.ts';
import { lineOfField } from './field-lines.ts';

/**
 * Collects every problem found in one record, so one run reports them all at once. Errors keep
 * the record out; warnings (an unknown field, content the sanitizer removed) are reported while
 * the record publishes.
 */
export class RecordProblems {
  readonly list: RecordError[] = [];
  readonly warnings: RecordError[] = [];

  /** Where each field is in the file, once the file is parsed: problems then carry a line. */
  private lines: ReadonlyMap<string, number> = new Map();

  constructor(readonly key: string) {}

  /** Tells where the fields are; problems found from here on carry the line of their field. */
  locate(lines: ReadonlyMap<string, number>): void {
    this.lines = lines;
  }

  add(field: string, message: string): void {
    this.list.push(this.problem(field, message));
  }

  warn(field: string, message: string): void {
    this.warnings.push(this.problem(field, message));
  }

  /** The line of a field in the file, when known. */
  lineOf(field: string): number | undefined {
    return lineOfField(this.lines, field);
  }

  private problem(field: string, message: string): RecordError {
    const line = this.lineOf(field);
    return { key: this.key, field, message, ...(line === undefined ? {} : { line }) };
  }

  get any(): boolean {
    return this.list.length > 0;
  }
}
