import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** Namespace of the metrics the publish function writes in CloudWatch Embedded Metric Format. */
export const metricsNamespace = 'FeedPublisher';

/** Alarms on function errors, dead letters and invalid records, all to `topic`. */
export function createAlarms(
  scope: Construct,
  fn: lambda.IFunction,
  deadLetterQueue: sqs.IQueue,
  topic: sns.ITopic,
): void {
  const action = new cloudwatchActions.SnsAction(topic);
  const alarms = [
    new cloudwatch.Alarm(scope, 'PublishErrorsAlarm', {
      alarmDescription: 'The publish function failed; feeds may be stale',
      metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    new cloudwatch.Alarm(scope, 'DeadLettersAlarm', {
      alarmDescription: 'Record changes failed to publish five times and wait in the dead-letter queue',
      metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
    new cloudwatch.Alarm(scope, 'InvalidRecordsAlarm', {
      alarmDescription:
        'Some article records are invalid; the publish log names each record, field and problem',
      metric: new cloudwatch.Metric({
        namespace: metricsNamespace,
        metricName: 'InvalidRecords',
        period: Duration.minutes(15),
        statistic: 'Maximum',
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
  ];
  for (const alarm of alarms) alarm.addAlarmAction(action);
}
