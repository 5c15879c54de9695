import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { FeedPublisherStack } from './feed-publisher-stack.ts';

const app = new App();
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? 'FeedPublisher';

new FeedPublisherStack(app, stackName, {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  publisher: { contentSource: path.join(projectRoot, 'content') },
});
