import { Stack } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import { acknowledge, arnToken } from './nag.ts';

/** What the publish function works on. */
export interface PublisherResources {
  readonly fn: lambda.IFunction;
  readonly contentBucket: s3.IBucket;
  readonly contentPrefix: string;
  /** Where deploys stage records to import; undefined when no records are deployed. */
  readonly importPrefix?: string;
  readonly feedsBucket: s3.IBucket;
  readonly stateBucket: s3.IBucket;
  readonly distribution: cloudfront.IDistribution;
  readonly scheduleGroup: scheduler.IScheduleGroup;
  /** The one schedule in the group the function creates and updates. */
  readonly scheduleName: string;
  readonly schedulerRole: iam.IRole;
}

/** Exactly what the publish function needs, each statement named for its purpose. */
export function grantLeastPrivilege(scope: Construct, resources: PublisherResources): void {
  const {
    fn,
    contentBucket,
    contentPrefix,
    importPrefix,
    feedsBucket,
    stateBucket,
    distribution,
    scheduleGroup,
    scheduleName,
    schedulerRole,
  } = resources;
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
  if (importPrefix !== undefined) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'TakeStagedRecords',
        actions: ['s3:GetObject', 's3:DeleteObject'],
        resources: [contentBucket.arnForObjects(`${importPrefix}*`)],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ListStagedRecords',
        actions: ['s3:ListBucket'],
        resources: [contentBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${importPrefix}*`] } },
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'CreateImportedRecords',
        actions: ['s3:PutObject'],
        resources: [contentBucket.arnForObjects(`${contentPrefix}articles/*`)],
      }),
    );
    acknowledge(fn, {
      [`AwsSolutions-IAM5[Resource::${arnToken(contentBucket)}/${importPrefix}*]`]:
        "Deploys stage records under this prefix; their keys are the records' own.",
      [`AwsSolutions-IAM5[Resource::${arnToken(contentBucket)}/${contentPrefix}articles/*]`]:
        'Staged records are created under the articles prefix, only where none exists (If-None-Match).',
    });
  }
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'ReadWriteFeeds',
      // Delete: archive pages that empty out, and the feeds of a category left without articles.
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: [feedsBucket.arnForObjects('*')],
    }),
  );
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'ReadWriteState',
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: [stateBucket.arnForObjects('*')],
    }),
  );
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'ListState',
      actions: ['s3:ListBucket'],
      resources: [stateBucket.bucketArn],
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
        Stack.of(scope).formatArn({
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
        Stack.of(scope).formatArn({
          service: 'scheduler',
          resource: 'schedule',
          resourceName: `${scheduleGroup.scheduleGroupName}/${scheduleName}`,
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
    [`AwsSolutions-IAM5[Resource::${arnToken(stateBucket)}/*]`]:
      'The state holds one object per record, id and archive period; their keys follow the records and are not known in advance.',
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
      'The scheduler may invoke any version of scope one publish function, as grantInvoke writes it.',
  });
}
