import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { invalidationPaths } from '../core/invalidation.ts';
import { isFeedPath } from '../core/render/feed-files.ts';
import { isArchivePath } from '../core/render/file-headers.ts';
import { invalidate } from '../delivery/cloudfront.ts';
import { scheduleNextChange } from '../delivery/next-change-schedule.ts';
import { notifyHub } from '../delivery/websub.ts';
import { type PublishRunResult, runPublish } from '../publish/publish-run.ts';
import { readSite } from '../publish/read-site.ts';
import { runRebuildMessage } from '../publish/rebuild-job.ts';
import type { RebuildMessage, TaskQueue } from '../stores/ports.ts';
import { S3OutputStore, S3RecordStore, S3StateStore } from '../stores/s3.ts';
import { importStagedRecords } from '../stores/s3-import.ts';
import { SqsTaskQueue } from '../stores/sqs.ts';
import type { HandlerConfig } from './config.ts';
import {
  namesTemplates,
  type QueueMessage,
  readableStep,
  recordTriggers,
  redrivenInvocationOf,
} from './queue-messages.ts';
import { publishCounts, type Telemetry } from './telemetry.ts';

/** An SQS batch of S3 event notifications; schedule, deploy and manual invocations carry no Records. */
interface PublishEvent {
  readonly Records?: readonly QueueMessage[];
  /** A manual invoke may ask for everything to be read and rendered again. */
  readonly rebuild?: boolean;
}

/** The part of the Lambda context the handler uses. */
interface InvocationContext {
  readonly invokedFunctionArn: string;
}

export interface PublishResponse {
  readonly batchItemFailures: ReadonlyArray<{ readonly itemIdentifier: string }>;
}

export interface HandlerDependencies {
  readonly config: HandlerConfig;
  readonly s3: S3Client;
  readonly cloudFront: CloudFrontClient;
  readonly scheduler: SchedulerClient;
  /** Sends rebuild steps to the rebuild queue; without it rebuilds run in one invocation. */
  readonly sqs?: SQSClient;
  readonly telemetry: Telemetry;
  readonly clock?: () => Date;
}

/** Builds the handler over explicit dependencies; the exported `handler` wires the real ones. */
export function createHandler(dependencies: HandlerDependencies) {
  return async (event: PublishEvent | null = {}, context?: InvocationContext): Promise<PublishResponse> => {
    const invocation = startInvocation(dependencies, context);
    const all = event?.Records ?? [];
    const { steps, messages, failures } = sortMessages(invocation, all);
    for (const { message, step } of steps) {
      if (!(await runStep(invocation, step))) failures.push(message.messageId);
    }
    // A batch of rebuild steps (or of messages that could not be read) publishes nothing more.
    if (messages.length === 0 && all.length > 0) return respond(invocation, failures);
    return publishMessages(invocation, event, messages, failures);
  };
}

/** What one invocation works with: its dependencies, its clock reading, its stores and places. */
interface Invocation {
  readonly dependencies: HandlerDependencies;
  readonly clock: () => Date;
  readonly now: Date;
  readonly stores: { records: S3RecordStore; output: S3OutputStore; state: S3StateStore };
  readonly siteOverrides: { readonly feedBaseUrl?: string; readonly hubUrl?: string };
  readonly places: { readonly output: string; readonly content: string };
  readonly rebuildQueue?: TaskQueue;
  readonly functionArn?: string;
}

function startInvocation(dependencies: HandlerDependencies, context?: InvocationContext): Invocation {
  const { config, s3, sqs } = dependencies;
  const clock = dependencies.clock ?? (() => new Date());
  return {
    dependencies,
    clock,
    now: clock(),
    stores: {
      records: new S3RecordStore(s3, { bucket: config.contentBucket, prefix: config.contentPrefix }),
      output: new S3OutputStore(s3, { bucket: config.feedsBucket, prefix: config.feedsPrefix }),
      state: new S3StateStore(s3, { bucket: config.stateBucket, prefix: config.statePrefix }),
    },
    siteOverrides: { feedBaseUrl: config.feedBaseUrl, hubUrl: config.hubUrl },
    places: {
      output: `s3://${config.feedsBucket}/${config.feedsPrefix}`,
      content: `s3://${config.contentBucket}/${config.contentPrefix}`,
    },
    rebuildQueue: sqs && config.rebuildQueueUrl ? new SqsTaskQueue(sqs, config.rebuildQueueUrl) : undefined,
    functionArn: context?.invokedFunctionArn,
  };
}

