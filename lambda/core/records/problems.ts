import type { RecordError } from '../model.ts';

/**
 * Collects every problem found in one record, so one run reports them all at once. Errors keep
 * the record out; warnings (an unknown field, content the sanitizer removed) are reported while
 * the record publishes.
 */
export class RecordProblems {
  readonly list: RecordError[] = [];
  readonly warnings: RecordError[] = [];

  constructor(readonly key: string) {}

  add(field: string, message: string): void {
    this.list.push({ key: this.key, field, message });
  }

  warn(field: string, message: string): void {
    this.warnings.push({ key: this.key, field, message });
  }

  get any(): boolean {
    return this.list.length > 0;
  }
}
