import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it, onTestFinished } from 'vitest';
import { FeedPublisher, type FeedPublisherProps } from '../../lib/feed-publisher.ts';
import { FeedPublisherStack } from '../../lib/feed-publisher-stack.ts';
import { folderIndexCode } from '../../lib/publisher-distribution.ts';
import { contentRoot } from '../helpers/sample.ts';
import { logicalId, newApp, publisherTemplate } from './synth.ts';

const template = Template.fromStack(
  // As lib/app.ts deploys it: site.json on every deploy, no example records.
  new FeedPublisherStack(newApp(), 'TestStack', { siteConfigFile: join(contentRoot, 'site.json') }),
);
const id = (type: string, pattern: RegExp) => logicalId(template, type, pattern);
const resource = (type: string, pattern: RegExp) =>
  template.findResources(type)[id(type, pattern)] as { Properties: Record<string, unknown> };
const bucket = (pattern: RegExp) => resource('AWS::S3::Bucket', pattern).Properties;
const policyStatements = (bucketPattern: RegExp) =>
  (Object.values(template.findResources('AWS::S3::BucketPolicy')).find(
    (policy) => (policy.Properties.Bucket as { Ref?: string }).Ref === id('AWS::S3::Bucket', bucketPattern),
  )?.Properties.PolicyDocument.Statement ?? []) as Record<string, unknown>[];
const functionPolicy = () =>
  Object.values(template.findResources('AWS::IAM::Policy')).find((policy) =>
    (policy.Properties.Roles as { Ref: string }[]).some((role) =>
      /PublishFunctionServiceRole/.test(role.Ref),
    ),
  )?.Properties.PolicyDocument.Statement as Record<string, unknown>[];
const distributionConfig = () =>
  resource('AWS::CloudFront::Distribution', /Distribution/).Properties.DistributionConfig as Record<
    string,
    unknown
  >;

