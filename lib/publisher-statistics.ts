import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { mergeMessage } from '../lambda/stats/stats-handler.ts';
import { acknowledge, arnToken } from './nag.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface PublisherStatisticsProps {
  /** Where CloudFront delivers its standard logs. */
  readonly logBucket: s3.IBucket;
  /** The key prefix of CloudFront's logs in `logBucket`, ending with '/'. */
  readonly logPrefix: string;
  /** Where the daily statistics are kept, under `stats/`. */
  readonly stateBucket: s3.IBucket;
  /** Where a log object or merge that failed five times waits. */
  readonly deadLetterQueue: sqs.IQueue;
  readonly scheduleGroup: scheduler.IScheduleGroup;
  readonly removalPolicy: RemovalPolicy;
  /** The logs' service name. */
  readonly service: string;
}

/**
 * Subscriber statistics from CloudFront's own logs: each new log object reaches a small function
 * through a queue (S3 event), which counts it into the day's parts in the state bucket; an hourly
 * message on the same queue merges the days and closes those whose logs have all come.
 */
export class PublisherStatistics extends Construct {
  public readonly statsFunction: lambda.IFunction;
  public readonly queue: sqs.IQueue;

  constructor(scope: Construct, id: string, props: PublisherStatisticsProps) {
    super(scope, id);
    const timeout = Duration.minutes(5);
    const queue = new sqs.Queue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: props.deadLetterQueue, maxReceiveCount: 5 },
    });
    const fn = new nodejs.NodejsFunction(this, 'Function', {
      entry: path.join(projectRoot, 'lambda', 'stats-handler.ts'),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      // A log day of 1 GB needs under 256 MB (docs/benchmarks.md); the rest is headroom.
      memorySize: 512,
      timeout,
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup: new logs.LogGroup(this, 'Logs', {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: props.removalPolicy,
      }),
      description: 'Counts feed readers and subscribers from the CloudFront access logs',
      environment: {
        STATE_BUCKET: props.stateBucket.bucketName,
        POWERTOOLS_SERVICE_NAME: props.service,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        target: 'node24',
        mainFields: ['module', 'main'],
        bundleAwsSDK: true,
        banner:
          "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
    fn.addEventSource(
      new SqsEventSource(queue, {
        // A log object at a time: one that cannot be read fails alone.
        batchSize: 1,
        maxConcurrency: 2,
        reportBatchItemFailures: true,
      }),
    );
    props.logBucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(queue), {
      prefix: props.logPrefix,
    });
    const scheduleRole = new iam.Role(this, 'MergeScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'Lets EventBridge Scheduler ask for the hourly merge of the statistics',
    });
    new scheduler.Schedule(this, 'MergeSchedule', {
      schedule: scheduler.ScheduleExpression.rate(Duration.hours(1)),
      target: new schedulerTargets.SqsSendMessage(queue, {
        input: scheduler.ScheduleTargetInput.fromObject(mergeMessage),
        role: scheduleRole,
        retryAttempts: 2,
        deadLetterQueue: props.deadLetterQueue,
      }),
      scheduleGroup: props.scheduleGroup,
      description: "Merges the day's statistics and closes the days whose logs have all come",
    });
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadAccessLogs',
        actions: ['s3:GetObject'],
        resources: [props.logBucket.arnForObjects(`${props.logPrefix}*`)],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadWriteStatistics',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: [props.stateBucket.arnForObjects('stats/*')],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ListStatistics',
        actions: ['s3:ListBucket'],
        resources: [props.stateBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': ['stats/*'] } },
      }),
    );
    acknowledge(fn, {
      [`AwsSolutions-IAM5[Resource::${arnToken(props.logBucket)}/${props.logPrefix}*]`]:
        'CloudFront names each log object itself; the function reads only those under its prefix.',
      [`AwsSolutions-IAM5[Resource::${arnToken(props.stateBucket)}/stats/*]`]:
        'One object per day and log object under stats/; their keys follow the logs.',
      'AwsSolutions-IAM5[Resource::*]':
        'X-Ray tracing (PutTraceSegments, PutTelemetryRecords) only accepts the resource *.',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
        'The AWS-managed basic execution role only lets the function write its own CloudWatch logs.',
      'Serverless-LambdaEventSourceMappingDestination':
        'SQS event sources cannot have on-failure destinations; failed messages go to the statistics dead-letter queue after 5 receives.',
      'Serverless-LambdaDLQ':
        'The function is only invoked by its SQS event source (synchronously); failed messages go to the queue dead-letter queue.',
    });
    this.statsFunction = fn;
    this.queue = queue;
  }
}
