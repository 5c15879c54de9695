import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.ts';
import { readBucket, type S3TestServer, startS3Server } from '../../helpers/s3-server.ts';
import { contentFeedFiles, contentRoot } from '../../helpers/sample.ts';

let server: S3TestServer;

beforeAll(async () => {
  server = await startS3Server();
  for (const bucket of ['feeds', 'state', 'other-feeds']) await server.createBucket(bucket);
});

afterAll(async () => {
  await server?.close();
});

/** Credentials from the environment, as the standard AWS chain reads them. */
const runS3Cli = (args: readonly string[]) =>
  runCli(args, { ...process.env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' });

describe('publish into an S3-compatible bucket', () => {
  const s3 = () => ['--endpoint', server.endpoint, '--region', 'us-east-1'];
  /** publish of the sample content into `out`, with its state in `state`. */
  const publishTo = (out: readonly string[], state: string) =>
    runS3Cli(['publish', '--content', contentRoot, ...out, '--state', state, ...s3()]);

  it('publishes content/ under a prefix of the bucket, with the state in a bucket of its own', async () => {
    const result = await publishTo(['--bucket', 's3://feeds/news'], 's3://state/site-a');
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('s3://feeds/news/: 22 files written');
    const feeds = await readBucket(server.client, 'feeds');
    expect([...feeds.keys()].sort()).toEqual(contentFeedFiles.map((path) => `news/${path}`).sort());
    const state = await readBucket(server.client, 'state');
    expect([...state.keys()]).toContain('site-a/publisher.json');
    // Publishing again changes nothing.
    const again = await publishTo(['--bucket', 's3://feeds/news'], 's3://state/site-a');
    expect(again.stdout).toContain('s3://feeds/news/: up to date, nothing to write');
  });

  it('takes --out s3://... as the bucket rather than a folder named s3:', async () => {
    const result = await publishTo(['--out', 's3://other-feeds'], 's3://state/site-b');
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
    const result = await runS3Cli(['publish', '--content', contentRoot, ...args, ...s3()]);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
  });
});
