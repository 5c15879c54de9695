import { SendMessageBatchCommand, SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import type { RebuildMessage, TaskQueue } from './ports.ts';

/** The SQS client the publisher uses to spread rebuilds; create one per process. */
export function createSqsClient(endpoint?: string, config: SQSClientConfig = {}): SQSClient {
  return new SQSClient({ ...(endpoint ? { endpoint } : {}), ...config });
}

/** Rebuild steps sent to an SQS queue the publish function reads, ten to a request. */
export class SqsTaskQueue implements TaskQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(messages: readonly RebuildMessage[]): Promise<void> {
    for (let start = 0; start < messages.length; start += 10) {
      const batch = messages.slice(start, start + 10);
      const response = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((message, index) => ({
            Id: String(index),
            MessageBody: JSON.stringify(message),
          })),
        }),
      );
      if ((response.Failed ?? []).length > 0) {
        const failed = response.Failed?.map((entry) => `${entry.Id}: ${entry.Message}`).join('; ');
        throw new Error(`could not queue rebuild steps on ${this.queueUrl}: ${failed}`);
      }
    }
  }
}
