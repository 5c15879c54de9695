import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FeedPublisher, type FeedPublisherProps } from '../../lib/feed-publisher.ts';
import { FeedPublisherStack } from '../../lib/feed-publisher-stack.ts';
import { contentRoot } from '../helpers/sample.ts';

/** Synthesizes without bundling the function: CI builds the real bundle once, with `cdk synth`. */
function newApp(): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [] } });
}

const template = Template.fromStack(
  new FeedPublisherStack(newApp(), 'TestStack', { contentSource: contentRoot }),
);

function logicalId(type: string, pattern: RegExp): string {
  const id = Object.keys(template.findResources(type)).find((candidate) => pattern.test(candidate));
  if (!id) throw new Error(`no ${type} matching ${pattern}`);
  return id;
}

describe('FeedPublisher', () => {
  it.each([/ContentBucket/, /FeedsBucket/])('blocks all public access to %s', (pattern) => {
    const bucket = template.findResources('AWS::S3::Bucket')[logicalId('AWS::S3::Bucket', pattern)];
    expect(bucket?.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it.each([/ContentBucket/, /FeedsBucket/])('denies requests without TLS to %s', (pattern) => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId('AWS::S3::Bucket', pattern) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('keeps every version of the content records', () => {
    const contentBucket =
      template.findResources('AWS::S3::Bucket')[logicalId('AWS::S3::Bucket', /ContentBucket/)];
    expect(contentBucket?.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it('lets only CloudFront read the feeds bucket, through Origin Access Control', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        Origins: [
          Match.objectLike({
            OriginAccessControlId: { 'Fn::GetAtt': [Match.stringLikeRegexp('OriginAccessControl'), 'Id'] },
          }),
        ],
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', Compress: true }),
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId('AWS::S3::Bucket', /FeedsBucket/) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
          }),
        ]),
      },
    });
  });

  it('runs the publish function on the latest Node.js runtime, as ESM on arm64', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({ CONTENT_PREFIX: 'content/', FEEDS_PREFIX: '' }),
      },
    });
  });

  it('feeds the function from the queue, two at a time, with partial batch failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId('AWS::SQS::Queue', /PublishQueue/), 'Arn'] },
      FunctionName: { Ref: logicalId('AWS::Lambda::Function', /PublishFunction/) },
      MaximumBatchingWindowInSeconds: 20,
      ScalingConfig: { MaximumConcurrency: 2 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('sends messages that keep failing to a dead-letter queue', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId('AWS::SQS::Queue', /DeadLetterQueue/), 'Arn'] },
        maxReceiveCount: 5,
      },
      VisibilityTimeout: 720,
    });
  });

  it('sends record creations and deletions under the content prefix to the queue', () => {
    const configuration = Object.values(template.findResources('Custom::S3BucketNotifications'))[0]
      ?.Properties.NotificationConfiguration as {
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

  it('deploys content/ under its own prefix without ever pruning records', () => {
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketKeyPrefix: 'content/',
      Prune: false,
    });
  });

  it('outputs the feed URLs', () => {
    const outputs = Object.keys(template.findOutputs('*'));
    expect(outputs).toEqual(expect.arrayContaining(['RssUrl', 'AtomUrl', 'JsonFeedUrl', 'SubscribePageUrl']));
  });

  it.each<[string, FeedPublisherProps, RegExp]>([
    ['contentPrefix has no trailing slash', { contentPrefix: 'content' }, /contentPrefix .* got 'content'/],
    ['memorySize is too small', { memorySize: 64 }, /memorySize .* got 64/],
    ['timeout is over 15 minutes', { timeout: Duration.minutes(20) }, /timeout .* got 1200 seconds/],
    [
      'batchingWindow is over 5 minutes',
      { batchingWindow: Duration.minutes(6) },
      /batchingWindow .* got 360 seconds/,
    ],
  ])('throws when %s', (_case, props, message) => {
    const stack = new Stack(newApp(), 'Invalid');
    expect(() => new FeedPublisher(stack, 'Publisher', props)).toThrow(message);
  });
});
