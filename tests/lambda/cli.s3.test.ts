import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBucket, type S3TestServer, startS3Server } from '../helpers/s3-server.ts';
import { contentFeedFiles, contentRoot } from '../helpers/sample.ts';

const run = promisify(execFile);
let server: S3TestServer;

beforeAll(async () => {
  server = await startS3Server();
  for (const bucket of ['feeds', 'state', 'other-feeds']) await server.createBucket(bucket);
});

afterAll(async () => {
  await server?.close();
});

/** The CLI in a process of its own, with credentials from the environment as the AWS chain reads them. */
async function runCli(args: string[]) {
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'lambda/cli.ts', ...args], {
      env,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe('publish into an S3-compatible bucket', () => {
  const s3 = () => ['--endpoint', server.endpoint, '--region', 'us-east-1'];

  it('publishes content/ under a prefix of the bucket, with the state in a bucket of its own', async () => {
    const result = await runCli([
      'publish',
      '--content',
      contentRoot,
      '--bucket',
      's3://feeds/news',
      '--state',
      's3://state/site-a',
      ...s3(),
    ]);
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('wrote     s3://feeds/news/rss.xml');
    const feeds = await readBucket(server.client, 'feeds');
    expect([...feeds.keys()].sort()).toEqual(contentFeedFiles.map((path) => `news/${path}`).sort());
    const state = await readBucket(server.client, 'state');
    expect([...state.keys()]).toContain('site-a/publisher.json');
    // Publishing again changes nothing.
    const again = await runCli([
      'publish',
      '--content',
      contentRoot,
      '--bucket',
      's3://feeds/news',
      '--state',
      's3://state/site-a',
      ...s3(),
    ]);
    expect(again.stdout).not.toContain('wrote');
  });

  it('takes --out s3://... as the bucket rather than a folder named s3:', async () => {
    const result = await runCli([
      'publish',
      '--content',
      contentRoot,
      '--out',
      's3://other-feeds',
      '--state',
      's3://state/site-b',
      ...s3(),
    ]);
    expect(result.code).toBe(0);
    expect((await readBucket(server.client, 'other-feeds')).has('feed.json')).toBe(true);
  });

  it.each([
    [
      ['--bucket', 's3://missing-bucket', '--state', 's3://state/x'],
      1,
      'publishing to s3://missing-bucket/: NoSuchBucket (HTTP 404)',
    ],
    [
      ['--bucket', 's3://feeds', '--state', 's3://feeds/state'],
      2,
      'is in the feeds bucket: the state would be published',
    ],
    [['--bucket', 's3://Not_A_Bucket'], 2, "'s3://Not_A_Bucket' does not name an S3 bucket"],
  ])('refuses %j, naming the bucket and what went wrong', async (args, code, message) => {
    const result = await runCli(['publish', '--content', contentRoot, ...args, ...s3()]);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
  });
});
