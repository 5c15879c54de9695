import { randomBytes } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStatsHandler, mergeMessage } from '../../../lambda/stats/stats-handler.ts';
import { S3LogSource } from '../../../lambda/stores/log-sources.ts';
import { S3StateStore } from '../../../lambda/stores/s3.ts';
import { type Corpus, generateCorpus } from '../../helpers/cloudfront-logs.ts';
import { startConditionalWriteProxy } from '../../helpers/conditional-write-proxy.ts';
import { runCli } from '../../helpers/run-cli.ts';
import {
  etagOn,
  readBucket,
  type S3TestServer,
  s3rverClient,
  startS3Server,
} from '../../helpers/s3-server.ts';

let server: S3TestServer;
let proxy: Awaited<ReturnType<typeof startConditionalWriteProxy>>;
let corpus: Corpus;
let clock = new Date('2026-12-01T12:00:00Z');
/** Makes every DeleteObject fail, as a merge stopped before it deleted what it counted. */
let failDeletes = false;
const logged: { level: string; message: string; fields: unknown }[] = [];

/** The handler as the stack wires it, its state writes going through the conditional-write check. */
function statsHandler() {
  const client = s3rverClient(proxy.endpoint);
  const record = (level: string) => (message: string, fields?: unknown) => {
    logged.push({ level, message, fields });
  };
  return createStatsHandler({
    state: new S3StateStore(client, { bucket: 'state', prefix: '' }),
    logsIn: (bucket) => new S3LogSource(client, { bucket, prefix: '' }),
    random: () => randomBytes(32),
    now: () => clock,
    logger: { info: record('info'), warn: record('warn'), error: record('error') } as never,
  });
}

/** An S3 event notification for a new log object, as SQS hands it to Lambda (key URL-encoded). */
function logEvent(key: string, messageId = key) {
  const body = JSON.stringify({
    Records: [
      {
        eventName: 'ObjectCreated:Put',
        s3: { bucket: { name: 'logs' }, object: { key: encodeURIComponent(key).replace(/%2F/g, '/') } },
      },
    ],
  });
  return { messageId, body };
}

const mergeEvent = { messageId: 'merge', body: JSON.stringify(mergeMessage) };

async function stateKeys(): Promise<string[]> {
  return [...(await readBucket(server.client, 'state')).keys()].sort();
}

async function storedDays(): Promise<Record<string, { final: boolean; feeds: unknown }>> {
  const state = await readBucket(server.client, 'state');
  return Object.fromEntries(
    [...state]
      .filter(([key]) => key.startsWith('stats/days/'))
      .map(([key, text]) => {
        const { final, feeds } = JSON.parse(text) as { final: boolean; feeds: unknown };
        return [key.slice('stats/days/'.length, -'.json'.length), { final, feeds }];
      }),
  );
}

beforeAll(async () => {
  server = await startS3Server();
  proxy = await startConditionalWriteProxy(server.endpoint, {
    currentEtag: etagOn(server.client),
    fault: (request) =>
      failDeletes && request.method === 'DELETE' ? { kind: 'status', status: 500 } : undefined,
  });
  for (const bucket of ['logs', 'state']) await server.createBucket(bucket);
  corpus = generateCorpus();
  for (const file of corpus.files)
    await server.client.send(
      new PutObjectCommand({ Bucket: 'logs', Key: `cloudfront/${file.name}`, Body: file.body }),
    );
});

afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

