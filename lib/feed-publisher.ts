import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as snsSubscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as triggers from 'aws-cdk-lib/triggers';
import { Construct } from 'constructs';
import { sha256Hex } from '../lambda/core/hash.ts';
import { folderHash } from './folder-hash.ts';
import { acknowledge, acknowledgeCdkHelpers } from './nag.ts';
import { createAlarms, defaultMetricsNamespace } from './publisher-alarms.ts';
import { cloudFrontLogPrefix, createDistribution } from './publisher-distribution.ts';
import { grantLeastPrivilege } from './publisher-permissions.ts';
import { PublisherStatistics } from './publisher-statistics.ts';

export { defaultMetricsNamespace } from './publisher-alarms.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface FeedPublisherProps {
  /**
   * Local site.json deployed to `<contentPrefix>site.json` on every deploy.
   * @default - none; site.json is written to the bucket directly
   */
  readonly siteConfigFile?: string;

  /**
   * Local folder of records deployed to the content bucket under `contentPrefix` (articles/, and its own site.json if it has one); adds and updates, never deletes.
   * @default - no records are deployed; they are written to the bucket directly
   */
  readonly contentSource?: string;

  /**
   * Local folder of the site's Liquid templates deployed to `<contentPrefix>templates/` on every deploy, replacing what is there (a template removed locally is removed from the bucket).
   * @default - no templates are deployed; the default theme draws the pages unless templates are written to the bucket directly
   */
  readonly templatesSource?: string;

  /**
   * Key prefix of site.json and articles/ in the content bucket.
   * @default 'content/'
   */
  readonly contentPrefix?: string;

  /**
   * Custom domain name the feeds are served from, e.g. `feeds.example.com`. Needs `certificate`.
   * @default - the distribution's own `*.cloudfront.net` domain
   */
  readonly domainName?: string;

  /**
   * ACM certificate for `domainName`, in us-east-1 (a CloudFront requirement).
   * @default - none; required when `domainName` is set
   */
  readonly certificate?: acm.ICertificate;

  /**
   * WebSub hub notified after every publish that changed a feed, and announced in the feeds.
   * @default - no hub
   */
  readonly hubUrl?: string;

  /**
   * E-mail address subscribed to the alarms.
   * @default - alarms go to an SNS topic without subscribers
   */
  readonly alarmEmail?: string;

  /**
   * An existing SNS topic for the alarms (its policy must let CloudWatch publish); `alarmEmail` is then not used.
   * @default - a new topic that CloudWatch alarms of this account may publish to
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * How often a full reconcile publish runs, repairing anything an event missed.
   * @default Duration.hours(1)
   */
  readonly reconcileInterval?: Duration;

  /**
   * Memory of the publish function, in MiB; Lambda gives one full vCPU at 1769 (docs/benchmarks.md).
   * @default 1769
   */
  readonly memorySize?: number;

  /**
   * Longest a publish may run; 10,000 records take about 10 s of CPU (docs/benchmarks.md).
   * @default Duration.minutes(3)
   */
  readonly timeout?: Duration;

  /**
   * How long S3 events gather in the queue before a publish starts, so a burst of record writes costs one publish.
   * @default Duration.seconds(20)
   */
  readonly batchingWindow?: Duration;

  /**
   * How many rebuild steps run at once when a rebuild (first publish, settings change) is spread over the rebuild queue.
   * @default 10
   */
  readonly rebuildConcurrency?: number;

  /**
   * CloudWatch namespace of the publish metrics; each stack is its own `service` dimension in it.
   * @default 'FeedPublisher'
   */
  readonly metricsNamespace?: string;

  /**
   * Whether subscriber statistics are counted from the CloudFront logs (a function, a queue and
   * an hourly schedule; daily objects under `stats/` in the state bucket, read by `feed-publisher stats --bucket`).
   * @default true
   */
  readonly statistics?: boolean;

  /**
   * What happens to the buckets and logs when the stack is deleted.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE (kept when the stack is deleted, removed when its creation fails)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Publishes RSS, Atom and JSON Feed from article records: a versioned content bucket whose
 * changes reach the publish function through SQS, a private feeds bucket served only through
 * CloudFront, schedules for reconciling and for embargoes, and alarms.
 */