describe('FeedPublisher buckets', () => {
  it.each([/ContentBucket/, /FeedsBucket/, /LogBucket/])('blocks all public access to %s', (pattern) => {
    expect(bucket(pattern).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it.each([/ContentBucket/, /FeedsBucket/, /LogBucket/])('denies requests without TLS to %s', (pattern) => {
    expect(policyStatements(pattern)).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it.each([/ContentBucket/, /FeedsBucket/, /LogBucket/])('encrypts %s at rest', (pattern) => {
    expect(bucket(pattern).BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });

  it('keeps every version of the content records', () => {
    expect(bucket(/ContentBucket/).VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it.each([
    [/ContentBucket/, 'content-bucket/'],
    [/FeedsBucket/, 'feeds-bucket/'],
  ])('logs access to %s into the log bucket', (pattern, prefix) => {
    expect(bucket(pattern).LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: id('AWS::S3::Bucket', /LogBucket/) },
      LogFilePrefix: prefix,
    });
  });

  it('expires access logs', () => {
    expect(bucket(/LogBucket/).LifecycleConfiguration).toEqual({
      Rules: [expect.objectContaining({ ExpirationInDays: 90, Status: 'Enabled' })],
    });
  });

  it('denies any feed write that is not conditional', () => {
    expect(policyStatements(/FeedsBucket/)).toContainEqual(
      expect.objectContaining({
        Sid: 'DenyUnconditionalWrites',
        Effect: 'Deny',
        Action: 's3:PutObject',
        Condition: { Null: { 's3:if-match': 'true', 's3:if-none-match': 'true' } },
      }),
    );
  });

  it('lets only CloudFront read the feeds bucket, and never the state an earlier version kept there', () => {
    const statements = policyStatements(/FeedsBucket/);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Sid: 'DenyServingLegacyState',
        Effect: 'Deny',
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Resource: {
          'Fn::Join': ['', [{ 'Fn::GetAtt': [id('AWS::S3::Bucket', /FeedsBucket/), 'Arn'] }, '/_state/*']],
        },
      }),
    );
  });

  it('keeps the publish state in a bucket CloudFront has no route to, written only conditionally', () => {
    const statements = policyStatements(/StateBucket/);
    expect(JSON.stringify(statements)).not.toContain('cloudfront');
    expect(statements).toContainEqual(
      expect.objectContaining({
        Sid: 'DenyUnconditionalWrites',
        Effect: 'Deny',
        Action: 's3:PutObject',
        Condition: { Null: { 's3:if-match': 'true', 's3:if-none-match': 'true' } },
      }),
    );
    const stateBucket = id('AWS::S3::Bucket', /StateBucket/);
    expect(JSON.stringify(distributionConfig().Origins)).not.toContain(stateBucket);
  });
});

describe('FeedPublisher distribution', () => {
  it('reads the feeds bucket through Origin Access Control', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    expect(distributionConfig().Origins).toEqual([
      expect.objectContaining({
        OriginAccessControlId: { 'Fn::GetAtt': [expect.stringMatching(/OriginAccessControl/), 'Id'] },
      }),
    ]);
  });

  it('redirects to HTTPS, compresses, speaks HTTP/2 and 3, and serves index.html at the root', () => {
    expect(distributionConfig()).toMatchObject({
      DefaultRootObject: 'index.html',
      HttpVersion: 'http2and3',
      DefaultCacheBehavior: { ViewerProtocolPolicy: 'redirect-to-https', Compress: true },
    });
  });

  it('serves each category folder its index.html through a viewer-request function', () => {
    const functionId = logicalId(template, 'AWS::CloudFront::Function', /FolderIndex/);
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: folderIndexCode,
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
    });
    const association = [
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [functionId, 'FunctionARN'] } },
    ];
    const config = distributionConfig() as {
      DefaultCacheBehavior: { FunctionAssociations: unknown };
      CacheBehaviors: { FunctionAssociations: unknown }[];
    };
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual(association);
    expect(config.CacheBehaviors.map((behavior) => behavior.FunctionAssociations)).toEqual([association]);
  });

  it.each([
    ['/categories/world/', { uri: '/categories/world/index.html' }],
    ['/', { uri: '/index.html' }],
    ['/rss.xml', { uri: '/rss.xml' }],
    ['/categories/world/archive/2024-05/feed.json', { uri: '/categories/world/archive/2024-05/feed.json' }],
    ['/categories/world', { statusCode: 301, headers: { location: { value: '/categories/world/' } } }],
    [
      '/articles/0b9c7c0e-1d2f-5a3b-8c4d-5e6f7a8b9c0d/',
      { uri: '/articles/0b9c7c0e-1d2f-5a3b-8c4d-5e6f7a8b9c0d/index.html' },
    ],
    ['/articles/0b9c7c0e', { statusCode: 301, headers: { location: { value: '/articles/0b9c7c0e/' } } }],
  ])('the folder-index function turns %s into the right request', (uri, expected) => {
    // cloudfront-js-2.0 runs plain ECMAScript: the source runs here as it is.
    const handler = new Function(`${folderIndexCode}; return handler;`)() as (event: object) => object;
    expect(handler({ request: { uri, headers: {} } })).toMatchObject(expected);
  });

  it('keys the cache on the path only and honours each object Cache-Control up to a year', () => {
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: {
        DefaultTTL: 300,
        MinTTL: 0,
        MaxTTL: 31536000,
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
          QueryStringsConfig: { QueryStringBehavior: 'none' },
          HeadersConfig: { HeaderBehavior: 'none' },
          CookiesConfig: { CookieBehavior: 'none' },
          EnableAcceptEncodingBrotli: true,
          EnableAcceptEncodingGzip: true,
        }),
      },
    });
  });

  it('sends HSTS, nosniff, a referrer policy and frame options with every response', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          StrictTransportSecurity: Match.objectLike({
            AccessControlMaxAgeSec: 31536000,
            IncludeSubdomains: true,
          }),
          ContentTypeOptions: { Override: true },
          ReferrerPolicy: Match.objectLike({ ReferrerPolicy: 'strict-origin-when-cross-origin' }),
          FrameOptions: Match.objectLike({ FrameOption: 'DENY' }),
        }),
      }),
    });
  });

  it('lets pages show the site’s logo and articles’ photos from https hosts, and run no script', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: Match.objectLike({
            ContentSecurityPolicy: Match.stringLikeRegexp("default-src 'none';.*img-src 'self' https:;"),
          }),
        }),
      }),
    });
  });

  it('allows cross-origin GET of JSON Feed for web readers', () => {
    const behaviors = distributionConfig().CacheBehaviors as Record<string, unknown>[];
    expect(behaviors).toEqual([expect.objectContaining({ PathPattern: '*/feed.json' })]);
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        CorsConfig: Match.objectLike({
          AccessControlAllowOrigins: { Items: ['*'] },
          AccessControlAllowMethods: { Items: ['GET', 'HEAD', 'OPTIONS'] },
          AccessControlAllowCredentials: false,
        }),
      }),
    });
  });

  it('writes access logs to the log bucket', () => {
    expect(distributionConfig().Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [id('AWS::S3::Bucket', /LogBucket/), 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
    });
  });

  it('serves a custom domain with its certificate and TLS 1.2 (2021)', () => {
    const stack = new Stack(newApp(), 'Custom');
    const certificate = acm.Certificate.fromCertificateArn(
      stack,
      'Cert',
      'arn:aws:acm:us-east-1:123456789012:certificate/abc',
    );
    new FeedPublisher(stack, 'FeedPublisher', { domainName: 'feeds.example.com', certificate });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['feeds.example.com'],
        ViewerCertificate: {
          AcmCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      }),
    });
  });
});