describe('the statistics function', () => {
  const handler: ReturnType<typeof statsHandler> = (event) => statsHandler()(event);
  const keys = () => corpus.files.map((file) => `cloudfront/${file.name}`);

  it('counts each new log object into its days without keeping an address or a User-Agent', async () => {
    const result = await handler({ Records: keys().map((key) => logEvent(key)) });
    expect(result.batchItemFailures).toEqual([]);
    const stored = await readBucket(server.client, 'state');
    expect([...stored.keys()].some((key) => key.startsWith('stats/parts/2026-11-30/'))).toBe(true);
    for (const text of stored.values())
      for (const identity of corpus.identities) expect(text).not.toContain(identity);
    expect(logged.filter((entry) => entry.level === 'warn').map((entry) => entry.message)).toContain(
      'log lines skipped',
    );
  });

  it('writes the same parts when a log object is counted twice', async () => {
    const before = await readBucket(server.client, 'state');
    const key = keys()[1] as string;
    const result = await handler({ Records: [logEvent(key, 'again')] });
    expect(result.batchItemFailures).toEqual([]);
    expect(await readBucket(server.client, 'state')).toEqual(before);
  });

  it('merges open days hourly and closes a day once its logs can no longer come', async () => {
    clock = new Date('2026-12-02T12:00:00Z');
    expect((await handler({ Records: [mergeEvent] })).batchItemFailures).toEqual([]);
    const days = await storedDays();
    expect(days['2026-11-30']).toEqual({ final: true, feeds: corpus.expected['2026-11-30'] });
    expect(days['2026-12-01']).toEqual({ final: false, feeds: corpus.expected['2026-12-01'] });
    const keysNow = await stateKeys();
    expect(keysNow.filter((key) => key.includes('2026-11-30'))).toEqual(['stats/days/2026-11-30.json']);
    expect(keysNow).toContain('stats/salts/2026-12-01');

    clock = new Date('2026-12-03T07:00:00Z');
    await handler({ Records: [mergeEvent] });
    expect(await stateKeys()).toEqual(['stats/days/2026-11-30.json', 'stats/days/2026-12-01.json']);
    expect((await storedDays())['2026-12-01']).toEqual({ final: true, feeds: corpus.expected['2026-12-01'] });
  });

  it('serves the stored days to "stats --bucket" in the CLI', async () => {
    const { code, stdout, stderr } = await runCli(
      ['stats', '--bucket', 's3://state', '--endpoint', server.endpoint, '--region', 'us-east-1', '--json'],
      { ...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' },
    );
    expect(code, stderr).toBe(0);
    const { days } = JSON.parse(stdout) as { days: { date: string; feeds: unknown }[] };
    expect(Object.fromEntries(days.map((day) => [day.date, day.feeds]))).toEqual(corpus.expected);
  });

  it('adds logs that come after their day closed, once, even when the close stopped before deleting them', async () => {
    const late = generateCorpus(['2026-11-30'], 99);
    const lateKeys = late.files.map((file) => `cloudfront/LATE${file.name}`);
    for (const [index, file] of late.files.entries())
      await server.client.send(
        new PutObjectCommand({ Bucket: 'logs', Key: lateKeys[index], Body: file.body }),
      );
    const requests = async () => {
      const feeds = ((await storedDays())['2026-11-30']?.feeds ?? {}) as Record<string, { requests: number }>;
      return feeds['/rss.xml']?.requests;
    };
    const before = (await requests()) ?? 0;
    expect((await handler({ Records: lateKeys.map((key) => logEvent(key)) })).batchItemFailures).toEqual([]);
    failDeletes = true;
    expect((await handler({ Records: [mergeEvent] })).batchItemFailures).toEqual([
      { itemIdentifier: 'merge' },
    ]);
    const added = before + (late.expected['2026-11-30']?.['/rss.xml']?.requests ?? Number.NaN);
    expect(await requests()).toBe(added);
    failDeletes = false;
    expect((await handler({ Records: [mergeEvent] })).batchItemFailures).toEqual([]);
    expect(await requests()).toBe(added);
    expect((await stateKeys()).filter((key) => !key.startsWith('stats/days/'))).toEqual([]);
  });

  it('fails only the message whose log object cannot be read, so it is retried and then dead-lettered', async () => {
    await server.client.send(
      new PutObjectCommand({ Bucket: 'logs', Key: 'cloudfront/broken.gz', Body: 'not gzip' }),
    );
    const result = await handler({
      Records: [
        logEvent('cloudfront/broken.gz', 'broken'),
        { messageId: 'test-event', body: JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' }) },
        { messageId: 'nonsense', body: '{"hello":1}' },
        mergeEvent,
      ],
    });
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'broken' }, { itemIdentifier: 'nonsense' }]);
  });
});