export class FeedPublisher extends Construct {
  /** Where records are written (under `contentPrefix`). */
  public readonly contentBucket: s3.IBucket;
  /** Where published files are written; read only by CloudFront. */
  public readonly feedsBucket: s3.IBucket;
  /** The publisher's own state; nothing serves it. */
  public readonly stateBucket: s3.IBucket;
  /** Access logs of the buckets and of CloudFront. */
  public readonly logBucket: s3.IBucket;
  public readonly distribution: cloudfront.IDistribution;
  public readonly publishFunction: lambda.IFunction;
  /** The queue of S3 events of record changes. */
  public readonly queue: sqs.IQueue;
  /** Where S3 events that failed five times wait; redriven to `queue`. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The queue a rebuild's steps are spread over. */
  public readonly rebuildQueue: sqs.IQueue;
  /** Where rebuild steps that failed five times wait; redriven to `rebuildQueue`. */
  public readonly rebuildDeadLetterQueue: sqs.IQueue;
  /** Where failed asynchronous invocations (schedules, the publish after deploy) wait; redriven to `queue`. */
  public readonly invocationDeadLetterQueue: sqs.IQueue;
  /** Counts readers and subscribers from the CloudFront logs; undefined when `statistics` is false. */
  public readonly statistics?: PublisherStatistics;
  /** Where log objects and merges the statistics failed five times wait; redriven to the statistics queue. */
  public readonly statisticsDeadLetterQueue?: sqs.IQueue;
  /** Where the alarms go. */
  public readonly alarmTopic: sns.ITopic;
  /** The HTTPS URL the feeds are served from, ending with '/'. */
  public readonly feedBaseUrl: string;

