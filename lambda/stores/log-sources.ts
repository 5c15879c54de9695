import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { LogSource } from './ports.ts';
import type { S3Location } from './s3.ts';

/** A log file by its name: gzip (CloudFront's) or plain text (what `serve` writes). */
export function isLogFile(name: string): boolean {
  return /\.(gz|log)$/.test(name);
}

/** Log files in a folder and its subfolders. */
export class FsLogSource implements LogSource {
  constructor(private readonly root: string) {}

  async *list(): AsyncIterable<string> {
    const entries = await readdir(this.root, { recursive: true, withFileTypes: true });
    const names = entries
      .filter((entry) => entry.isFile() && isLogFile(entry.name))
      .map((entry) => relative(this.root, join(entry.parentPath, entry.name)).split(sep).join('/'))
      .sort();
    yield* names;
  }

  async open(key: string): Promise<Readable> {
    return createReadStream(join(this.root, key));
  }
}

/** Log objects under a bucket prefix, a listing page at a time. */
export class S3LogSource implements LogSource {
  constructor(
    private readonly client: S3Client,
    private readonly location: S3Location,
  ) {}

  async *list(): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.location.bucket,
          Prefix: this.location.prefix,
          ContinuationToken: token,
        }),
      );
      for (const { Key } of page.Contents ?? []) if (Key && isLogFile(Key)) yield Key;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async open(key: string): Promise<Readable> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: key }));
    return object.Body as Readable;
  }
}
