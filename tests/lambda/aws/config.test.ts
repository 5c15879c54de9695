import { describe, expect, it } from 'vitest';
import { readHandlerConfig } from '../../../lambda/aws/config.ts';

const required = { CONTENT_BUCKET: 'content', FEEDS_BUCKET: 'feeds', STATE_BUCKET: 'state' };

describe('readHandlerConfig', () => {
  it('reads the environment once into typed settings', () => {
    expect(
      readHandlerConfig({
        ...required,
        CONTENT_PREFIX: '/records',
        FEED_BASE_URL: 'https://feeds.example.com/',
        DISTRIBUTION_ID: 'E1',
        SCHEDULE_GROUP: 'g',
        SCHEDULE_NAME: 'n',
        SCHEDULER_ROLE_ARN: 'arn:aws:iam::1:role/r',
      }),
    ).toMatchObject({
      contentBucket: 'content',
      contentPrefix: 'records/',
      stateBucket: 'state',
      statePrefix: '',
      feedsPrefix: '',
      distributionId: 'E1',
      schedule: { group: 'g', name: 'n', roleArn: 'arn:aws:iam::1:role/r' },
      metricsNamespace: 'FeedPublisher',
    });
  });

  it.each([
    [
      'the buckets are missing',
      {},
      /missing environment variables: CONTENT_BUCKET, FEEDS_BUCKET, STATE_BUCKET/,
    ],
    [
      'the schedule is half configured',
      { ...required, SCHEDULE_NAME: 'n' },
      /set all of SCHEDULE_GROUP, SCHEDULE_NAME, SCHEDULER_ROLE_ARN or none; got only SCHEDULE_NAME/,
    ],
    ['the hub URL is not a URL', { ...required, HUB_URL: 'hub' }, /HUB_URL 'hub' is not a URL/],
  ])('fails fast when %s', (_case, env, message) => {
    expect(() => readHandlerConfig(env)).toThrow(message);
  });
});
