import { describe, expect, it } from 'vitest';
import {
  cloudFrontLogFields,
  createLogLineReader,
  decodeField,
  logLineOf,
} from '../../../../lambda/core/stats/access-log.ts';

const fields = (values: Partial<Record<(typeof cloudFrontLogFields)[number], string>>) =>
  cloudFrontLogFields
    .map(
      (field) =>
        values[field] ??
        {
          date: '2026-12-01',
          'sc-status': '200',
          'sc-bytes': '10',
          'c-ip': '192.0.2.1',
          'cs-method': 'GET',
          'cs-uri-stem': '/rss.xml',
        }[field as string] ??
        '-',
    )
    .join('\t');

describe('reading CloudFront log lines', () => {
  it('reads a request by the field names of the #Fields line, in any order', () => {
    const read = createLogLineReader();
    expect(read('#Version: 1.0')).toBeUndefined();
    expect(
      read('#Fields: cs(User-Agent) sc-status date c-ip cs-method cs-uri-stem sc-bytes'),
    ).toBeUndefined();
    expect(
      read('Feedly/1.0%2520(x)\t304\t2026-12-01\t2001:db8::1\tHEAD\t/categories/caf%C3%A9/rss.xml\t281'),
    ).toEqual({
      date: '2026-12-01',
      method: 'HEAD',
      path: '/categories/café/rss.xml',
      status: 304,
      bytes: 281,
      ip: '2001:db8::1',
      userAgent: 'Feedly/1.0 (x)',
    });
  });

  it.each([
    ['not a log line', /has 1 fields where the #Fields line names/],
    [fields({ date: '01/12/2026' }), /date '01\/12\/2026' is not YYYY-MM-DD/],
    [fields({ 'sc-status': '000' }), /sc-status '000' is not an HTTP status/],
    [fields({ 'sc-bytes': '-5' }), /sc-bytes '-5' is not a byte count/],
    [fields({ 'cs-uri-stem': 'rss.xml' }), /cs-uri-stem 'rss.xml' is not a path/],
    [fields({ 'c-ip': '-' }), /c-ip is empty/],
    [fields({ date: '2026-12-01\u001b[31m' }), /date '2026-12-01\?\[31m' is not YYYY-MM-DD/],
  ])('names what is wrong with a malformed line: %j', (line, problem) => {
    const read = createLogLineReader();
    read('#Version: 1.0');
    expect(read(line)).toEqual({ line: 2, problem: expect.stringMatching(problem) });
  });

  it('refuses a #Fields line without a field the statistics need', () => {
    expect(createLogLineReader()('#Fields: date time c-ip')).toEqual({
      line: 1,
      problem: expect.stringContaining('lacks cs-method, cs-uri-stem, sc-status, sc-bytes, cs(User-Agent)'),
    });
  });

  it('keeps a value that does not decode as it is', () => {
    expect(decodeField('100%zz')).toBe('100%zz');
  });

  it.each([
    'Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0',
    'tab\there, new\nline, emoji 📰, lone \ud800 surrogate',
    '',
  ])('writes a line that reads back to the same request: %j', (userAgent) => {
    const time = new Date('2026-12-01T23:59:59.500Z');
    const line = logLineOf({
      time,
      ip: '::1',
      method: 'GET',
      host: 'localhost:8080',
      path: '/rss.xml',
      query: 'a=b c',
      status: 200,
      bytes: 42,
      userAgent,
      referer: '',
      seconds: 0.0123,
      contentType: 'application/rss+xml; charset=utf-8',
    });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\n ]/);
    expect(line.split('\t')).toHaveLength(cloudFrontLogFields.length);
    expect(createLogLineReader()(line.slice(0, -1))).toEqual({
      date: '2026-12-01',
      method: 'GET',
      path: '/rss.xml',
      status: 200,
      bytes: 42,
      ip: '::1',
      userAgent: userAgent.replace('\ud800', '\ufffd'),
    });
  });
});
