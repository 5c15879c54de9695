import { type CfnElement, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct, IConstruct } from 'constructs';

/** Acknowledges cdk-nag findings on one construct, each with its reason. */
export function acknowledge(scope: IConstruct, findings: Readonly<Record<string, string>>): void {
  for (const [id, reason] of Object.entries(findings)) Validations.of(scope).acknowledge({ id, reason });
}

/** How cdk-nag writes the ARN of a resource of this stack in a finding id: `<LogicalId.Arn>`. */
export function arnToken(resource: IConstruct): string {
  const child = resource.node.defaultChild as CfnElement;
  return `<${Stack.of(resource).getLogicalId(child)}.Arn>`;
}

/** The helper functions aws-cdk adds for bucket notifications and deployments are theirs to configure, not ours. */
export function acknowledgeCdkHelpers(scope: Construct, contentBucket: s3.IBucket): void {
  const stack = Stack.of(scope);
  const basicRole =
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';
  const notifications = stack.node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
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
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${literalOr(stack.account, '<AWS::AccountId>')}-${literalOr(stack.region, '<AWS::Region>')}/*]`]:
        reason,
      [`AwsSolutions-IAM5[Resource::${arnToken(contentBucket)}/*]`]: reason,
      'AwsSolutions-L1': reason,
      'Serverless-LambdaDLQ': reason,
      'Serverless-LambdaLatestVersion': reason,
      'Serverless-LambdaTracing': reason,
    });
  }
}

/**
 * How cdk-nag writes an account or region in a finding: the literal value when the stack is
 * bound to an environment (a `cdk deploy` with credentials), the pseudo parameter otherwise.
 */
function literalOr(value: string, pseudo: string): string {
  return Token.isUnresolved(value) ? pseudo : value;
}
