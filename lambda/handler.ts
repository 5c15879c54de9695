import type { S3Client } from '@aws-sdk/client-s3';
import { type HandlerConfig, readHandlerConfig } from './config.ts';
import { runPublish } from './publish-run.ts';
import { S3OutputStore, S3RecordStore } from './stores/s3.ts';
import { createS3Client } from './stores/s3-client.ts';

/** An SQS batch of S3 event notifications; other invocations (schedule, manual) carry no Records. */
interface SqsBatchEvent {
  readonly Records?: ReadonlyArray<{ readonly messageId: string; readonly eventSource?: string }>;
}

export interface PublishResponse {
  readonly batchItemFailures: ReadonlyArray<{ readonly itemIdentifier: string }>;
}

/** Builds a handler over explicit dependencies; the exported `handler` wires the real ones. */
export function createHandler(config: HandlerConfig, client: S3Client, clock: () => Date = () => new Date()) {
  return async (event: SqsBatchEvent = {}): Promise<PublishResponse> => {
    const messageIds = (event.Records ?? []).map((record) => record.messageId);
    try {
      // Any change means "bring the feeds up to date": one publish covers the whole batch.
      const result = await runPublish({
        records: new S3RecordStore(client, { bucket: config.contentBucket, prefix: config.contentPrefix }),
        output: new S3OutputStore(client, { bucket: config.feedsBucket, prefix: config.feedsPrefix }),
        now: clock(),
        siteOverrides: { feedBaseUrl: config.feedBaseUrl },
      });
      log('info', 'published', {
        messages: messageIds.length,
        written: result.written,
        unchanged: result.unchanged.length,
        ...result.report,
      });
      return { batchItemFailures: [] };
    } catch (error) {
      log('error', 'publish failed', { error: error instanceof Error ? error.message : String(error) });
      if (messageIds.length === 0) throw error;
      // Every message in the batch goes back to the queue and is retried, then dead-lettered.
      return { batchItemFailures: messageIds.map((itemIdentifier) => ({ itemIdentifier })) };
    }
  };
}

function log(level: 'info' | 'error', message: string, fields: Record<string, unknown>): void {
  const line = JSON.stringify({ level, message, ...fields });
  if (level === 'error') console.error(line);
  else console.log(line);
}

const config = readHandlerConfig(process.env);

/** The Lambda entry point: configuration is read once, at cold start, and a bad one fails fast. */
export const handler = createHandler(config, createS3Client(config.s3Endpoint));
