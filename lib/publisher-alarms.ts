import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** Default namespace of the metrics the publish function writes (Embedded Metric Format, via Powertools). */
export const defaultMetricsNamespace = 'FeedPublisher';

/** How long S3 events may wait in the publish queue before someone should look: a publish takes seconds. */
const oldestMessageAlarmAge = Duration.minutes(15);

/**
 * How long a rebuild step may wait: steps run ten at a time and take seconds, so at a million
 * records (about 2,000 read steps) the last waits about 20 minutes behind the first.
 */
const oldestRebuildStepAlarmAge = Duration.minutes(45);

export interface AlarmTargets {
  readonly fn: lambda.IFunction;
  readonly queue: sqs.IQueue;
  readonly rebuildQueue: sqs.IQueue;
  /** Each dead-letter queue, by the id of the alarm that watches it. */
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  readonly topic: sns.ITopic;
  /** Namespace and `service` dimension of the function's own metrics. */
  readonly namespace: string;
  readonly service: string;
}

const deadLetterDescriptions: Readonly<Record<string, string>> = {
  DeadLettersAlarm:
    'Record changes (S3 events) failed to publish five times and wait in the dead-letter queue; redrive it to the publish queue',
  RebuildDeadLettersAlarm:
    'Rebuild steps failed five times and wait in the rebuild dead-letter queue; redrive it to the rebuild queue',
  StatisticsDeadLettersAlarm:
    'A CloudFront log object (or an hourly merge) failed to count five times and waits in the statistics dead-letter queue; redrive it to the statistics queue',
  InvocationDeadLettersAlarm:
    'A scheduled or post-deploy publish failed after its retries; redrive the invocation dead-letter queue to the publish queue',
};

/** Alarms on function errors, queue-driven failures, waiting and dead-lettered events, and invalid records. */
export function createAlarms(scope: Construct, targets: AlarmTargets): void {
  const { fn, queue, rebuildQueue, deadLetterQueues, topic, namespace, service } = targets;
  const ownMetric = (metricName: string, period: Duration, statistic: string) =>
    new cloudwatch.Metric({ namespace, metricName, dimensionsMap: { service }, period, statistic });
  const atLeastOne = {
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  };
  const alarms = [
    new cloudwatch.Alarm(scope, 'PublishErrorsAlarm', {
      alarmDescription: 'The publish function failed; feeds may be stale',
      metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      ...atLeastOne,
    }),
    new cloudwatch.Alarm(scope, 'PublishFailuresAlarm', {
      alarmDescription:
        'A publish of record changes failed and its messages went back to the queue (not a Lambda error, so the errors alarm does not see it)',
      metric: ownMetric('PublishFailures', Duration.minutes(5), 'Sum'),
      ...atLeastOne,
    }),
    new cloudwatch.Alarm(scope, 'QueueWaitAlarm', {
      alarmDescription:
        'Record changes have waited in the publish queue for 15 minutes: publishes are failing or stuck',
      metric: queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: oldestMessageAlarmAge.toSeconds(),
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    ...Object.entries(deadLetterQueues).map(
      ([id, deadLetterQueue]) =>
        new cloudwatch.Alarm(scope, id, {
          alarmDescription: deadLetterDescriptions[id] ?? 'Messages wait in a dead-letter queue',
          metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(5),
            statistic: 'Maximum',
          }),
          ...atLeastOne,
        }),
    ),
    new cloudwatch.Alarm(scope, 'RebuildQueueWaitAlarm', {
      alarmDescription:
        'A rebuild step has waited 45 minutes in the rebuild queue: steps are failing, or the rebuild is larger than its concurrency drains in time',
      metric: rebuildQueue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: oldestRebuildStepAlarmAge.toSeconds(),
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    new cloudwatch.Alarm(scope, 'RebuildStalledAlarm', {
      alarmDescription:
        'A rebuild made no progress for 15 minutes; the reconcile resumed it from where it stopped (see the log line "rebuild resumed")',
      metric: ownMetric('RebuildStalled', Duration.minutes(5), 'Sum'),
      ...atLeastOne,
    }),
    new cloudwatch.Alarm(scope, 'InvalidRecordsAlarm', {
      alarmDescription:
        'Some article records are invalid; the publish log names each record, field and problem',
      metric: ownMetric('InvalidRecords', Duration.minutes(15), 'Maximum'),
      ...atLeastOne,
    }),
  ];
  const action = new cloudwatchActions.SnsAction(topic);
  for (const alarm of alarms) alarm.addAlarmAction(action);
}