/** The batch's rebuild steps and other messages; a message that cannot be read fails alone. */
function sortMessages(invocation: Invocation, all: readonly QueueMessage[]) {
  const steps: { message: QueueMessage; step: RebuildMessage }[] = [];
  const messages: QueueMessage[] = [];
  const failures: string[] = [];
  for (const message of all) {
    try {
      const step = readableStep(message);
      if (step) steps.push({ message, step });
      else messages.push(message);
    } catch (error) {
      invocation.dependencies.telemetry.logger.error('unreadable message', {
        messageId: message.messageId,
        error: asError(error),
      });
      failures.push(message.messageId);
    }
  }
  return { steps, messages, failures };
}

/**
 * One rebuild step; the last one publishes what came in while the job ran (events were left to
 * this reconcile: published now, not at the next scheduled one). False when it failed.
 */
async function runStep(invocation: Invocation, step: RebuildMessage): Promise<boolean> {
  const { stores, siteOverrides, now, places, rebuildQueue, clock } = invocation;
  try {
    const { site } = await readSite(stores.records, stores.state, siteOverrides, { templates: 'remembered' });
    // rebuildQueue is set whenever steps arrive: they come from it.
    const finished = await runRebuildMessage({ ...stores, site, now, places }, rebuildQueue ?? noQueue, step);
    if (finished) {
      await afterPublish(invocation, { ...finished, mode: 'rebuild', looked: 0 }, 0);
      await afterPublish(
        invocation,
        await runPublish({ ...stores, now: clock(), clock, siteOverrides, places, rebuildQueue }),
        0,
      );
    }
    return true;
  } catch (error) {
    invocation.dependencies.telemetry.logger.error('rebuild step failed', {
      step: step.kind,
      job: step.job,
      error: asError(error),
    });
    return false;
  }
}

/**
 * A batch of S3 events reads just the records they name; schedules and manual runs reconcile,
 * and so does a batch carrying a failed invocation redriven from its dead-letter queue. When the
 * publish fails, every message goes back to the queue (retried, then dead-lettered); without
 * messages the invocation fails.
 */
async function publishMessages(
  invocation: Invocation,
  event: PublishEvent | null,
  messages: readonly QueueMessage[],
  failures: readonly string[],
): Promise<PublishResponse> {
  const { dependencies, stores, now, clock, siteOverrides, places, rebuildQueue } = invocation;
  const { config, telemetry } = dependencies;
  const messageIds = messages.map((record) => record.messageId);
  let result: PublishRunResult;
  try {
    if (messages.length === 0 && config.importPrefix) await importStaged(invocation, config.importPrefix);
    const redriven = messages.flatMap((message) => redrivenInvocationOf(message) ?? []);
    result = await runPublish({
      ...stores,
      now,
      clock,
      siteOverrides,
      places,
      changes:
        messages.length > 0 && redriven.length === 0
          ? recordTriggers(messages, config.contentPrefix)
          : undefined,
      templatesChanged: namesTemplates(messages, config.contentPrefix),
      rebuild: event?.rebuild === true || redriven.some((invocation) => invocation.rebuild),
      rebuildQueue,
    });
  } catch (error) {
    telemetry.logger.error('publish failed', { messages: messageIds.length, error: asError(error) });
    if (messageIds.length === 0) {
      publishCounts(telemetry.metrics, { PublishFailures: 1 });
      throw error;
    }
    return respond(invocation, [...failures, ...messageIds]);
  }
  await afterPublish(invocation, result, messageIds.length);
  return respond(invocation, failures);
}

/** Records a deploy staged: created only where none exists, never over a record in the bucket. */
async function importStaged(invocation: Invocation, importPrefix: string): Promise<void> {
  const { s3, config, telemetry } = invocation.dependencies;
  const staged = await importStagedRecords(s3, config.contentBucket, importPrefix, config.contentPrefix);
  if (staged.imported.length + staged.kept.length > 0)
    telemetry.logger.info('imported staged records', { ...staged });
}

