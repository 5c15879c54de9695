import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type App, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { FeedPublisherStack } from '../../lib/feed-publisher-stack.ts';
import { contentRoot } from '../helpers/sample.ts';
import { newApp } from './synth.ts';

interface ValidationReport {
  readonly pluginReports: {
    readonly pluginName: string;
    readonly violations: { readonly ruleName: string }[];
  }[];
}

/** Synthesizes under the AwsSolutions and Serverless packs, as lib/app.ts does; returns every unacknowledged finding. */
function findings(app: App): string[] {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  try {
    const assembly = app.synth();
    const report = JSON.parse(
      readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'),
    ) as ValidationReport;
    return report.pluginReports.flatMap((plugin) =>
      plugin.violations.map((violation) => `${plugin.pluginName}: ${violation.ruleName}`),
    );
  } catch (error) {
    const reportPath = /can be found in: (\S+)/.exec((error as Error).message)?.[1];
    if (!reportPath) throw error;
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as ValidationReport;
    return report.pluginReports.flatMap((plugin) =>
      plugin.violations.map((violation) => `${plugin.pluginName}: ${violation.ruleName}`),
    );
  }
}

describe('cdk-nag', () => {
  it('finds nothing unacknowledged in the stack with the default domain', () => {
    const app = newApp();
    new FeedPublisherStack(app, 'Nagged', { contentSource: contentRoot });
    expect(findings(app)).toEqual([]);
  });

  it('finds nothing unacknowledged with a custom domain, hub and alarm e-mail', () => {
    const app = newApp();
    new FeedPublisherStack(app, 'NaggedCustom', {
      contentSource: contentRoot,
      context: {
        domainName: 'feeds.example.com',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
        hubUrl: 'https://hub.example.com/',
        alarmEmail: 'ops@example.com',
      },
    });
    expect(findings(app)).toEqual([]);
  });

  it.each([
    ['us-east-1', 'us-east-1'],
    ['eu-west-1', 'eu-west-1'],
  ])('finds nothing unacknowledged when bound to an account and region %s, as with credentials', (region) => {
    const app = newApp();
    new FeedPublisherStack(app, 'NaggedWithAccount', {
      contentSource: contentRoot,
      env: { account: '123456789012', region },
    });
    expect(findings(app)).toEqual([]);
  });

  it('fails on a new finding', () => {
    const app = newApp();
    const stack = new FeedPublisherStack(app, 'NaggedWorse', { contentSource: contentRoot });
    new s3.Bucket(stack, 'CarelessBucket');
    expect(findings(app)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('AwsSolutions-S1'),
        expect.stringContaining('AwsSolutions-S10'),
      ]),
    );
  });
});
