import { describe, expect, it } from 'vitest';
import { readContext } from '../../lib/read-context.ts';

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
});
