import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { createS3Client } from '../../lambda/stores/s3-client.ts';

export interface S3TestServer {
  readonly endpoint: string;
  readonly client: S3Client;
  createBucket(name: string): Promise<void>;
  close(): Promise<void>;
}

/** The keys s3rver accepts, for clients of it and of the proxies in front of it. */
export const s3rverCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** A client of s3rver at `endpoint` (the server itself, or a proxy in front of it). */
export function s3rverClient(endpoint: string, config: S3ClientConfig = {}): S3Client {
  return createS3Client(endpoint, { region: 'us-east-1', credentials: s3rverCredentials, ...config });
}

/** A real S3-compatible server (s3rver) on 127.0.0.1 with an empty store in a temporary folder. */
export async function startS3Server(): Promise<S3TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const address = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = s3rverClient(endpoint);
  return {
    endpoint,
    client,
    async createBucket(name) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
    },
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Every object of a bucket (up to 1,000), by key, as text. */
export async function readBucket(client: S3Client, bucket: string): Promise<Map<string, string>> {
  const listing = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  const files = new Map<string, string>();
  for (const { Key } of listing.Contents ?? []) {
    if (!Key) continue;
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
    files.set(Key, (await object.Body?.transformToString()) ?? '');
  }
  return files;
}

/** The ETag an object has now on the server itself, or undefined: what the conditional-write proxy checks against. */
export function etagOn(client: S3Client) {
  return (bucket: string, key: string): Promise<string | undefined> =>
    client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
      (head) => head.ETag,
      () => undefined,
    );
}