  constructor(scope: Construct, id: string, props: FeedPublisherProps = {}) {
    super(scope, id);
    const contentPrefix = props.contentPrefix ?? defaults.contentPrefix;
    validateProps(this, props, contentPrefix);
    // Data outlives the stack, but a first deploy that fails leaves no empty buckets behind.
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;
    const timeout = props.timeout ?? defaults.timeout;
    const metricsNamespace = props.metricsNamespace ?? defaultMetricsNamespace;
    const service = Stack.of(this).stackName;

    const buckets = this.createBuckets(removalPolicy);
    const distribution = createDistribution(this, buckets.feeds, buckets.log, props);
    const feedBaseUrl = `https://${props.domainName ?? distribution.distributionDomainName}/`;
    const queues = this.createQueues(timeout, props.statistics ?? true);
    // The group holds no data: it goes with the stack, so a later deploy can create it again.
    const scheduleGroup = new scheduler.ScheduleGroup(this, 'ScheduleGroup', {
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'Lets EventBridge Scheduler start a publish at the next embargo or expiry',
    });
    const publishFunction = this.createPublishFunction(props, {
      timeout,
      removalPolicy,
      deadLetterQueue: queues.invocationDeadLetter,
      environment: {
        CONTENT_BUCKET: buckets.content.bucketName,
        CONTENT_PREFIX: contentPrefix,
        FEEDS_BUCKET: buckets.feeds.bucketName,
        FEEDS_PREFIX: '',
        STATE_BUCKET: buckets.state.bucketName,
        FEED_BASE_URL: feedBaseUrl,
        DISTRIBUTION_ID: distribution.distributionId,
        SCHEDULE_GROUP: scheduleGroup.scheduleGroupName,
        SCHEDULE_NAME: nextChangeScheduleName,
        SCHEDULER_ROLE_ARN: schedulerRole.roleArn,
        SCHEDULE_DEAD_LETTER_ARN: queues.invocationDeadLetter.queueArn,
        METRICS_NAMESPACE: metricsNamespace,
        // The metrics' `service` dimension: two stacks in one account never share a metric.
        POWERTOOLS_SERVICE_NAME: service,
        REBUILD_QUEUE_URL: queues.rebuild.queueUrl,
        ...(props.contentSource === undefined ? {} : { IMPORT_PREFIX: importPrefix }),
        ...(props.hubUrl ? { HUB_URL: props.hubUrl } : {}),
        // A new function version whenever the deployed content changes, so the publish-after-deploy trigger runs again.
        ...(deployedVersion(props) === undefined ? {} : { CONTENT_VERSION: deployedVersion(props) }),
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    publishFunction.grantInvoke(schedulerRole);
    // Scheduled publishes that fail after their retries land with the failed invocations.
    queues.invocationDeadLetter.grantSendMessages(schedulerRole);
    grantLeastPrivilege(this, {
      fn: publishFunction,
      contentBucket: buckets.content,
      contentPrefix,
      importPrefix: props.contentSource === undefined ? undefined : importPrefix,
      feedsBucket: buckets.feeds,
      stateBucket: buckets.state,
      distribution,
      scheduleGroup,
      scheduleName: nextChangeScheduleName,
      schedulerRole,
    });
    this.connectEvents(props, { publishFunction, contentBucket: buckets.content, contentPrefix, ...queues });
    new scheduler.Schedule(this, 'ReconcileSchedule', {
      schedule: scheduler.ScheduleExpression.rate(props.reconcileInterval ?? defaults.reconcileInterval),
      target: new schedulerTargets.LambdaInvoke(publishFunction, {
        input: scheduler.ScheduleTargetInput.fromObject({ source: 'feed-publisher.reconcile' }),
        role: schedulerRole,
        retryAttempts: 2,
        deadLetterQueue: queues.invocationDeadLetter,
      }),
      scheduleGroup,
      description: 'Full publish that repairs anything an S3 event missed',
    });
    this.publishAfterDeploy(props, {
      publishFunction,
      timeout,
      contentBucket: buckets.content,
      contentPrefix,
      distribution,
    });

    const statistics = queues.statsDeadLetter
      ? new PublisherStatistics(this, 'Statistics', {
          logBucket: buckets.log,
          logPrefix: cloudFrontLogPrefix,
          stateBucket: buckets.state,
          deadLetterQueue: queues.statsDeadLetter,
          scheduleGroup,
          removalPolicy,
          service,
        })
      : undefined;

    const alarmTopic = props.alarmTopic ?? this.createAlarmTopic(props.alarmEmail);
    createAlarms(this, {
      fn: publishFunction,
      queue: queues.publish,
      rebuildQueue: queues.rebuild,
      deadLetterQueues: {
        DeadLettersAlarm: queues.deadLetter,
        RebuildDeadLettersAlarm: queues.rebuildDeadLetter,
        InvocationDeadLettersAlarm: queues.invocationDeadLetter,
        ...(queues.statsDeadLetter ? { StatisticsDeadLettersAlarm: queues.statsDeadLetter } : {}),
      },
      topic: alarmTopic,
      namespace: metricsNamespace,
      service,
    });

    this.contentBucket = buckets.content;
    this.feedsBucket = buckets.feeds;
    this.stateBucket = buckets.state;
    this.logBucket = buckets.log;
    this.distribution = distribution;
    this.publishFunction = publishFunction;
    this.queue = queues.publish;
    this.deadLetterQueue = queues.deadLetter;
    this.rebuildQueue = queues.rebuild;
    this.rebuildDeadLetterQueue = queues.rebuildDeadLetter;
    this.invocationDeadLetterQueue = queues.invocationDeadLetter;
    this.statistics = statistics;
    this.statisticsDeadLetterQueue = queues.statsDeadLetter;
    this.alarmTopic = alarmTopic;
    this.feedBaseUrl = feedBaseUrl;
  }

  /** The access log bucket, the versioned content bucket, and the feeds and state buckets no one writes blindly. */
  private createBuckets(removalPolicy: RemovalPolicy) {
    const destroy = removalPolicy === RemovalPolicy.DESTROY;
    const log = new s3.Bucket(this, 'LogBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logs are delivered with ACLs.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [
        { expiration: retention.accessLogs, abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy,
      autoDeleteObjects: destroy,
    });
    acknowledge(log, {
      'AwsSolutions-S1': 'This is the access log bucket itself; logging it into itself would loop.',
    });
    const privateBucket = (logPrefix: string): s3.BucketProps => ({
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: log,
      serverAccessLogsPrefix: logPrefix,
      removalPolicy,
      autoDeleteObjects: destroy,
    });
    const content = new s3.Bucket(this, 'ContentBucket', {
      ...privateBucket('content-bucket/'),
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: retention.recordVersions }],
    });
    const feeds = new s3.Bucket(this, 'FeedsBucket', privateBucket('feeds-bucket/'));
    denyUnconditionalWrites(feeds);
    // Earlier versions kept their state in the feeds bucket under _state/; the first publish moves
    // it out and deletes it. Until then CloudFront must not serve it.
    feeds.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyServingLegacyState',
        effect: iam.Effect.DENY,
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [feeds.arnForObjects('_state/*')],
      }),
    );
    // The publisher's own state (drafts and embargoed text among it) lives in a bucket of its
    // own that CloudFront has no route to at all.
    const state = new s3.Bucket(this, 'StateBucket', privateBucket('state-bucket/'));
    denyUnconditionalWrites(state);
    return { log, content, feeds, state };
  }

  /**
   * The queue of S3 events and the queue a rebuild's steps are spread over, each with a
   * dead-letter queue of its own, and one for failed asynchronous invocations (schedules, the
   * publish after deploy): each kind of message is redriven where it came from (operations.md).
   */
  private createQueues(timeout: Duration, statistics: boolean) {
    const deadLetterQueue = (id: string, of: string) => {
      const queue = new sqs.Queue(this, id, {
        retentionPeriod: retention.deadLetters,
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      });
      acknowledge(queue, {
        'AwsSolutions-SQS3': `This queue is the dead-letter queue of ${of}.`,
        'Serverless-SQSRedrivePolicy':
          'This queue is itself a dead-letter queue; messages end here for an operator to redrive.',
      });
      return queue;
    };
    // The publish queue's keeps its earlier id, so an update does not replace it with messages in it.
    const deadLetter = deadLetterQueue('DeadLetterQueue', 'the publish queue (S3 events)');
    const rebuildDeadLetter = deadLetterQueue('RebuildDeadLetterQueue', 'the rebuild queue (rebuild steps)');
    const invocationDeadLetter = deadLetterQueue(
      'InvocationDeadLetterQueue',
      "the function's asynchronous invocations and the schedules",
    );
    const statsDeadLetter = statistics
      ? deadLetterQueue(
          'StatisticsDeadLetterQueue',
          'the statistics queue (CloudFront log objects, hourly merges)',
        )
      : undefined;
    const queueProps = (queue: sqs.IQueue): sqs.QueueProps => ({
      // Lambda's guidance: at least six times the function timeout, so a retry never overlaps a running batch.
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * visibilityTimeoutFactor),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue, maxReceiveCount },
    });
    const publish = new sqs.Queue(this, 'PublishQueue', queueProps(deadLetter));
    // A rebuild (first publish, or a change of reading or rendering settings) is spread over this
    // queue in steps of a few hundred records, so no invocation reads or renders the whole archive.
    const rebuild = new sqs.Queue(this, 'RebuildQueue', queueProps(rebuildDeadLetter));
    return { deadLetter, rebuildDeadLetter, invocationDeadLetter, statsDeadLetter, publish, rebuild };
  }

  /** The publish function, bundled from lambda/handler.ts with esbuild. */
  private createPublishFunction(
    props: FeedPublisherProps,
    options: {
      readonly timeout: Duration;
      readonly removalPolicy: RemovalPolicy;
      readonly deadLetterQueue: sqs.IQueue;
      readonly environment: Record<string, string>;
    },
  ): nodejs.NodejsFunction {
    return new nodejs.NodejsFunction(this, 'PublishFunction', {
      entry: path.join(projectRoot, 'lambda', 'handler.ts'),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? defaults.memorySize,
      timeout: options.timeout,
      // Scheduled publishes and the publish after deploy are asynchronous invocations: their
      // failures land in a dead-letter queue of their own.
      deadLetterQueue: options.deadLetterQueue,
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup: new logs.LogGroup(this, 'PublishLogs', {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: options.removalPolicy,
      }),
      description: 'Publishes RSS, Atom and JSON Feed from the article records',
      environment: options.environment,
      bundling: {
        format: nodejs.OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        target: 'node24',
        mainFields: ['module', 'main'],
        // The clients the tests ran against, in one file: 1.1 MB instead of 0.5 MB, and an import
        // of 132 ms instead of 305 ms against the runtime's copy (bench/cold-start.ts).
        bundleAwsSDK: true,
        // Some CommonJS dependencies call require(); ESM bundles need it defined.
        banner:
          "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
  }

  /** Record writes and deletions reach the function through the publish queue; rebuild steps through theirs. */
  private connectEvents(
    props: FeedPublisherProps,
    parts: {
      readonly publishFunction: lambda.Function;
      readonly contentBucket: s3.Bucket;
      readonly contentPrefix: string;
      readonly publish: sqs.Queue;
      readonly rebuild: sqs.Queue;
    },
  ): void {
    const { publishFunction, contentBucket, contentPrefix } = parts;
    parts.rebuild.grantSendMessages(publishFunction);
    publishFunction.addEventSource(
      new SqsEventSource(parts.rebuild, {
        // One step per invocation: each is sized to finish well within the timeout.
        batchSize: 1,
        maxConcurrency: props.rebuildConcurrency ?? defaults.rebuildConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    for (const event of [s3.EventType.OBJECT_CREATED, s3.EventType.OBJECT_REMOVED]) {
      contentBucket.addEventNotification(event, new s3n.SqsDestination(parts.publish), {
        prefix: contentPrefix,
      });
    }
    publishFunction.addEventSource(
      new SqsEventSource(parts.publish, {
        batchSize: publishBatchSize,
        maxBatchingWindow: props.batchingWindow ?? defaults.batchingWindow,
        // Correctness comes from conditional writes; two at a time keeps a burst from piling up.
        maxConcurrency: 2,
        reportBatchItemFailures: true,
      }),
    );
  }

  /**
   * Deploys site.json and stages the records of `contentSource`, then publishes, so the feeds
   * exist when `cdk deploy` ends; again whenever code or content change.
   */
  private publishAfterDeploy(
    props: FeedPublisherProps,
    parts: {
      readonly publishFunction: lambda.Function;
      readonly timeout: Duration;
      readonly contentBucket: s3.Bucket;
      readonly contentPrefix: string;
      readonly distribution: cloudfront.IDistribution;
    },
  ): void {
    const { contentBucket, contentPrefix } = parts;
    const deployments = [
      ...(props.siteConfigFile === undefined
        ? []
        : [
            new s3deploy.BucketDeployment(this, 'ContentDeployment', {
              sources: [s3deploy.Source.data('site.json', readFileSync(props.siteConfigFile, 'utf8'))],
              destinationBucket: contentBucket,
              destinationKeyPrefix: contentPrefix,
              // Records written straight to the bucket are not in the local folder; they must survive a deploy.
              prune: false,
            }),
          ]),
      // Records are staged, not written: the publish after the deploy creates each one only where
      // no record exists, so a deploy never overwrites a record written to the bucket directly.
      ...(props.templatesSource === undefined
        ? []
        : [
            new s3deploy.BucketDeployment(this, 'TemplatesDeployment', {
              sources: [s3deploy.Source.asset(props.templatesSource)],
              destinationBucket: contentBucket,
              destinationKeyPrefix: `${contentPrefix}templates/`,
              // The folder is the theme: a template deleted locally goes back to the default one.
              prune: true,
            }),
          ]),
      ...(props.contentSource === undefined
        ? []
        : [
            new s3deploy.BucketDeployment(this, 'RecordImport', {
              sources: [s3deploy.Source.asset(props.contentSource, { exclude: ['site.json'] })],
              destinationBucket: contentBucket,
              destinationKeyPrefix: importPrefix,
              prune: false,
            }),
          ]),
    ];
    const trigger = new triggers.Trigger(this, 'PublishAfterDeploy', {
      handler: parts.publishFunction,
      executeOnHandlerChange: true,
      // More than the function's own timeout, so a slow publish fails as itself, not as the deploy.
      timeout: Duration.seconds(
        Math.min(parts.timeout.toSeconds() + triggerMarginSeconds, maxTriggerSeconds),
      ),
    });
    trigger.executeAfter(parts.distribution, ...deployments);
    acknowledgeCdkHelpers(this, contentBucket);
  }

  /** A topic CloudWatch alarms of this account may publish to (over SSL only), with the e-mail subscription. */
  private createAlarmTopic(alarmEmail: string | undefined): sns.ITopic {
    const topic = new sns.Topic(this, 'AlarmTopic', {
      enforceSSL: true,
      displayName: 'Feed publisher alarms',
    });
    // enforceSSL alone leaves a topic policy whose only statement is a deny: CloudWatch alarms of
    // this account must be allowed to publish, or no alarm ever reaches a subscriber.
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    if (alarmEmail) {
      const subscription = topic.addSubscription(new snsSubscriptions.EmailSubscription(alarmEmail));
      acknowledge(subscription, {
        'Serverless-SNSRedrivePolicy':
          'SNS retries e-mail delivery itself; an alarm e-mail that still cannot be delivered has no better place to go, and the alarm state stays visible in CloudWatch.',
      });
    }
    return topic;
  }
}

/** What the deploy puts in the content bucket, as a hash: a new one gives a new function version, so the post-deploy publish runs again. */
function deployedVersion(props: FeedPublisherProps): string | undefined {
  const parts = [
    props.siteConfigFile === undefined ? '' : readFileSync(props.siteConfigFile, 'utf8'),
    props.contentSource === undefined ? '' : folderHash(props.contentSource),
    props.templatesSource === undefined ? '' : folderHash(props.templatesSource),
  ];
  if (parts.every((part) => part === '')) return undefined;
  return sha256Hex(parts.join('\n')).slice(0, 16);
}

/** Where a deploy stages records (outside the content prefix, so no S3 event fires for them). */
const importPrefix = 'import/';

/** The props' defaults, as their docs state them. */
const defaults = {
  contentPrefix: 'content/',
  timeout: Duration.minutes(3),
  reconcileInterval: Duration.hours(1),
  // Lambda gives one full vCPU at 1,769 MiB; publishing is CPU-bound (docs/benchmarks.md).
  memorySize: 1769,
  batchingWindow: Duration.seconds(20),
  rebuildConcurrency: 10,
} as const;

/** How long what is kept only for inspection stays. */
const retention = {
  // A quarter of access logs covers an incident review without growing forever.
  accessLogs: Duration.days(90),
  // A year of earlier record versions: an editor can bring back last year's text.
  recordVersions: Duration.days(365),
  // SQS's longest: an operator back from a fortnight away still finds the failed messages.
  deadLetters: Duration.days(14),
} as const;

/** Lambda's guidance: a queue's visibility timeout is at least six times the function's timeout. */
const visibilityTimeoutFactor = 6;
/** Receives before a message goes to the dead-letter queue: a storm of throttles is outlasted, a poison message is not retried forever. */
const maxReceiveCount = 5;
/** S3 events per publish: a burst of uploads costs a few publishes, and one publish of 100 records ends well within its timeout. */
const publishBatchSize = 100;

/** The one-time schedule of the next embargo or expiry, as the function and its permissions name it. */
const nextChangeScheduleName = 'next-visibility-change';

/** The post-deploy trigger waits this much longer than the function may run. */
const triggerMarginSeconds = 120;
/** The longest a Lambda invocation, and so the trigger, can last. */
const maxTriggerSeconds = 900;

/**
 * No writer may overwrite an object blindly: every PutObject must be conditional (If-Match or
 * If-None-Match), so two publishes can never undo each other's writes.
 */
function denyUnconditionalWrites(bucket: s3.Bucket): void {
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyUnconditionalWrites',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: { Null: { 's3:if-match': 'true', 's3:if-none-match': 'true' } },
    }),
  );
}

/**
 * Props that cannot deploy, every problem at once, named with the construct's path; values that
 * are tokens (parameters) are left to deploy time. (aws-cdk-lib's own `ValidationError` is
 * `@internal`: its constructor takes a message type only its own code can make.)
 */
export class FeedPublisherPropsError extends Error {
  override readonly name = 'FeedPublisherPropsError';
}

function validateProps(scope: Construct, props: FeedPublisherProps, contentPrefix: string): void {
  const problems: string[] = [];
  const known = <T>(value: T | undefined): value is T =>
    value !== undefined && !Token.isUnresolved(value as unknown as string);
  if (contentPrefix === importPrefix) {
    problems.push(`contentPrefix must not be '${importPrefix}': deploys stage records there`);
  } else if (!Token.isUnresolved(contentPrefix) && !/^([A-Za-z0-9!_.*'()-]+\/)+$/.test(contentPrefix)) {
    problems.push(
      `contentPrefix must be a key prefix like 'content/' ending with '/', got '${contentPrefix}'`,
    );
  }
  const memory = props.memorySize;
  if (known(memory) && (!Number.isInteger(memory) || memory < 128 || memory > 10240)) {
    problems.push(`memorySize must be a whole number of MiB between 128 and 10240, got ${memory}`);
  }
  const timeout = props.timeout?.toSeconds();
  if (timeout !== undefined && (timeout < 10 || timeout > 900)) {
    problems.push(`timeout must be between 10 seconds and 15 minutes, got ${timeout} seconds`);
  }
  const window = props.batchingWindow?.toSeconds();
  if (window !== undefined && window > 300) {
    problems.push(`batchingWindow must be at most 300 seconds, got ${window} seconds`);
  }
  const concurrency = props.rebuildConcurrency;
  // Lambda's SQS event sources run between 2 and 1,000 invocations at once.
  if (known(concurrency) && (!Number.isInteger(concurrency) || concurrency < 2 || concurrency > 1000)) {
    problems.push(`rebuildConcurrency must be a whole number between 2 and 1000, got ${concurrency}`);
  }
  const reconcile = props.reconcileInterval?.toMinutes();
  if (reconcile !== undefined && (reconcile < 5 || reconcile > 24 * 60)) {
    problems.push(`reconcileInterval must be between 5 minutes and 1 day, got ${reconcile} minutes`);
  }
  if (known(props.domainName)) {
    if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(props.domainName)) {
      problems.push(`domainName must be a host name like 'feeds.example.com', got '${props.domainName}'`);
    }
  }
  if (props.domainName !== undefined && !props.certificate) {
    problems.push(`certificate is required with domainName '${props.domainName}'`);
  }
  if (props.certificate && props.domainName === undefined) {
    problems.push('domainName is required with certificate: the certificate must name the domain it serves');
  }
  const arn = props.certificate?.certificateArn;
  if (known(arn) && !arn.startsWith('arn:aws:acm:us-east-1:')) {
    problems.push(`certificate must be in us-east-1 for CloudFront, got '${arn}'`);
  }
  if (known(props.hubUrl) && !/^https:\/\/\S+$/.test(props.hubUrl)) {
    problems.push(`hubUrl must be an https URL, got '${props.hubUrl}'`);
  }
  if (known(props.alarmEmail) && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(props.alarmEmail)) {
    problems.push(`alarmEmail must be an e-mail address, got '${props.alarmEmail}'`);
  }
  if (props.templatesSource !== undefined && !isFolder(props.templatesSource)) {
    problems.push(`templatesSource must be a folder of .liquid templates, got '${props.templatesSource}'`);
  }
  if (problems.length > 0) throw new FeedPublisherPropsError(`${scope.node.path}: ${problems.join('; ')}`);
}

function isFolder(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
