import { describe, expect, it } from 'vitest';
import { checkContextNames, readContext } from '../../lib/read-context.ts';

describe('readContext', () => {
  it('reads -c options, numbers given as text included', () => {
    const values: Record<string, unknown> = {
      domainName: 'feeds.example.com',
      reconcileMinutes: '30',
      hubUrl: '',
      content: 'content',
    };
    expect(readContext((name) => values[name])).toEqual({
      domainName: 'feeds.example.com',
      certificateArn: undefined,
      hubUrl: undefined,
      alarmEmail: undefined,
      reconcileMinutes: 30,
      content: 'content',
    });
  });

  it.each([
    [
      'reconcileMinutes is not a number',
      { reconcileMinutes: 'hourly' },
      /reconcileMinutes must be a whole number/,
    ],
    ['domainName is not text', { domainName: 5 }, /domainName must be text/],
  ])('throws when %s', (_case, values: Record<string, unknown>, message) => {
    expect(() => readContext((name) => values[name])).toThrow(message);
  });

  it.each([
    [['domain'], '-c domain: unknown option; did you mean -c domainName?'],
    [['alarmMail', 'hubUrl'], '-c alarmMail: unknown option; did you mean -c alarmEmail?'],
    [['colour'], '-c colour: unknown option\n'],
  ])('names an unknown -c option %j and the one meant', (names, message) => {
    expect(() => checkContextNames(names)).toThrow(message);
  });

  it("leaves CDK's own context keys and the known options alone", () => {
    expect(() =>
      checkContextNames([
        '@aws-cdk/core:target-partitions',
        'aws:cdk:bundling-stacks',
        'availability-zones:account=123456789012:region=us-east-1',
        'domainName',
        'stackName',
      ]),
    ).not.toThrow();
  });
});
