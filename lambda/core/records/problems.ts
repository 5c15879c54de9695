import type { RecordError } from '../model.ts';

/** Collects every problem found in one record, so one run reports them all at once. */
export class RecordProblems {
  readonly list: RecordError[] = [];

  constructor(readonly key: string) {}

  add(field: string, message: string): void {
    this.list.push({ key: this.key, field, message });
  }

  get any(): boolean {
    return this.list.length > 0;
  }
}