describe('FeedPublisher function', () => {
  it('runs on the latest Node.js runtime, arm64, with tracing and JSON logs', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
      MemorySize: 1769,
      Timeout: 180,
    });
  });

  it('may read only records under the content prefix, and write only the feeds and the state', () => {
    const statements = functionPolicy();
    const s3Actions = statements.filter((statement) => JSON.stringify(statement.Action).includes('s3:'));
    expect(s3Actions).toEqual([
      expect.objectContaining({
        Sid: 'ListRecords',
        Action: 's3:ListBucket',
        Condition: { StringLike: { 's3:prefix': ['content/*'] } },
      }),
      expect.objectContaining({
        Sid: 'ReadRecords',
        Action: 's3:GetObject',
        Resource: {
          'Fn::Join': ['', [{ 'Fn::GetAtt': [id('AWS::S3::Bucket', /ContentBucket/), 'Arn'] }, '/content/*']],
        },
      }),
      expect.objectContaining({
        Sid: 'ReadWriteFeeds',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: {
          'Fn::Join': ['', [{ 'Fn::GetAtt': [id('AWS::S3::Bucket', /FeedsBucket/), 'Arn'] }, '/*']],
        },
      }),
      expect.objectContaining({
        Sid: 'ReadWriteState',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: {
          'Fn::Join': ['', [{ 'Fn::GetAtt': [id('AWS::S3::Bucket', /StateBucket/), 'Arn'] }, '/*']],
        },
      }),
      expect.objectContaining({ Sid: 'ListState', Action: 's3:ListBucket' }),
      expect.objectContaining({ Sid: 'ListFeeds', Action: 's3:ListBucket' }),
    ]);
    expect(JSON.stringify(statements)).not.toMatch(/s3:\*|"\*"\]?,"Effect":"Allow","Sid":"(Read|List)/);
  });

  it('may invalidate only its own distribution and set only its own schedule', () => {
    expect(functionPolicy()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Sid: 'InvalidateChangedFeeds', Action: 'cloudfront:CreateInvalidation' }),
        expect.objectContaining({
          Sid: 'ScheduleNextVisibilityChange',
          Action: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule'],
        }),
        expect.objectContaining({
          Sid: 'PassSchedulerRole',
          Action: 'iam:PassRole',
          Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      ]),
    );
  });
});