/**
 * A failed message is not a Lambda error, so the errors alarm never sees it: count it here,
 * before the queue gets it back.
 */
function respond(invocation: Invocation, failed: readonly string[]): PublishResponse {
  if (failed.length > 0)
    publishCounts(invocation.dependencies.telemetry.metrics, { PublishFailures: failed.length });
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
}

/** The publish logged and delivered (invalidation, hub, next schedule), and its metrics counted. */
async function afterPublish(
  invocation: Invocation,
  done: PublishRunResult,
  messageCount: number,
): Promise<void> {
  const { config, cloudFront, scheduler, telemetry } = invocation.dependencies;
  const { logger, metrics } = telemetry;
  const { report } = done;
  logger[report.errors.length > 0 ? 'warn' : 'info']('published', {
    messages: messageCount,
    mode: done.mode,
    looked: done.looked,
    written: done.written,
    deleted: done.deleted,
    ...report,
  });
  const deliveryErrors = await deliver(
    done,
    config,
    { cloudFront, scheduler, logger },
    invocation.now,
    invocation.functionArn,
  );
  if (done.mode === 'rebuild-resumed') logger.warn('rebuild resumed', { rebuild: done.rebuildRunning });
  publishCounts(metrics, {
    // A rebuild that made no progress for 15 minutes, resumed by this publish.
    RebuildStalled: done.mode === 'rebuild-resumed' ? 1 : 0,
    InvalidRecords: new Set(report.errors.map((error) => error.key)).size,
    PublishedArticles: report.published,
    FilesWritten: done.written.length,
    DeliveryErrors: deliveryErrors,
  });
}

/** Rebuild steps only arrive from the rebuild queue; without one configured there is none to answer. */
const noQueue = {
  send: async () => {
    throw new Error('REBUILD_QUEUE_URL is not set: rebuild steps cannot be queued');
  },
};

/** Errors keep their name and stack in the log; anything else thrown becomes one. */
function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * After the feeds are written: invalidate what changed, ping the hub, and wake up again at the
 * next embargo or expiry. The feeds are already correct, so a failure here is logged and counted
 * rather than retried; the feeds' short cache lifetime and the reconcile schedule cover it.
 */
async function deliver(
  result: PublishRunResult,
  config: HandlerConfig,
  clients: { cloudFront: CloudFrontClient; scheduler: SchedulerClient; logger: Telemetry['logger'] },
  now: Date,
  functionArn: string | undefined,
): Promise<number> {
  const steps: [string, () => Promise<unknown>][] = [];
  // Current feeds and pages are cached for five minutes: readers get them soon enough without
  // paying for an invalidation. Archive pages are cached for a day and change only when an
  // article in them is edited, deleted or backdated: those are invalidated.
  const staleArchives = [...result.written, ...result.deleted].filter(isArchivePath);
  if (config.distributionId && staleArchives.length > 0) {
    const distributionId = config.distributionId;
    steps.push([
      'invalidate',
      () => invalidate(clients.cloudFront, distributionId, invalidationPaths(staleArchives), now),
    ]);
  }
  const changedFeeds = result.written.filter((path) => isFeedPath(path) && !isArchivePath(path));
  if (config.hubUrl && config.feedBaseUrl && changedFeeds.length > 0) {
    const { hubUrl, feedBaseUrl } = config;
    steps.push([
      'notify hub',
      () =>
        notifyHub(
          hubUrl,
          changedFeeds.map((path) => new URL(path, feedBaseUrl).href),
        ),
    ]);
  }
  const nextChangeAt = result.report.nextChangeAt;
  if (config.schedule && functionArn && nextChangeAt) {
    const schedule = { ...config.schedule, targetArn: functionArn };
    steps.push([
      'schedule next change',
      () => scheduleNextChange(clients.scheduler, schedule, nextChangeAt, now),
    ]);
  }
  let failures = 0;
  for (const [name, step] of steps) {
    try {
      await step();
    } catch (error) {
      failures += 1;
      clients.logger.error(`${name} failed`, { error: asError(error) });
    }
  }
  return failures;
}
