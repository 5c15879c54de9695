import { describe, expect, it } from 'vitest';
import { QueueMessageError, readableStep, recordTriggers } from '../../../lambda/aws/queue-messages.ts';

const message = (body: unknown, messageId = 'm-1') => ({
  messageId,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const s3Event = (key: string) => ({
  Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key, eTag: 'abc', sequencer: '01' } } }],
});

describe('readableStep', () => {
  it.each([
    ['a rebuild step', { kind: 'rebuild-step', job: 'j', phase: 'render', n: 2 }],
    ['a listing step', { kind: 'rebuild-list', job: 'j', n: 0, chunk: 0 }],
    ['an earlier version step', { kind: 'rebuild-read', job: 'j' }],
  ])('answers %s as it was sent', (_case, body) => {
    expect(readableStep(message(body))).toEqual(body);
  });

  it.each([
    ['an S3 event', s3Event('articles/a.json')],
    ['the S3 test event', { Service: 'Amazon S3', Event: 's3:TestEvent' }],
    ['a redriven invocation', { source: 'aws.scheduler' }],
    ['text that is not JSON', 'not json'],
  ])('answers undefined for %s', (_case, body) => {
    expect(readableStep(message(body))).toBeUndefined();
  });

  it.each([
    ['a step without its phase', { kind: 'rebuild-step', job: 'j', n: 2 }, /message m-1: phase: Invalid key/],
    ['a step with a phase no version has', { kind: 'rebuild-step', job: 'j', phase: 'paint', n: 2 }, /phase/],
    ['a step numbered by text', { kind: 'rebuild-list', job: 'j', n: '0', chunk: 0 }, /message m-1: n: /],
    ['an S3 event whose records are not a list', { Records: 'x' }, /message m-1: Records: /],
    [
      'an S3 event with a numeric key',
      { Records: [{ s3: { object: { key: 7 } } }] },
      /Records\.0\.s3\.object\.key/,
    ],
  ])('names the message and the field of %s', (_case, body, expected) => {
    expect(() => readableStep(message(body))).toThrow(QueueMessageError);
    expect(() => readableStep(message(body))).toThrow(expected);
  });
});

describe('recordTriggers', () => {
  it('names the records S3 events name, keys decoded, relative to the content prefix', () => {
    const triggers = recordTriggers([message(s3Event('site/articles/a+b%C3%A9.json'))], 'site/');
    expect(triggers).toEqual([{ key: 'articles/a bé.json', etag: 'abc', sequencer: '01' }]);
  });
});
