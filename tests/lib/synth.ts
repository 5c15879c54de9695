import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FeedPublisher, type FeedPublisherProps } from '../../lib/feed-publisher.ts';

/** An app that synthesizes without bundling the function: CI builds the real bundle once, with `cdk synth`. */
export function newApp(): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [] } });
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
