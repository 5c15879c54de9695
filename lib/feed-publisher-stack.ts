import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { FeedPublisher, type FeedPublisherProps } from './feed-publisher.ts';

export interface FeedPublisherStackProps extends StackProps {
  readonly publisher?: FeedPublisherProps;
}

/** One FeedPublisher and the URLs an operator needs after `cdk deploy`. */
export class FeedPublisherStack extends Stack {
  public readonly publisher: FeedPublisher;

  constructor(scope: Construct, id: string, props: FeedPublisherStackProps = {}) {
    super(scope, id, props);
    this.publisher = new FeedPublisher(this, 'FeedPublisher', props.publisher);
    const base = this.publisher.feedBaseUrl;
    new CfnOutput(this, 'SubscribePageUrl', { value: base, description: 'The subscribe page' });
    new CfnOutput(this, 'RssUrl', { value: `${base}rss.xml`, description: 'RSS 2.0 feed' });
    new CfnOutput(this, 'AtomUrl', { value: `${base}atom.xml`, description: 'Atom 1.0 feed' });
    new CfnOutput(this, 'JsonFeedUrl', { value: `${base}feed.json`, description: 'JSON Feed 1.1' });
    new CfnOutput(this, 'ContentBucketName', {
      value: this.publisher.contentBucket.bucketName,
      description: 'Write article records under content/articles/ in this bucket',
    });
  }
}