describe('FeedPublisher alarms reach their topic', () => {
  it('lets CloudWatch alarms of this account publish to the alarm topic, over SSL only', () => {
    const topic = id('AWS::SNS::Topic', /AlarmTopic/);
    const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
    const statements = policies.flatMap(
      (policy) =>
        (policy.Properties as { PolicyDocument: { Statement: Record<string, unknown>[] } }).PolicyDocument
          .Statement,
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Sid: 'AllowCloudWatchAlarms',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: topic },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('keeps the buckets when the stack is deleted, but not after a failed first deploy', () => {
    for (const name of [/ContentBucket/, /FeedsBucket/, /StateBucket/, /LogBucket/]) {
      expect(resource('AWS::S3::Bucket', name)).toMatchObject({
        DeletionPolicy: 'RetainExceptOnCreate',
        UpdateReplacePolicy: 'Retain',
      });
    }
  });

  it('removes the schedule group with the stack, since it holds no data', () => {
    expect(resource('AWS::Scheduler::ScheduleGroup', /ScheduleGroup/)).toMatchObject({
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
  });
});

describe('FeedPublisher triggers', () => {
  it('feeds the function from the queue, two at a time, with partial batch failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [id('AWS::SQS::Queue', /PublishQueue/), 'Arn'] },
      FunctionName: { Ref: id('AWS::Lambda::Function', /PublishFunction/) },
      MaximumBatchingWindowInSeconds: 20,
      ScalingConfig: { MaximumConcurrency: 2 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('spreads rebuilds over a queue of their own, one step per invocation, ten at a time', () => {
    const rebuildQueue = id('AWS::SQS::Queue', /^FeedPublisherRebuildQueue/);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [rebuildQueue, 'Arn'] },
      FunctionName: { Ref: id('AWS::Lambda::Function', /PublishFunction/) },
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 10 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(resource('AWS::SQS::Queue', /^FeedPublisherRebuildQueue/).Properties).toMatchObject({
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [id('AWS::SQS::Queue', /RebuildDeadLetterQueue/), 'Arn'] },
      },
      SqsManagedSseEnabled: true,
    });
    expect(resource('AWS::Lambda::Function', /PublishFunction/).Properties).toMatchObject({
      Environment: { Variables: { REBUILD_QUEUE_URL: { Ref: rebuildQueue } } },
    });
    expect(JSON.stringify(functionPolicy())).toContain('sqs:SendMessage');
  });

  it('dead-letters messages after 5 receives, with a visibility timeout of six function timeouts', () => {
    expect(resource('AWS::SQS::Queue', /PublishQueue/).Properties).toMatchObject({
      RedrivePolicy: {
        deadLetterTargetArn: {
          'Fn::GetAtt': [id('AWS::SQS::Queue', /^FeedPublisherDeadLetterQueue/), 'Arn'],
        },
        maxReceiveCount: 5,
      },
      VisibilityTimeout: 1080,
      SqsManagedSseEnabled: true,
    });
  });

  it('gives each path a dead-letter queue of its own: S3 events, rebuild steps, failed invocations and schedules', () => {
    const queue = (pattern: RegExp) => ({ 'Fn::GetAtt': [id('AWS::SQS::Queue', pattern), 'Arn'] });
    expect(resource('AWS::Lambda::Function', /PublishFunction/).Properties).toMatchObject({
      DeadLetterConfig: { TargetArn: queue(/InvocationDeadLetterQueue/) },
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: Match.objectLike({ DeadLetterConfig: { Arn: queue(/InvocationDeadLetterQueue/) } }),
    });
    const targets = Object.values(template.findResources('AWS::SQS::Queue')).flatMap((queue) =>
      queue.Properties?.RedrivePolicy ? [JSON.stringify(queue.Properties.RedrivePolicy)] : [],
    );
    // The publish, rebuild and statistics queues each redrive to their own.
    expect(new Set(targets).size).toBe(3);
    template.resourceCountIs('AWS::SQS::Queue', 7);
  });

  it.each([
    /PublishQueue/,
    /^FeedPublisherDeadLetterQueue/,
    /RebuildDeadLetterQueue/,
    /InvocationDeadLetterQueue/,
  ])('denies requests without TLS to %s', (pattern) => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: id('AWS::SQS::Queue', pattern) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('sends record creations and deletions under the content prefix to the queue', () => {
    const configuration = Object.values(template.findResources('Custom::S3BucketNotifications')).find(
      (notifications) =>
        (notifications.Properties.BucketName as { Ref?: string }).Ref ===
        id('AWS::S3::Bucket', /ContentBucket/),
    )?.Properties.NotificationConfiguration as {
      QueueConfigurations: { Events: string[]; Filter: unknown }[];
    };
    expect(configuration.QueueConfigurations.map((entry) => entry.Events)).toEqual([
      ['s3:ObjectCreated:*'],
      ['s3:ObjectRemoved:*'],
    ]);
    for (const entry of configuration.QueueConfigurations) {
      expect(entry.Filter).toEqual({ Key: { FilterRules: [{ Name: 'prefix', Value: 'content/' }] } });
    }
  });

  it('reconciles every hour by default, on a schedule it can change', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 hour)' });
    publisherTemplate({ reconcileInterval: Duration.minutes(15) }).hasResourceProperties(
      'AWS::Scheduler::Schedule',
      {
        ScheduleExpression: 'rate(15 minutes)',
      },
    );
  });

  it('tells the function where the one-time next-change schedule goes and which role it runs as', () => {
    const variables = (
      resource('AWS::Lambda::Function', /PublishFunction/).Properties.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    expect(variables).toMatchObject({
      SCHEDULE_NAME: 'next-visibility-change',
      SCHEDULE_GROUP: resource('AWS::Scheduler::ScheduleGroup', /ScheduleGroup/).Properties.Name,
      SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [id('AWS::IAM::Role', /SchedulerRole/), 'Arn'] },
      SCHEDULE_DEAD_LETTER_ARN: { 'Fn::GetAtt': [id('AWS::SQS::Queue', /InvocationDeadLetterQueue/), 'Arn'] },
      DISTRIBUTION_ID: { Ref: id('AWS::CloudFront::Distribution', /Distribution/) },
    });
    const schedulerPolicies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy).includes(id('AWS::IAM::Role', /SchedulerRole/)),
    );
    expect(JSON.stringify(schedulerPolicies)).toContain('sqs:SendMessage');
  });

  it('publishes right after every deploy that changes the function, once the content is deployed', () => {
    const trigger = Object.values(template.findResources('Custom::Trigger'))[0] as {
      DependsOn?: string[];
      Properties: Record<string, unknown>;
    };
    expect(trigger).toBeDefined();
    expect(JSON.stringify(trigger.Properties.HandlerArn)).toMatch(
      /FeedPublisherPublishFunctionCurrentVersion/,
    );
    expect(trigger.DependsOn?.some((dependency) => /ContentDeployment/.test(dependency))).toBe(true);
    // Two minutes beyond the function's three, so a slow publish fails as itself, not as the deploy.
    expect(trigger.Properties.Timeout).toBe('300000');
  });

  it('deploys only site.json unless asked for records', () => {
    const deployments = Object.values(template.findResources('Custom::CDKBucketDeployment'));
    expect(deployments.map((deployment) => deployment.Properties.DestinationBucketKeyPrefix)).toEqual([
      'content/',
    ]);
    expect(JSON.stringify(template.toJSON())).not.toContain('IMPORT_PREFIX');
  });

  it('stages the records of -c content=DIR for the publish to create only where none exists', () => {
    const staged = Template.fromStack(
      new FeedPublisherStack(newApp(), 'Importing', {
        siteConfigFile: join(contentRoot, 'site.json'),
        context: { content: contentRoot },
      }),
    );
    const prefixes = Object.values(staged.findResources('Custom::CDKBucketDeployment')).map(
      (deployment) => deployment.Properties.DestinationBucketKeyPrefix,
    );
    expect(prefixes.sort()).toEqual(['content/', 'import/']);
    const json = JSON.stringify(staged.toJSON());
    expect(json).toContain('"IMPORT_PREFIX":"import/"');
    for (const sid of ['TakeStagedRecords', 'ListStagedRecords', 'CreateImportedRecords'])
      expect(json).toContain(sid);
  });

  it('deploys the site’s templates under content/templates/, removing those removed locally', () => {
    const themed = Template.fromStack(
      new FeedPublisherStack(newApp(), 'Themed', {
        siteConfigFile: join(contentRoot, 'site.json'),
        templatesSource: contentRoot,
      }),
    );
    themed.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketKeyPrefix: 'content/templates/',
      Prune: true,
    });
    const trigger = Object.values(themed.findResources('Custom::Trigger'))[0] as { DependsOn?: string[] };
    expect(trigger.DependsOn?.some((dependency) => /TemplatesDeployment/.test(dependency))).toBe(true);
  });

  it('deploys content/ under its own prefix without ever pruning records', () => {
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketKeyPrefix: 'content/',
      Prune: false,
    });
  });
});

