import { describe, expect, it } from 'vitest';
import { scheduleInstant, unqualifiedFunctionArn } from '../../../lambda/delivery/next-change-schedule.ts';

const now = new Date('2026-01-01T12:00:30.000Z');

describe('scheduleInstant', () => {
  it.each([
    [
      'an embargo inside a minute fires at the next whole minute, never before',
      '2026-01-01T14:03:20.250Z',
      '2026-01-01T14:04:00.000Z',
    ],
    ['an embargo on a whole minute fires then', '2026-01-01T14:03:00.000Z', '2026-01-01T14:03:00.000Z'],
    [
      'an embargo less than a minute away waits the minute',
      '2026-01-01T12:00:40.000Z',
      '2026-01-01T12:02:00.000Z',
    ],
    [
      'a change already past is scheduled a minute ahead, not in the past',
      '2026-01-01T11:00:00.000Z',
      '2026-01-01T12:02:00.000Z',
    ],
  ])('%s', (_case, at, expected) => {
    expect(scheduleInstant(new Date(at), now).toISOString()).toBe(expected);
  });
});

describe('unqualifiedFunctionArn', () => {
  it.each([
    [
      'arn:aws:lambda:us-east-1:123456789012:function:publish:7',
      'arn:aws:lambda:us-east-1:123456789012:function:publish',
    ],
    [
      'arn:aws:lambda:us-east-1:123456789012:function:publish:live',
      'arn:aws:lambda:us-east-1:123456789012:function:publish',
    ],
    [
      'arn:aws:lambda:us-east-1:123456789012:function:publish',
      'arn:aws:lambda:us-east-1:123456789012:function:publish',
    ],
  ])('schedules %s as %s', (arn, expected) => {
    expect(unqualifiedFunctionArn(arn)).toBe(expected);
  });
});
