import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FeedPublisher, type FeedPublisherProps } from '../../lib/feed-publisher.ts';

/** Where the test apps write their cloud assemblies; tests/global-setup.ts removes it after the run. */
const assemblyRoot = process.env.FEED_PUBLISHER_ASSEMBLIES ?? join(tmpdir(), 'feed-publisher-cdk');

/**
 * An app that synthesizes without bundling the function (CI builds the real bundle once, with
 * `cdk synth`), into a folder of its own that is removed after the run.
 */
export function newApp(): App {
  mkdirSync(assemblyRoot, { recursive: true });
  return new App({
    outdir: mkdtempSync(join(assemblyRoot, 'app-')),
    context: { 'aws:cdk:bundling-stacks': [] },
  });
}

/** The template of a stack holding one FeedPublisher with `props`. */
export function publisherTemplate(props: FeedPublisherProps = {}): Template {
  const stack = new Stack(newApp(), 'Test');
  new FeedPublisher(stack, 'FeedPublisher', props);
  return Template.fromStack(stack);
}

/** The logical id of the one resource of `type` whose id matches `pattern`. */
export function logicalId(template: Template, type: string, pattern: RegExp): string {
  const ids = Object.keys(template.findResources(type)).filter((candidate) => pattern.test(candidate));
  if (ids.length !== 1)
    throw new Error(`expected one ${type} matching ${pattern}, found ${ids.join(', ') || 'none'}`);
  return ids[0] as string;
}