describe('FeedPublisher alarms', () => {
  it.each([
    ['function errors', 'Errors', 'AWS/Lambda'],
    ['messages in the dead-letter queue', 'ApproximateNumberOfMessagesVisible', 'AWS/SQS'],
    ['invalid records', 'InvalidRecords', 'FeedPublisher'],
    ['publishes of queued record changes that failed', 'PublishFailures', 'FeedPublisher'],
  ])('alarms on %s, to the alarm topic', (_what, metricName, namespace) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: metricName,
      Namespace: namespace,
      Threshold: 1,
      AlarmActions: [{ Ref: id('AWS::SNS::Topic', /AlarmTopic/) }],
    });
  });

  it.each([
    ['DeadLettersAlarm', /^FeedPublisherDeadLetterQueue/],
    ['RebuildDeadLettersAlarm', /RebuildDeadLetterQueue/],
    ['InvocationDeadLettersAlarm', /InvocationDeadLetterQueue/],
  ])('%s watches its own dead-letter queue', (alarm, queue) => {
    expect(resource('AWS::CloudWatch::Alarm', new RegExp(`^FeedPublisher${alarm}`)).Properties).toMatchObject(
      {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 1,
        Dimensions: [
          { Name: 'QueueName', Value: { 'Fn::GetAtt': [id('AWS::SQS::Queue', queue), 'QueueName'] } },
        ],
        AlarmActions: [{ Ref: id('AWS::SNS::Topic', /AlarmTopic/) }],
      },
    );
  });

  it('has the ten alarms the README prices, nine without statistics', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 10);
    publisherTemplate({ statistics: false }).resourceCountIs('AWS::CloudWatch::Alarm', 9);
  });

  it('alarms when a rebuild step waits 45 minutes, and when a rebuild made no progress', () => {
    expect(resource('AWS::CloudWatch::Alarm', /RebuildQueueWaitAlarm/).Properties).toMatchObject({
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 2700,
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [id('AWS::SQS::Queue', /^FeedPublisherRebuildQueue/), 'QueueName'] },
        },
      ],
    });
    expect(resource('AWS::CloudWatch::Alarm', /RebuildStalledAlarm/).Properties).toMatchObject({
      MetricName: 'RebuildStalled',
      Namespace: 'FeedPublisher',
      Threshold: 1,
      Dimensions: [{ Name: 'service', Value: 'TestStack' }],
    });
  });

  it('reads its own metrics with the stack as the service dimension the function writes', () => {
    const variables = (
      resource('AWS::Lambda::Function', /PublishFunction/).Properties.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    expect(variables).toMatchObject({
      METRICS_NAMESPACE: 'FeedPublisher',
      POWERTOOLS_SERVICE_NAME: 'TestStack',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'InvalidRecords',
      Dimensions: [{ Name: 'service', Value: 'TestStack' }],
    });
  });

  it('alarms when record changes wait in the queue for 15 minutes', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Namespace: 'AWS/SQS',
      Threshold: 900,
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [id('AWS::SQS::Queue', /PublishQueue/), 'QueueName'] } },
      ],
    });
  });

  it('sends the alarms to an existing topic when given one, creating none', () => {
    const stack = new Stack(newApp(), 'OwnTopic');
    const topic = sns.Topic.fromTopicArn(stack, 'Ops', 'arn:aws:sns:us-east-1:123456789012:ops');
    new FeedPublisher(stack, 'FeedPublisher', { alarmTopic: topic });
    const own = Template.fromStack(stack);
    own.resourceCountIs('AWS::SNS::Topic', 0);
    own.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      AlarmActions: ['arn:aws:sns:us-east-1:123456789012:ops'],
    });
  });

  it('subscribes an e-mail address to the alarms when given', () => {
    publisherTemplate({ alarmEmail: 'ops@example.com' }).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });

  it('outputs the feed URLs, and every name the runbook commands need', () => {
    expect(Object.keys(template.findOutputs('*'))).toEqual(
      expect.arrayContaining([
        'RssUrl',
        'AtomUrl',
        'JsonFeedUrl',
        'SubscribePageUrl',
        'ContentBucketName',
        'PublishFunctionName',
        'FeedsBucketName',
        'StateBucketName',
        'PublishQueueArn',
        'PublishQueueUrl',
        'DeadLetterQueueArn',
        'RebuildQueueArn',
        'RebuildDeadLetterQueueArn',
        'InvocationDeadLetterQueueUrl',
        'StatisticsQueueArn',
        'StatisticsDeadLetterQueueArn',
      ]),
    );
  });
});

