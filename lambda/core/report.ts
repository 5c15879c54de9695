import type { RecordError } from './model.ts';

export interface PublishReport {
  /** Articles visible in the feeds. */
  readonly published: number;
  readonly drafts: number;
  /** Articles whose date is still in the future. */
  readonly embargoed: number;
  readonly expired: number;
  /** Every problem, one per record and field. */
  readonly errors: readonly RecordError[];
  /**
   * What records read in this publish publish despite: unknown fields, content the sanitizer
   * removed. Reported once, when the record is read.
   */
  readonly warnings: readonly RecordError[];
  /** Records that are invalid now but stay published in their last good version. */
  readonly keptLastGood: readonly string[];
  /** The next instant an embargo lifts or an article expires: publish again then. */
  readonly nextChangeAt?: Date;
}
