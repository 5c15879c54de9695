import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type { Construct } from 'constructs';
import { feedFormats } from '../lambda/core/render/formats.ts';
import { FeedPublisher, type FeedPublisherProps } from './feed-publisher.ts';

/** Deploy-time options, from `cdk.json` or `-c name=value`. */
export interface FeedPublisherContext {
  readonly domainName?: string;
  readonly certificateArn?: string;
  readonly hubUrl?: string;
  readonly alarmEmail?: string;
  readonly reconcileMinutes?: number;
  /** A folder of records to deploy as well (`-c content=content` publishes the examples). */
  readonly content?: string;
}

export interface FeedPublisherStackProps extends StackProps {
  /** Local site.json deployed on every deploy. */
  readonly siteConfigFile?: string;
  /** Local folder deployed as records (site.json and articles/); the `content` context option wins. */
  readonly contentSource?: string;
  /** Local folder of the site's templates, deployed on every deploy. */
  readonly templatesSource?: string;
  readonly context?: FeedPublisherContext;
  /** Anything else for the construct. */
  readonly publisher?: Omit<
    FeedPublisherProps,
    | 'contentSource'
    | 'templatesSource'
    | 'siteConfigFile'
    | 'domainName'
    | 'certificate'
    | 'hubUrl'
    | 'alarmEmail'
  >;
}

/** One FeedPublisher and the URLs an operator needs after `cdk deploy`. */
export class FeedPublisherStack extends Stack {
  public readonly publisher: FeedPublisher;

  constructor(scope: Construct, id: string, props: FeedPublisherStackProps = {}) {
    super(scope, id, props);
    const context = props.context ?? {};
    this.publisher = new FeedPublisher(this, 'FeedPublisher', {
      ...props.publisher,
      siteConfigFile: props.siteConfigFile,
      contentSource: context.content ?? props.contentSource,
      templatesSource: props.templatesSource,
      domainName: context.domainName,
      certificate: context.certificateArn
        ? acm.Certificate.fromCertificateArn(this, 'Certificate', context.certificateArn)
        : undefined,
      hubUrl: context.hubUrl,
      alarmEmail: context.alarmEmail,
      reconcileInterval:
        context.reconcileMinutes === undefined
          ? props.publisher?.reconcileInterval
          : Duration.minutes(context.reconcileMinutes),
    });
    const base = this.publisher.feedBaseUrl;
    new CfnOutput(this, 'SubscribePageUrl', { value: base, description: 'The subscribe page' });
    for (const format of feedFormats) {
      new CfnOutput(this, format.outputName, {
        value: `${base}${format.fileName}`,
        description: format.specification,
      });
    }
    new CfnOutput(this, 'DistributionDomainName', {
      value: this.publisher.distribution.distributionDomainName,
      description: 'Point a custom domain (CNAME or alias) here',
    });
    new CfnOutput(this, 'ContentBucketName', {
      value: this.publisher.contentBucket.bucketName,
      description: 'Write article records under content/articles/ in this bucket',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.publisher.alarmTopic.topicArn,
      description: 'Alarms go here',
    });
    // What the runbook's commands name (docs/operations.md).
    const { publisher } = this;
    const operated: [string, string, string][] = [
      ['PublishFunctionName', publisher.publishFunction.functionName, 'Invoke it to publish now'],
      ['FeedsBucketName', publisher.feedsBucket.bucketName, 'The published files (read by CloudFront)'],
      ['StateBucketName', publisher.stateBucket.bucketName, "The publisher's state"],
      ['PublishQueueArn', publisher.queue.queueArn, 'S3 events of record changes'],
      ['PublishQueueUrl', publisher.queue.queueUrl, 'S3 events of record changes'],
      [
        'DeadLetterQueueArn',
        publisher.deadLetterQueue.queueArn,
        'Failed S3 events: redrive to PublishQueueArn',
      ],
      ['RebuildQueueArn', publisher.rebuildQueue.queueArn, "A rebuild's steps"],
      [
        'RebuildDeadLetterQueueArn',
        publisher.rebuildDeadLetterQueue.queueArn,
        'Failed rebuild steps: redrive to RebuildQueueArn',
      ],
      [
        'InvocationDeadLetterQueueUrl',
        publisher.invocationDeadLetterQueue.queueUrl,
        'Failed scheduled and post-deploy publishes: publish again, then purge',
      ],
    ];
    if (publisher.statistics && publisher.statisticsDeadLetterQueue)
      operated.push(
        ['StatisticsQueueArn', publisher.statistics.queue.queueArn, 'New CloudFront log objects to count'],
        [
          'StatisticsDeadLetterQueueArn',
          publisher.statisticsDeadLetterQueue.queueArn,
          'Log objects that failed to count: redrive to StatisticsQueueArn',
        ],
      );
    for (const [id, value, description] of operated) new CfnOutput(this, id, { value, description });
  }
}