describe('FeedPublisher props', () => {
  const certificate = (stack: Stack, arn = 'arn:aws:acm:us-east-1:123456789012:certificate/abc') =>
    acm.Certificate.fromCertificateArn(stack, 'Cert', arn);

  it.each<[string, (stack: Stack) => FeedPublisherProps, RegExp]>([
    [
      'contentPrefix has no trailing slash',
      () => ({ contentPrefix: 'content' }),
      /contentPrefix .* got 'content'/,
    ],
    ['memorySize is too small', () => ({ memorySize: 64 }), /memorySize .* got 64/],
    [
      'templatesSource is not a folder',
      () => ({ templatesSource: '/nonexistent/templates' }),
      /templatesSource must be a folder of \.liquid templates, got '\/nonexistent\/templates'/,
    ],
    ['timeout is over 15 minutes', () => ({ timeout: Duration.minutes(20) }), /timeout .* got 1200 seconds/],
    [
      'batchingWindow is over 5 minutes',
      () => ({ batchingWindow: Duration.minutes(6) }),
      /batchingWindow .* got 360 seconds/,
    ],
    [
      'reconcileInterval is under 5 minutes',
      () => ({ reconcileInterval: Duration.minutes(1) }),
      /reconcileInterval .* got 1 minutes/,
    ],
    [
      'domainName is not a host name',
      (stack) => ({ domainName: 'https://x', certificate: certificate(stack) }),
      /domainName .* got 'https:\/\/x'/,
    ],
    [
      'domainName comes without a certificate',
      () => ({ domainName: 'feeds.example.com' }),
      /certificate is required with domainName 'feeds.example.com'/,
    ],
    [
      'a certificate comes without a domainName',
      (stack) => ({ certificate: certificate(stack) }),
      /domainName is required with certificate/,
    ],
    [
      'the certificate is outside us-east-1',
      (stack) => ({
        domainName: 'feeds.example.com',
        certificate: certificate(stack, 'arn:aws:acm:eu-west-1:123456789012:certificate/abc'),
      }),
      /certificate must be in us-east-1 .* 'arn:aws:acm:eu-west-1/,
    ],
    [
      'hubUrl is not https',
      () => ({ hubUrl: 'http://hub.example.com/' }),
      /hubUrl must be an https URL, got 'http:\/\/hub.example.com\/'/,
    ],
    ['alarmEmail is not an e-mail address', () => ({ alarmEmail: 'ops' }), /alarmEmail .* got 'ops'/],
    [
      'rebuildConcurrency is below what SQS event sources allow',
      () => ({ rebuildConcurrency: 1 }),
      /rebuildConcurrency must be a whole number between 2 and 1000, got 1/,
    ],
  ])('throws when %s', (_case, props, message) => {
    const stack = new Stack(newApp(), 'Invalid');
    expect(() => new FeedPublisher(stack, 'Publisher', props(stack))).toThrow(message);
  });
  it('reports every problem at once, naming the construct and each prop', () => {
    const stack = new Stack(newApp(), 'Invalid');
    expect(() => new FeedPublisher(stack, 'Publisher', { memorySize: 64, hubUrl: 'http://hub' })).toThrow(
      /^Invalid\/Publisher: memorySize must be a whole number of MiB between 128 and 10240, got 64; hubUrl must be an https URL, got 'http:\/\/hub'$/,
    );
  });

  it('leaves values given as deploy-time parameters to the deploy', () => {
    const stack = new Stack(newApp(), 'Parameters');
    const email = new CfnParameter(stack, 'AlarmEmail', { type: 'String' });
    const memory = new CfnParameter(stack, 'MemorySize', { type: 'Number' });
    expect(
      () =>
        new FeedPublisher(stack, 'Publisher', {
          alarmEmail: email.valueAsString,
          memorySize: memory.valueAsNumber,
        }),
    ).not.toThrow();
  });
});

