import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { mapLimited } from '../core/async-lists.ts';
import { errorMessage } from '../core/error-message.ts';
import { sha256Hex } from '../core/hash.ts';
import type { FeedFile } from '../core/model.ts';
import {
  type ExpectedVersion,
  type FileWrite,
  isTemplateFile,
  type OutputEntry,
  type OutputStore,
  type RecordBody,
  type RecordStore,
  type RecordVersion,
  type StateStore,
  type StoredText,
  StoreReadError,
  WriteConflictError,
} from './ports.ts';

export interface S3Location {
  readonly bucket: string;
  /** Key prefix, '' or ending with '/'. */
  readonly prefix: string;
}

/** Records in S3: `<prefix>site.json` and `<prefix>articles/**`. */
export class S3RecordStore implements RecordStore {
  /**
   * S3 stamps LastModified with its own clock; Lambda's is kept close to it, but not exactly.
   * A server on the same machine shares the publisher's clock and may say so.
   */
  readonly clockMarginMs: number;

  constructor(
    private readonly client: S3Client,
    private readonly location: S3Location,
    options: { readonly clockMarginMs?: number } = {},
  ) {
    this.clockMarginMs = options.clockMarginMs ?? 5 * 60 * 1000;
  }

  async readSiteConfig(): Promise<string> {
    const key = `${this.location.prefix}site.json`;
    const found = await readObject(this.client, this.location.bucket, key).catch((error: unknown) => {
      throw new StoreReadError(`cannot read s3://${this.location.bucket}/${key}: ${errorMessage(error)}`);
    });
    if (!found) throw new StoreReadError(`s3://${this.location.bucket}/${key} does not exist`);
    return new TextDecoder().decode(found.body);
  }

  async *listRecords(startAfter?: string): AsyncIterable<readonly RecordVersion[]> {
    for await (const page of listPages(this.client, this.location, 'articles/', startAfter)) {
      yield page
        .filter((object) => !object.key.endsWith('/'))
        .map((object) => ({ key: object.key, lastModified: object.lastModified, etag: object.etag }));
    }
  }

  async readRecord(key: string): Promise<RecordBody | undefined> {
    return readObject(this.client, this.location.bucket, `${this.location.prefix}${key}`);
  }

  /** `<prefix>templates/*.liquid`: a listing and one read per template. */
  async readTemplates(): Promise<Record<string, string>> {
    const keys: string[] = [];
    for await (const page of listPages(this.client, this.location, 'templates/')) {
      for (const { key } of page) {
        const name = key.slice('templates/'.length);
        if (isTemplateFile(name)) keys.push(name);
      }
    }
    const texts = await mapLimited(keys, 8, async (name) => {
      const found = await readObject(
        this.client,
        this.location.bucket,
        `${this.location.prefix}templates/${name}`,
      );
      return found ? new TextDecoder().decode(found.body) : undefined;
    });
    return Object.fromEntries(
      keys.flatMap((name, index) => (texts[index] === undefined ? [] : [[name, texts[index]]])),
    );
  }
}

/** The publisher's state in a bucket (or prefix) CloudFront has no route to. */
export class S3StateStore implements StateStore {
  constructor(
    private readonly client: S3Client,
    private readonly location: S3Location,
  ) {}

  async read(key: string): Promise<StoredText | undefined> {
    const found = await readObject(this.client, this.location.bucket, `${this.location.prefix}${key}`);
    return found && { text: new TextDecoder().decode(found.body), version: found.etag };
  }

  async write(key: string, text: string, expected: ExpectedVersion): Promise<string> {
    return putConditionally(
      this.client,
      this.location.bucket,
      `${this.location.prefix}${key}`,
      expected.version,
      {
        Body: text,
        ContentType: 'application/json; charset=utf-8',
      },
    );
  }

  async delete(key: string, expected?: ExpectedVersion): Promise<void> {
    const where = `${this.location.prefix}${key}`;
    try {
      await this.client.send(
        new DeleteObjectCommand({ Bucket: this.location.bucket, Key: where, IfMatch: expected?.version }),
      );
    } catch (error) {
      // With a condition, an object already gone was removed by another publish: a conflict too.
      if (expected && (statusOf(error) === 412 || isNotFound(error))) {
        throw new WriteConflictError(`s3://${this.location.bucket}/${where} changed while this publish ran`);
      }
      throw error;
    }
  }

  list(prefix: string, startAfter?: string) {
    return listPages(this.client, this.location, prefix, startAfter);
  }
}

/** Published files in S3, each with its media type, Cache-Control and a content hash to skip identical rewrites. */
export class S3OutputStore implements OutputStore {
  constructor(
    private readonly client: S3Client,
    private readonly location: S3Location,
  ) {}

