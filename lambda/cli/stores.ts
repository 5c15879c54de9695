import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { StatePlaces } from '../core/state/site-state.ts';
import { FsOutputStore, FsRecordStore, FsStateStore } from '../stores/fs.ts';
import type { OutputStore, RecordStore, StateStore } from '../stores/ports.ts';
import { type S3Location, S3OutputStore, S3RecordStore, S3StateStore } from '../stores/s3.ts';
import { createS3Client } from '../stores/s3-client.ts';

/** Where the CLI reads, writes and remembers: folders, or S3 buckets given as s3://bucket/prefix. */
export interface CliPlaces {
  readonly content: string;
  /** The site's own templates (default: templates/ beside a content folder). */
  readonly templates?: string;
  /** A folder, or s3://... (the same as --bucket). */
  readonly out: string;
  readonly bucket?: string;
  readonly state?: string;
  readonly endpoint?: string;
  readonly region?: string;
}

export interface CliStores {
  readonly records: RecordStore;
  readonly output: OutputStore;
  readonly state: StateStore;
  /** Where the output goes, as the user would name it. */
  readonly outputName: string;
  /** The output and content the state belongs to, as the state records them. */
  readonly places: StatePlaces;
  /** Closes what the stores opened (the S3 client's connections). */
  close(): void;
}

/** A mistake in the places given: exit 2. */
export class PlaceError extends Error {
  override readonly name = 'PlaceError';
}

/**
 * Where a site's own templates are: the folder given, or `templates/` beside the content folder,
 * as Hugo keeps `layouts/` beside `content/` (in a bucket they are under the content's prefix).
 */
export function templatesFolder(content: string, given?: string): string {
  return resolve(given ?? join(dirname(resolve(content)), 'templates'));
}

/** `s3://bucket/some/prefix` -> bucket and prefix ('' or ending in '/'); undefined for a folder. */
export function parseS3Url(value: string): S3Location | undefined {
  if (!value.startsWith('s3://')) return undefined;
  const [bucket = '', ...rest] = value.slice('s3://'.length).split('/');
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new PlaceError(`'${value}' does not name an S3 bucket (s3://bucket-name/optional/prefix)`);
  }
  const prefix = rest.filter((part) => part !== '').join('/');
  return { bucket, prefix: prefix === '' ? '' : `${prefix}/` };
}

/**
 * The stores for a CLI publish. Credentials come from the standard AWS chain (environment,
 * profile, SSO, instance role); `endpoint` points at any S3-compatible server.
 */
export function openCliStores(places: CliPlaces): CliStores {
  const bucketUrl = places.bucket ?? (places.out.startsWith('s3://') ? places.out : undefined);
  const outBucket = bucketUrl === undefined ? undefined : parseS3Url(bucketUrl);
  const contentBucket = parseS3Url(places.content);
  const stateBucket = places.state === undefined ? undefined : parseS3Url(places.state);
  const needsS3 = outBucket ?? contentBucket ?? stateBucket;
  const client = needsS3
    ? createS3Client(places.endpoint, places.region ? { region: places.region } : {})
    : undefined;
  const s3 = () => {
    if (!client) throw new PlaceError('no S3 client');
    return client;
  };
  const outRoot = resolve(places.out);
  const stateRoot = resolve(places.state ?? defaultStateFolder(outBucket, outRoot));
  if (!outBucket && !stateBucket && `${stateRoot}/`.startsWith(`${outRoot}/`)) {
    throw new PlaceError(`--state ${stateRoot} is inside --out ${outRoot}: the state would be published`);
  }
  if (outBucket && stateBucket && outBucket.bucket === stateBucket.bucket) {
    throw new PlaceError(
      `--state ${places.state} is in the feeds bucket: the state would be published; give it a bucket of its own`,
    );
  }
  if (places.state === undefined && !outBucket) adoptSharedStateFolder(outRoot, stateRoot);
  // A folder is named relative to the state, so moving the project with its state keeps them paired.
  const placeName = (location: S3Location | undefined, folder: string) =>
    location
      ? `s3://${location.bucket}/${location.prefix}`
      : stateBucket
        ? folder
        : relative(stateRoot, folder).split(sep).join('/') || '.';
  return {
    records: contentBucket
      ? new S3RecordStore(s3(), contentBucket)
      : new FsRecordStore(resolve(places.content), templatesFolder(places.content, places.templates)),
    output: outBucket ? new S3OutputStore(s3(), outBucket) : new FsOutputStore(outRoot),
    state: stateBucket ? new S3StateStore(s3(), stateBucket) : new FsStateStore(stateRoot),
    outputName: outBucket ? `s3://${outBucket.bucket}/${outBucket.prefix}` : `${outRoot}/`,
    places: {
      output: placeName(outBucket, outRoot),
      content: placeName(contentBucket, resolve(places.content)),
    },
    close: () => client?.destroy(),
  };
}

/**
 * Each output has a state of its own, beside it and never inside it (the state holds drafts and
 * embargoed text): `public/` keeps it in `.publisher/public/`; a bucket in `.publisher/s3/<bucket>/`.
 */
function defaultStateFolder(outBucket: S3Location | undefined, outRoot: string): string {
  if (outBucket) return join('.publisher', 's3', outBucket.bucket, ...outBucket.prefix.split('/'));
  return join(dirname(outRoot), '.publisher', basename(outRoot));
}

/** What a state folder holds at its top. */
const stateEntries = ['publisher.json', 'records', 'sets', 'ids', 'departed', 'output', 'rebuilds'];

/**
 * Earlier versions kept one `.publisher/` for every output beside it. The first output published
 * since takes that state over, into its own folder, so no id or last good version is lost.
 */
function adoptSharedStateFolder(outRoot: string, stateRoot: string): void {
  const shared = join(dirname(outRoot), '.publisher');
  if (!existsSync(join(shared, 'publisher.json')) || existsSync(stateRoot)) return;
  if (stateEntries.includes(basename(outRoot))) return;
  mkdirSync(stateRoot, { recursive: true });
  for (const entry of stateEntries) {
    if (existsSync(join(shared, entry))) renameSync(join(shared, entry), join(stateRoot, entry));
  }
}