describe('FeedPublisher publish after deploy', () => {
  const triggerTarget = (contentSource: string) => {
    const trigger = Object.values(
      publisherTemplate({ contentSource }).findResources('Custom::Trigger'),
    )[0] as {
      Properties: { HandlerArn: unknown };
    };
    return JSON.stringify(trigger.Properties.HandlerArn);
  };

  it('runs again when the deployed content changes, not only the code', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'content-'));
    onTestFinished(() => rm(copy, { recursive: true, force: true }));
    await cp(contentRoot, copy, { recursive: true });
    const before = triggerTarget(copy);
    expect(triggerTarget(copy)).toBe(before);
    await writeFile(
      join(copy, 'articles', 'added.json'),
      JSON.stringify({ title: 'Added', date: '2025-01-01', content_text: 'x' }),
    );
    expect(triggerTarget(copy)).not.toBe(before);
  });
});

describe('FeedPublisher in a second region', () => {
  it('gives its account-wide CloudFront resources names of their own per stack and region', () => {
    const names = ['us-east-1', 'eu-west-1'].flatMap((region) => {
      const stack = new Stack(newApp(), `Regional-${region}`, {
        env: { account: '123456789012', region },
        stackName: 'FeedPublisher',
      });
      new FeedPublisher(stack, 'FeedPublisher');
      const resources = Object.values(
        Template.fromStack(stack).toJSON().Resources as Record<
          string,
          { Properties?: Record<string, Record<string, unknown>> }
        >,
      );
      return resources.flatMap((resource) =>
        ['ResponseHeadersPolicyConfig', 'CachePolicyConfig', 'OriginAccessControlConfig'].flatMap(
          (config) => {
            const name = resource.Properties?.[config]?.Name;
            return name === undefined ? [] : [String(name)];
          },
        ),
      );
    });
    expect(names).toHaveLength(8);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('FeedPublisher-security-headers-eu-west-1');
  });
});

