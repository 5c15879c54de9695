import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CfnElement, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
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
import { Construct, type IConstruct } from 'constructs';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Namespace of the metrics the publish function writes in CloudWatch Embedded Metric Format. */
export const metricsNamespace = 'FeedPublisher';

export interface FeedPublisherProps {
  /**
   * Local folder deployed to the content bucket under `contentPrefix` (site.json and articles/).
   * Deployment adds and updates records but never deletes any.
   * @default - nothing is deployed; records are written to the bucket directly
   */
  readonly contentSource?: string;

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
   * What happens to the buckets and logs when the stack is deleted.
   * @default RemovalPolicy.RETAIN
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
  /** Access logs of the buckets and of CloudFront. */
  public readonly logBucket: s3.IBucket;
  public readonly distribution: cloudfront.IDistribution;
  public readonly publishFunction: lambda.IFunction;
  public readonly queue: sqs.IQueue;
  public readonly deadLetterQueue: sqs.IQueue;
  /** Where the alarms go. */
  public readonly alarmTopic: sns.ITopic;
  /** The HTTPS URL the feeds are served from, ending with '/'. */
  public readonly feedBaseUrl: string;

  constructor(scope: Construct, id: string, props: FeedPublisherProps = {}) {
    super(scope, id);
    const contentPrefix = props.contentPrefix ?? 'content/';
    validateProps(props, contentPrefix);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const timeout = props.timeout ?? Duration.minutes(3);
    const destroy = removalPolicy === RemovalPolicy.DESTROY;

    const logBucket = new s3.Bucket(this, 'LogBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logs are delivered with ACLs.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [
        { expiration: Duration.days(90), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy,
      autoDeleteObjects: destroy,
    });
    Validations.of(logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access log bucket itself; logging it into itself would loop.',
    });
    const privateBucket = (logPrefix: string): s3.BucketProps => ({
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logBucket,
      serverAccessLogsPrefix: logPrefix,
      removalPolicy,
      autoDeleteObjects: destroy,
    });
    const contentBucket = new s3.Bucket(this, 'ContentBucket', {
      ...privateBucket('content-bucket/'),
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(365) }],
    });
    const feedsBucket = new s3.Bucket(this, 'FeedsBucket', privateBucket('feeds-bucket/'));
    // No writer may overwrite feeds blindly: every PutObject must be conditional (If-Match or If-None-Match).
    feedsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyUnconditionalWrites',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [feedsBucket.arnForObjects('*')],
        conditions: { Null: { 's3:if-match': 'true', 's3:if-none-match': 'true' } },
      }),
    );
    // The publisher's state lives beside the feeds but is never served.
    feedsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyServingState',
        effect: iam.Effect.DENY,
        principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [feedsBucket.arnForObjects('_state/*')],
      }),
    );

    const distribution = this.createDistribution(feedsBucket, logBucket, props);
    const feedBaseUrl = `https://${props.domainName ?? distribution.distributionDomainName}/`;

    const deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    acknowledge(deadLetterQueue, {
      'AwsSolutions-SQS3': 'This queue is the dead-letter queue of the publish queue.',
      'Serverless-SQSRedrivePolicy':
        'This queue is itself the dead-letter queue; messages end here for an operator to inspect.',
    });
    const queue = new sqs.Queue(this, 'PublishQueue', {
      // Lambda's guidance: at least six times the function timeout, so a retry never overlaps a running batch.
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: 5 },
    });

    const scheduleGroup = new scheduler.ScheduleGroup(this, 'ScheduleGroup', { removalPolicy });
    const nextChangeScheduleName = 'next-visibility-change';
    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'Lets EventBridge Scheduler start a publish at the next embargo or expiry',
    });

    const publishFunction = new nodejs.NodejsFunction(this, 'PublishFunction', {
      entry: path.join(projectRoot, 'lambda', 'handler.ts'),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 1769,
      timeout,
      // Scheduled publishes are asynchronous invocations: their failures land beside the failed S3 events.
      deadLetterQueue,
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup: new logs.LogGroup(this, 'PublishLogs', {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy,
      }),
      description: 'Publishes RSS, Atom and JSON Feed from the article records',
      environment: {
        CONTENT_BUCKET: contentBucket.bucketName,
        CONTENT_PREFIX: contentPrefix,
        FEEDS_BUCKET: feedsBucket.bucketName,
        FEEDS_PREFIX: '',
        FEED_BASE_URL: feedBaseUrl,
        DISTRIBUTION_ID: distribution.distributionId,
        SCHEDULE_GROUP: scheduleGroup.scheduleGroupName,
        SCHEDULE_NAME: nextChangeScheduleName,
        SCHEDULER_ROLE_ARN: schedulerRole.roleArn,
        METRICS_NAMESPACE: metricsNamespace,
        ...(props.hubUrl ? { HUB_URL: props.hubUrl } : {}),
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        target: 'node24',
        mainFields: ['module', 'main'],
        // Some CommonJS dependencies call require(); ESM bundles need it defined.
        banner:
          "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
    publishFunction.grantInvoke(schedulerRole);
    this.grantLeastPrivilege(
      publishFunction,
      contentBucket,
      feedsBucket,
      contentPrefix,
      distribution,
      scheduleGroup,
      schedulerRole,
    );

    contentBucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(queue), {
      prefix: contentPrefix,
    });
    contentBucket.addEventNotification(s3.EventType.OBJECT_REMOVED, new s3n.SqsDestination(queue), {
      prefix: contentPrefix,
    });
    publishFunction.addEventSource(
      new SqsEventSource(queue, {
        batchSize: 100,
        maxBatchingWindow: props.batchingWindow ?? Duration.seconds(20),
        // Correctness comes from conditional writes; two at a time keeps a burst from piling up.
        maxConcurrency: 2,
        reportBatchItemFailures: true,
      }),
    );

    new scheduler.Schedule(this, 'ReconcileSchedule', {
      schedule: scheduler.ScheduleExpression.rate(props.reconcileInterval ?? Duration.hours(1)),
      target: new schedulerTargets.LambdaInvoke(publishFunction, {
        input: scheduler.ScheduleTargetInput.fromObject({ source: 'feed-publisher.reconcile' }),
        role: schedulerRole,
        retryAttempts: 2,
      }),
      scheduleGroup,
      description: 'Full publish that repairs anything an S3 event missed',
    });

    const deployment =
      props.contentSource === undefined
        ? undefined
        : new s3deploy.BucketDeployment(this, 'ContentDeployment', {
            sources: [s3deploy.Source.asset(props.contentSource)],
            destinationBucket: contentBucket,
            destinationKeyPrefix: contentPrefix,
            // Records written straight to the bucket are not in the local folder; they must survive a deploy.
            prune: false,
          });
    // Feeds exist when `cdk deploy` ends: publish once the content is in place, and again whenever the code changes.
    const publishAfterDeploy = new triggers.Trigger(this, 'PublishAfterDeploy', {
      handler: publishFunction,
      executeOnHandlerChange: true,
      timeout,
    });
    publishAfterDeploy.executeAfter(distribution, ...(deployment ? [deployment] : []));
    this.acknowledgeCdkHelpers();

    const alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      enforceSSL: true,
      displayName: 'Feed publisher alarms',
    });
    if (props.alarmEmail) {
      const subscription = alarmTopic.addSubscription(
        new snsSubscriptions.EmailSubscription(props.alarmEmail),
      );
      acknowledge(subscription, {
        'Serverless-SNSRedrivePolicy':
          'SNS retries e-mail delivery itself; an alarm e-mail that still cannot be delivered has no better place to go, and the alarm state stays visible in CloudWatch.',
      });
    }
    this.createAlarms(publishFunction, deadLetterQueue, alarmTopic);

    this.contentBucket = contentBucket;
    this.feedsBucket = feedsBucket;
    this.logBucket = logBucket;
    this.distribution = distribution;
    this.publishFunction = publishFunction;
    this.queue = queue;
    this.deadLetterQueue = deadLetterQueue;
    this.alarmTopic = alarmTopic;
    this.feedBaseUrl = feedBaseUrl;
  }

  private createDistribution(
    feedsBucket: s3.IBucket,
    logBucket: s3.IBucket,
    props: FeedPublisherProps,
  ): cloudfront.Distribution {
    const origin = origins.S3BucketOrigin.withOriginAccessControl(feedsBucket);
    // Honour each object's Cache-Control: current feeds minutes, archive pages a year.
    const cachePolicy = new cloudfront.CachePolicy(this, 'FeedCachePolicy', {
      comment: 'Keyed on the path only; TTL from the object Cache-Control',
      defaultTtl: Duration.minutes(5),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.days(365),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
    });
    const securityHeaders: cloudfront.ResponseSecurityHeadersBehavior = {
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(365),
        includeSubdomains: true,
        override: true,
      },
      contentTypeOptions: { override: true },
      referrerPolicy: {
        referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
        override: true,
      },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      contentSecurityPolicy: {
        contentSecurityPolicy:
          "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        override: true,
      },
    };
    const headersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Security headers for every response',
      securityHeadersBehavior: securityHeaders,
    });
    // Web-based readers fetch JSON Feed from other origins.
    const jsonFeedHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'JsonFeedHeaders', {
      comment: 'Security headers and CORS GET for JSON Feed',
      securityHeadersBehavior: securityHeaders,
      corsBehavior: {
        accessControlAllowOrigins: ['*'],
        accessControlAllowMethods: ['GET', 'HEAD', 'OPTIONS'],
        accessControlAllowHeaders: ['*'],
        accessControlAllowCredentials: false,
        accessControlMaxAge: Duration.days(1),
        originOverride: true,
      },
    });
    const behavior = {
      origin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
      cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
      compress: true,
      cachePolicy,
    };
    const distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Feeds of ${Stack.of(this).stackName}`,
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket,
      logFilePrefix: 'cloudfront/',
      ...(props.domainName && props.certificate
        ? {
            domainNames: [props.domainName],
            certificate: props.certificate,
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      defaultBehavior: { ...behavior, responseHeadersPolicy: headersPolicy },
      additionalBehaviors: {
        '*.json': { ...behavior, responseHeadersPolicy: jsonFeedHeadersPolicy },
      },
    });
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'Feeds are public news syndication meant for readers everywhere; no geo restriction applies.',
    });
    Validations.of(distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'Only static, public feed files are served (GET/HEAD); there is no input for a WAF to inspect, and a web ACL costs more than the whole stack.',
    });
    if (!props.domainName) {
      Validations.of(distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose TLS policy cannot be set; set domainName and certificate to get TLSv1.2_2021.',
      });
    }
    return distribution;
  }

  private grantLeastPrivilege(
    fn: lambda.IFunction,
    contentBucket: s3.IBucket,
    feedsBucket: s3.IBucket,
    contentPrefix: string,
    distribution: cloudfront.IDistribution,
    scheduleGroup: scheduler.IScheduleGroup,
    schedulerRole: iam.IRole,
  ): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ListRecords',
        actions: ['s3:ListBucket'],
        resources: [contentBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${contentPrefix}*`] } },
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadRecords',
        actions: ['s3:GetObject'],
        resources: [contentBucket.arnForObjects(`${contentPrefix}*`)],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadWriteFeeds',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [feedsBucket.arnForObjects('*')],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ListFeeds',
        actions: ['s3:ListBucket'],
        resources: [feedsBucket.bucketArn],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'InvalidateChangedFeeds',
        actions: ['cloudfront:CreateInvalidation'],
        resources: [
          Stack.of(this).formatArn({
            service: 'cloudfront',
            region: '',
            resource: 'distribution',
            resourceName: distribution.distributionId,
          }),
        ],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ScheduleNextVisibilityChange',
        actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule'],
        resources: [
          Stack.of(this).formatArn({
            service: 'scheduler',
            resource: 'schedule',
            resourceName: `${scheduleGroup.scheduleGroupName}/next-visibility-change`,
          }),
        ],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PassSchedulerRole',
        actions: ['iam:PassRole'],
        resources: [schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    acknowledge(fn, {
      [`AwsSolutions-IAM5[Resource::${arnToken(feedsBucket)}/*]`]:
        'The function writes every feed file in the feeds bucket; their keys (categories, archive pages) are not known in advance.',
      [`AwsSolutions-IAM5[Resource::${arnToken(contentBucket)}/${contentPrefix}*]`]:
        'The function reads every record under the content prefix and nothing else; record keys are chosen by writers.',
      'AwsSolutions-IAM5[Resource::*]':
        'X-Ray tracing (PutTraceSegments, PutTelemetryRecords) only accepts the resource *.',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
        'The AWS-managed basic execution role only lets the function write its own CloudWatch logs.',
      'Serverless-LambdaEventSourceMappingDestination':
        'SQS event sources cannot have on-failure destinations; failed messages go to the queue dead-letter queue after 5 receives.',
    });
    acknowledge(schedulerRole, {
      [`AwsSolutions-IAM5[Resource::${arnToken(fn)}:*]`]:
        'The scheduler may invoke any version of this one publish function, as grantInvoke writes it.',
    });
  }

  /** The helper functions aws-cdk adds for bucket notifications and deployments are theirs to configure, not ours. */
  private acknowledgeCdkHelpers(): void {
    const stack = Stack.of(this);
    const basicRole =
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';
    const notifications = stack.node.tryFindChild(
      'BucketNotificationsHandler050a0587b7544547bf325f094a3db834',
    );
    if (notifications) {
      acknowledge(notifications, {
        [basicRole]:
          'aws-cdk bucket-notification helper: runs only at deploy time to configure S3 event notifications.',
      });
    }
    const deployment = stack.node.tryFindChild('Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C');
    if (deployment) {
      const reason =
        'aws-cdk BucketDeployment helper: runs only at deploy time to copy content/ into the content bucket; its runtime, role and settings are set by aws-cdk.';
      acknowledge(deployment, {
        [basicRole]: reason,
        'AwsSolutions-IAM5[Action::s3:GetObject*]': reason,
        'AwsSolutions-IAM5[Action::s3:GetBucket*]': reason,
        'AwsSolutions-IAM5[Action::s3:List*]': reason,
        'AwsSolutions-IAM5[Action::s3:DeleteObject*]': reason,
        'AwsSolutions-IAM5[Action::s3:Abort*]': reason,
        [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region}/*]`]:
          reason,
        [`AwsSolutions-IAM5[Resource::${arnToken(this.node.findChild('ContentBucket') as s3.IBucket)}/*]`]:
          reason,
        'AwsSolutions-L1': reason,
        'Serverless-LambdaDLQ': reason,
        'Serverless-LambdaLatestVersion': reason,
        'Serverless-LambdaTracing': reason,
      });
    }
  }

  private createAlarms(fn: lambda.IFunction, deadLetterQueue: sqs.IQueue, topic: sns.ITopic): void {
    const action = new cloudwatchActions.SnsAction(topic);
    const alarms = [
      new cloudwatch.Alarm(this, 'PublishErrorsAlarm', {
        alarmDescription: 'The publish function failed; feeds may be stale',
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'DeadLettersAlarm', {
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
      new cloudwatch.Alarm(this, 'InvalidRecordsAlarm', {
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
}

/** Acknowledges cdk-nag findings on one construct, each with its reason. */
function acknowledge(scope: IConstruct, findings: Readonly<Record<string, string>>): void {
  for (const [id, reason] of Object.entries(findings)) Validations.of(scope).acknowledge({ id, reason });
}

/** How cdk-nag writes the ARN of a resource of this stack in a finding id: `<LogicalId.Arn>`. */
function arnToken(resource: IConstruct): string {
  const child = resource.node.defaultChild as CfnElement;
  return `<${Stack.of(resource).getLogicalId(child)}.Arn>`;
}

function validateProps(props: FeedPublisherProps, contentPrefix: string): void {
  if (!/^([A-Za-z0-9!_.*'()-]+\/)+$/.test(contentPrefix)) {
    throw new Error(
      `contentPrefix must be a key prefix like 'content/' ending with '/', got '${contentPrefix}'`,
    );
  }
  const memory = props.memorySize;
  if (memory !== undefined && (!Number.isInteger(memory) || memory < 128 || memory > 10240)) {
    throw new Error(`memorySize must be a whole number of MiB between 128 and 10240, got ${memory}`);
  }
  const timeout = props.timeout?.toSeconds();
  if (timeout !== undefined && (timeout < 10 || timeout > 900)) {
    throw new Error(`timeout must be between 10 seconds and 15 minutes, got ${timeout} seconds`);
  }
  const window = props.batchingWindow?.toSeconds();
  if (window !== undefined && window > 300) {
    throw new Error(`batchingWindow must be at most 300 seconds, got ${window} seconds`);
  }
  const reconcile = props.reconcileInterval?.toMinutes();
  if (reconcile !== undefined && (reconcile < 5 || reconcile > 24 * 60)) {
    throw new Error(`reconcileInterval must be between 5 minutes and 1 day, got ${reconcile} minutes`);
  }
  if (props.domainName !== undefined) {
    if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(props.domainName)) {
      throw new Error(`domainName must be a host name like 'feeds.example.com', got '${props.domainName}'`);
    }
    if (!props.certificate) throw new Error(`certificate is required with domainName '${props.domainName}'`);
  }
  if (props.certificate && props.domainName === undefined) {
    throw new Error(
      'domainName is required with certificate: the certificate must name the domain it serves',
    );
  }
  const arn = props.certificate?.certificateArn;
  if (arn !== undefined && !Token.isUnresolved(arn) && !arn.startsWith('arn:aws:acm:us-east-1:')) {
    throw new Error(`certificate must be in us-east-1 for CloudFront, got '${arn}'`);
  }
  if (props.hubUrl !== undefined && !/^https:\/\/\S+$/.test(props.hubUrl)) {
    throw new Error(`hubUrl must be an https URL, got '${props.hubUrl}'`);
  }
  if (props.alarmEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(props.alarmEmail)) {
    throw new Error(`alarmEmail must be an e-mail address, got '${props.alarmEmail}'`);
  }
}