  async read(path: string): Promise<StoredText | undefined> {
    const found = await readObject(this.client, this.location.bucket, `${this.location.prefix}${path}`);
    return found && { text: new TextDecoder().decode(found.body), version: found.etag };
  }

  async write(file: FeedFile, revision: number): Promise<FileWrite> {
    const key = `${this.location.prefix}${file.path}`;
    const hash = sha256Hex(file.body);
    const current = await this.head(key);
    const theirs = revisionOf(current?.Metadata);
    // A publish that started from a later state wrote it: its bytes stay.
    if (theirs > revision) return { written: false };
    if (
      theirs === revision &&
      current?.Metadata?.sha256 === hash &&
      current.ContentType === file.contentType &&
      current.CacheControl === file.cacheControl
    ) {
      return { written: false, tag: current.ETag };
    }
    // Replace only the version just looked at, or create only if still absent: the look and
    // the write are one step, so no later revision can slip in between.
    const tag = await putConditionally(this.client, this.location.bucket, key, current?.ETag, {
      Body: file.body,
      ContentType: file.contentType,
      CacheControl: file.cacheControl,
      Metadata: { sha256: hash, revision: String(revision) },
    });
    return { written: true, tag };
  }

  async *list(): AsyncIterable<readonly OutputEntry[]> {
    for await (const page of listPages(this.client, this.location, '')) {
      yield page.flatMap((object) => (object.etag ? [{ path: object.key, tag: object.etag }] : []));
    }
  }

  async isOwn(path: string): Promise<boolean> {
    const current = await this.head(`${this.location.prefix}${path}`);
    return current !== undefined && revisionOf(current.Metadata) >= 0;
  }

  async delete(path: string, revision?: number): Promise<boolean> {
    const key = `${this.location.prefix}${path}`;
    const current = await this.head(key);
    if (!current || (revision !== undefined && revisionOf(current.Metadata) > revision)) return false;
    try {
      await this.client.send(
        new DeleteObjectCommand({ Bucket: this.location.bucket, Key: key, IfMatch: current.ETag }),
      );
    } catch (error) {
      // Deleted meanwhile by another publish: what this one wanted.
      if (isNotFound(error)) return false;
      if (statusOf(error) === 412) {
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

async function readObject(client: S3Client, bucket: string, key: string): Promise<RecordBody | undefined> {
  try {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!response.Body) throw new StoreReadError(`s3://${bucket}/${key} has no body`);
    return { body: await response.Body.transformToByteArray(), etag: response.ETag ?? '' };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function putConditionally(
  client: S3Client,
  bucket: string,
  key: string,
  etag: string | undefined,
  object: Omit<ConstructorParameters<typeof PutObjectCommand>[0], 'Bucket' | 'Key'>,
): Promise<string> {
  try {
    const response = await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        ...object,
        ...(etag ? { IfMatch: etag } : { IfNoneMatch: '*' }),
      }),
    );
    return response.ETag ?? '';
  } catch (error) {
    const status = statusOf(error);
    // S3 answers 404 to If-Match when the object is gone: another publish removed it.
    if (status === 412 || status === 409 || (etag && status === 404)) {
      throw new WriteConflictError(`s3://${bucket}/${key} changed while this publish ran`);
    }
    throw error;
  }
}

/** A listing, one page (up to 1,000 keys) at a time: memory stays flat however many records there are. */
async function* listPages(
  client: S3Client,
  location: S3Location,
  prefix: string,
  startAfter?: string,
): AsyncIterable<{ key: string; lastModified: number; etag?: string }[]> {
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: location.bucket,
        Prefix: `${location.prefix}${prefix}`,
        ContinuationToken: token,
        StartAfter: token || startAfter === undefined ? undefined : `${location.prefix}${startAfter}`,
      }),
    );
    yield (page.Contents ?? []).flatMap((object) =>
      object.Key
        ? [
            {
              key: object.Key.slice(location.prefix.length),
              lastModified: object.LastModified?.getTime() ?? 0,
              etag: object.ETag,
            },
          ]
        : [],
    );
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** The revision a published file was rendered from; files written before revisions count as -1. */
function revisionOf(metadata: Record<string, string> | undefined): number {
  const value = Number(metadata?.revision);
  return metadata?.revision !== undefined && Number.isSafeInteger(value) ? value : -1;
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function isNotFound(error: unknown): boolean {
  const failure = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    failure.name === 'NotFound' || failure.name === 'NoSuchKey' || failure.$metadata?.httpStatusCode === 404
  );
}
