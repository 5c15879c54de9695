import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/**
 * One S3 client per process. Checksums only when S3 requires them keeps the client compatible
 * with S3-compatible servers used in tests.
 */
export function createS3Client(config: S3ClientConfig = {}): S3Client {
  return new S3Client({
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...config,
  });
}
