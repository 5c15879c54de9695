import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { type FeedPublisherContext, FeedPublisherStack } from './feed-publisher-stack.ts';
import { ContextOptionError, checkContextNames, readContext } from './read-context.ts';

const app = new App();
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let context: FeedPublisherContext;
try {
  checkContextNames(Object.keys(app.node.getAllContext()));
  context = readContext((name) => app.node.tryGetContext(name));
} catch (error) {
  // A mistyped option is the operator's to fix: say which, without a stack trace.
  if (!(error instanceof ContextOptionError)) throw error;
  console.error(error.message);
  process.exit(1);
}

new FeedPublisherStack(app, (app.node.tryGetContext('stackName') as string | undefined) ?? 'FeedPublisher', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  // site.json on every deploy; the example records only when asked: `-c content=content`.
  siteConfigFile: path.join(projectRoot, 'content', 'site.json'),
  // The site's own templates, beside content/ as the CLI reads them, when it has any.
  ...(existsSync(path.join(projectRoot, 'templates'))
    ? { templatesSource: path.join(projectRoot, 'templates') }
    : {}),
  context,
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
