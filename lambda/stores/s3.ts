import { createHash } from 'node:crypto';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { FeedFile, SourceRecord } from '../core/model.ts';
import type { RecordVersion } from '../core/plan.ts';
import {
  type ExpectedVersion,
  type OutputStore,
  type RecordStore,
  type StoredText,
  StoreReadError,
  WriteConflictError,
} from './store.ts';

const readConcurrency = 32;

export interface S3Location {
  readonly bucket: string;
  /** Key prefix, '' or ending with '/'. */
  readonly prefix: string;
}

/** Records in S3: `<prefix>site.json` and `<prefix>articles/**`. */
export class S3RecordStore implements RecordStore {
  constructor(
    private readonly client: S3Client,
    private readonly location: S3Location,
  ) {}

  async readSiteConfig(): Promise<string> {
    const key = `${this.location.prefix}site.json`;
    try {
      return new TextDecoder().decode(await this.readObject(key));
    } catch (error) {
      throw new StoreReadError(
        `cannot read s3://${this.location.bucket}/${key}: ${(error as Error).message}`,
      );
    }
  }

  async listRecords(): Promise<RecordVersion[]> {
    const versions: RecordVersion[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.location.bucket,
          Prefix: `${this.location.prefix}articles/`,
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key || object.Key.endsWith('/')) continue;
        versions.push({
          key: object.Key.slice(this.location.prefix.length),
          etag: object.ETag ?? `${object.Size}-${object.LastModified?.toISOString()}`,
        });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return versions.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Reads the records named, a few at a time: a first publish of a large archive reads thousands. */
  async readRecords(keys: readonly string[]): Promise<SourceRecord[]> {
    const records: SourceRecord[] = [];
    for (let start = 0; start < keys.length; start += readConcurrency) {
      const batch = keys.slice(start, start + readConcurrency);
      records.push(
        ...(await Promise.all(
          batch.map(async (key) => ({ key, body: await this.readObject(`${this.location.prefix}${key}`) })),
        )),
      );
    }
    return records;
  }

  private async readObject(key: string): Promise<Uint8Array> {
    const response = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: key }));
    if (!response.Body) throw new StoreReadError(`s3://${this.location.bucket}/${key} has no body`);
    return response.Body.transformToByteArray();
  }
}

/** Published files in S3, each with its media type, Cache-Control and a content hash to skip identical rewrites. */
export class S3OutputStore implements OutputStore {
  constructor(
    private readonly client: S3Client,
    private readonly location: S3Location,
  ) {}

  async read(path: string): Promise<StoredText | undefined> {
    const key = `${this.location.prefix}${path}`;
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.location.bucket, Key: key }),
      );
      const text = (await response.Body?.transformToString('utf-8')) ?? '';
      return { text, version: response.ETag ?? '' };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async write(file: FeedFile, expected?: ExpectedVersion): Promise<boolean> {
    const key = `${this.location.prefix}${file.path}`;
    const hash = createHash('sha256').update(file.body, 'utf8').digest('hex');
    // With an expected version the condition is the one the caller read, not whatever is there now.
    const current = expected ? undefined : await this.head(key);
    if (
      current?.Metadata?.sha256 === hash &&
      current.ContentType === file.contentType &&
      current.CacheControl === file.cacheControl
    ) {
      return false;
    }
    const etag = expected ? expected.version : current?.ETag;
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.location.bucket,
          Key: key,
          Body: file.body,
          ContentType: file.contentType,
          CacheControl: file.cacheControl,
          Metadata: { sha256: hash },
          // Conditional: replace only the version we looked at, or create only if still absent.
          ...(etag ? { IfMatch: etag } : { IfNoneMatch: '*' }),
        }),
      );
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 412 || status === 409) {
        throw new WriteConflictError(`s3://${this.location.bucket}/${key} changed while this publish ran`);
      }
      throw error;
    }
    return true;
  }

  private head(key: string) {
    return this.client
      .send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: key }))
      .catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      });
  }
}

function isNotFound(error: unknown): boolean {
  const failure = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    failure.name === 'NotFound' || failure.name === 'NoSuchKey' || failure.$metadata?.httpStatusCode === 404
  );
}
