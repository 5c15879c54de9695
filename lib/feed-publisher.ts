import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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
   * Memory of the publish function, in MiB.
   * @default 1024
   */
  readonly memorySize?: number;

  /**
   * Longest a publish may run.
   * @default Duration.minutes(2)
   */
  readonly timeout?: Duration;

  /**
   * How long S3 events gather in the queue before a publish starts, so a burst of record writes costs one publish.
   * @default Duration.seconds(20)
   */
  readonly batchingWindow?: Duration;

  /**
   * What happens to the buckets when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Publishes RSS, Atom and JSON Feed from article records: a versioned content bucket whose
 * changes reach the publish function through SQS, a private feeds bucket, and CloudFront in front.
 */
export class FeedPublisher extends Construct {
  /** Where records are written (under `contentPrefix`). */
  public readonly contentBucket: s3.IBucket;
  /** Where published files are written; read only by CloudFront. */
  public readonly feedsBucket: s3.IBucket;
  public readonly distribution: cloudfront.IDistribution;
  public readonly publishFunction: lambda.IFunction;
  public readonly queue: sqs.IQueue;
  public readonly deadLetterQueue: sqs.IQueue;
  /** The HTTPS URL the feeds are served from, ending with '/'. */
  public readonly feedBaseUrl: string;

  constructor(scope: Construct, id: string, props: FeedPublisherProps = {}) {
    super(scope, id);
    const contentPrefix = props.contentPrefix ?? 'content/';
    validateProps(props, contentPrefix);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const timeout = props.timeout ?? Duration.minutes(2);

    const privateBucket = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
      autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
    };
    const contentBucket = new s3.Bucket(this, 'ContentBucket', { ...privateBucket, versioned: true });
    const feedsBucket = new s3.Bucket(this, 'FeedsBucket', privateBucket);

    const distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `Feeds of ${Stack.of(this).stackName}`,
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(feedsBucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        compress: true,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
      },
    });
    const feedBaseUrl = `https://${distribution.distributionDomainName}/`;

    const deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    const queue = new sqs.Queue(this, 'PublishQueue', {
      // Lambda's guidance: at least six times the function timeout, so retries never overlap a running batch.
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: 5 },
    });

    const publishFunction = new nodejs.NodejsFunction(this, 'PublishFunction', {
      entry: path.join(projectRoot, 'lambda', 'handler.ts'),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout,
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      logGroup: new logs.LogGroup(this, 'PublishLogs', {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy,
      }),
      environment: {
        CONTENT_BUCKET: contentBucket.bucketName,
        CONTENT_PREFIX: contentPrefix,
        FEEDS_BUCKET: feedsBucket.bucketName,
        FEEDS_PREFIX: '',
        FEED_BASE_URL: feedBaseUrl,
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
    contentBucket.grantRead(publishFunction, `${contentPrefix}*`);
    feedsBucket.grantReadWrite(publishFunction);

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
        maxConcurrency: 2,
        reportBatchItemFailures: true,
      }),
    );

    if (props.contentSource !== undefined) {
      new s3deploy.BucketDeployment(this, 'ContentDeployment', {
        sources: [s3deploy.Source.asset(props.contentSource)],
        destinationBucket: contentBucket,
        destinationKeyPrefix: contentPrefix,
        // Records written straight to the bucket are not in the local folder; they must survive a deploy.
        prune: false,
      });
    }

    this.contentBucket = contentBucket;
    this.feedsBucket = feedsBucket;
    this.distribution = distribution;
    this.publishFunction = publishFunction;
    this.queue = queue;
    this.deadLetterQueue = deadLetterQueue;
    this.feedBaseUrl = feedBaseUrl;
  }
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
}
