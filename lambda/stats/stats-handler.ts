import type { Logger } from '@aws-lambda-powertools/logger';
import type { QueueMessage } from '../aws/queue-messages.ts';
import type { LogSource, StateStore } from '../stores/ports.ts';
import { mergeDays, tallyLogObject } from './stats-run.ts';

/** A message on the statistics queue that is neither a log object's event nor a merge. */
export class StatsMessageError extends Error {
  override readonly name = 'StatsMessageError';
}

/** What the schedule sends, hourly: merge the open days, close the finished ones. */
export const mergeMessage = { source: 'feed-publisher.stats' } as const;

export interface StatsHandlerDeps {
  readonly state: StateStore;
  /** The log objects of a bucket. */
  readonly logsIn: (bucket: string) => LogSource;
  readonly random: () => Uint8Array;
  readonly now: () => Date;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

type StatsWork =
  | { readonly kind: 'log'; readonly bucket: string; readonly key: string }
  | { readonly kind: 'merge' };

/**
 * What a message asks: each new log object (an S3 event), or a merge (the schedule's message,
 * also as redriven from the dead-letter queue). S3's test event asks nothing.
 */
export function statsWorkOf(message: QueueMessage): StatsWork[] {
  let body: unknown;
  try {
    body = JSON.parse(message.body ?? '');
  } catch {
    throw new StatsMessageError(`message ${message.messageId} is not JSON`);
  }
  const payload = (typeof body === 'object' && body !== null ? body : {}) as {
    Records?: { s3?: { bucket?: { name?: string }; object?: { key?: string } } }[];
    source?: unknown;
    Event?: unknown;
  };
  if (payload.source === mergeMessage.source) return [{ kind: 'merge' }];
  if (payload.Event === 's3:TestEvent') return [];
  if (!Array.isArray(payload.Records))
    throw new StatsMessageError(`message ${message.messageId} is neither an S3 event nor a merge`);
  return payload.Records.flatMap((record) => {
    const bucket = record.s3?.bucket?.name;
    const key = record.s3?.object?.key;
    return bucket && key
      ? [{ kind: 'log' as const, bucket, key: decodeURIComponent(key.replace(/\+/g, ' ')) }]
      : [];
  });
}

/**
 * The statistics function: counts each new CloudFront log object into the day's parts, and on
 * the hourly message merges the days. A message that fails is retried and then left in the
 * dead-letter queue; the others of the batch go on.
 */
export function createStatsHandler(deps: StatsHandlerDeps) {
  return async (event: { readonly Records: readonly QueueMessage[] }) => {
    const failures: { itemIdentifier: string }[] = [];
    for (const message of event.Records) {
      try {
        for (const work of statsWorkOf(message)) {
          if (work.kind === 'merge') {
            const result = await mergeDays(deps, deps.now());
            deps.logger.info('statistics merged', { ...result });
            continue;
          }
          const reading = await tallyLogObject({ ...deps, logs: deps.logsIn(work.bucket) }, work.key);
          const log = {
            bucket: work.bucket,
            key: work.key,
            lines: reading.lines,
            days: reading.parts.map((part) => part.date),
          };
          if (reading.malformed > 0)
            deps.logger.warn('log lines skipped', {
              ...log,
              malformed: reading.malformed,
              examples: reading.examples,
            });
          else deps.logger.info('log counted', log);
        }
      } catch (error) {
        deps.logger.error('statistics message failed', {
          messageId: message.messageId,
          error: error as Error,
        });
        failures.push({ itemIdentifier: message.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
}
