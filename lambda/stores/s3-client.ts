import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/**
 * The S3 client the publisher uses; create one per process. Checksums only when S3 requires them keeps the client compatible
 * with S3-compatible servers used in tests.
 */
export function createS3Client(endpoint?: string, config: S3ClientConfig = {}): S3Client {
  return new S3Client({
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // S3-compatible servers (MinIO, test servers) address buckets by path, not by host name.
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    ...config,
  });
}
