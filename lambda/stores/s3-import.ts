import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

export interface RecordImport {
  /** Records that did not exist yet and were created. */
  readonly imported: readonly string[];
  /** Records that already existed: the bucket's version was kept. */
  readonly kept: readonly string[];
}

/**
 * Records a deploy staged under `stagingPrefix` become records under `contentPrefix`, each only
 * where no record exists yet (`If-None-Match: *`), so a deploy never overwrites a record written
 * to the bucket directly. Staged objects are removed once handled.
 */
export async function importStagedRecords(
  client: S3Client,
  bucket: string,
  stagingPrefix: string,
  contentPrefix: string,
): Promise<RecordImport> {
  const imported: string[] = [];
  const kept: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: `${stagingPrefix}articles/`,
        ContinuationToken: token,
      }),
    );
    for (const { Key } of page.Contents ?? []) {
      if (!Key || Key.endsWith('/')) continue;
      const record = Key.slice(stagingPrefix.length);
      const staged = await client.send(new GetObjectCommand({ Bucket: bucket, Key }));
      const body = await staged.Body?.transformToByteArray();
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: `${contentPrefix}${record}`,
            Body: body,
            IfNoneMatch: '*',
          }),
        );
        imported.push(record);
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status !== 412 && status !== 409) throw error;
        kept.push(record);
      }
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { imported, kept };
}