describe('FeedPublisher statistics', () => {
  const statsFunction = () => resource('AWS::Lambda::Function', /StatisticsFunction/).Properties;
  const queueArn = (pattern: RegExp) => ({ 'Fn::GetAtt': [id('AWS::SQS::Queue', pattern), 'Arn'] });

  it('sends each new CloudFront log object, and only those, to the statistics queue', () => {
    const configuration = Object.values(template.findResources('Custom::S3BucketNotifications')).find(
      (notifications) =>
        (notifications.Properties.BucketName as { Ref?: string }).Ref === id('AWS::S3::Bucket', /LogBucket/),
    )?.Properties.NotificationConfiguration;
    expect(configuration).toEqual({
      QueueConfigurations: [
        {
          Events: ['s3:ObjectCreated:*'],
          Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'cloudfront/' }] } },
          QueueArn: queueArn(/StatisticsQueue[0-9A-F]{8}$/),
        },
      ],
    });
    expect(distributionConfig().Logging).toMatchObject({ Prefix: 'cloudfront/' });
  });

  it('runs a small function one log object at a time, dead-lettering a message after 5 receives', () => {
    expect(statsFunction()).toMatchObject({ MemorySize: 512, Timeout: 300, Architectures: ['arm64'] });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: queueArn(/StatisticsQueue[0-9A-F]{8}$/),
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    expect(resource('AWS::SQS::Queue', /StatisticsQueue[0-9A-F]{8}$/).Properties).toMatchObject({
      RedrivePolicy: { deadLetterTargetArn: queueArn(/StatisticsDeadLetterQueue/), maxReceiveCount: 5 },
      VisibilityTimeout: 1800,
    });
  });

  it('asks for a merge every hour through the same queue, failures to the same dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      Target: Match.objectLike({
        Arn: queueArn(/StatisticsQueue[0-9A-F]{8}$/),
        Input: JSON.stringify({ source: 'feed-publisher.stats' }),
        DeadLetterConfig: { Arn: queueArn(/StatisticsDeadLetterQueue/) },
      }),
    });
  });

  it('alarms when the statistics dead-letter queue holds a message', () => {
    expect(resource('AWS::CloudWatch::Alarm', /StatisticsDeadLettersAlarm/).Properties).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [id('AWS::SQS::Queue', /StatisticsDeadLetterQueue/), 'QueueName'] },
        },
      ],
      Threshold: 1,
    });
  });

  it('may read only the CloudFront logs and only the stats/ part of the state', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).find((policy) =>
      (policy.Properties.Roles as { Ref: string }[]).some((role) =>
        /StatisticsFunctionServiceRole/.test(role.Ref),
      ),
    )?.Properties.PolicyDocument.Statement as { Sid?: string; Resource: unknown; Action: unknown }[];
    const bySid = Object.fromEntries(statements.filter((s) => s.Sid).map((s) => [s.Sid, s]));
    expect(JSON.stringify(bySid.ReadAccessLogs?.Resource)).toContain('/cloudfront/*');
    expect(bySid.ReadAccessLogs?.Action).toBe('s3:GetObject');
    expect(JSON.stringify(bySid.ReadWriteStatistics?.Resource)).toContain('/stats/*');
    expect(JSON.stringify(statements)).not.toContain(id('AWS::S3::Bucket', /FeedsBucket/));
    expect(JSON.stringify(statements)).not.toContain(id('AWS::S3::Bucket', /ContentBucket/));
  });

  it('leaves all of it out when statistics is false', () => {
    const without = publisherTemplate({ statistics: false });
    expect(
      Object.keys(without.findResources('AWS::Lambda::Function')).some((key) => /Statistics/.test(key)),
    ).toBe(false);
    without.resourceCountIs('AWS::SQS::Queue', 5);
    without.resourceCountIs('Custom::S3BucketNotifications', 1);
  });
});
