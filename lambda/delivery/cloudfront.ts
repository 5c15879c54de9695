import { createHash } from 'node:crypto';
import {
  CloudFrontClient,
  type CloudFrontClientConfig,
  CreateInvalidationCommand,
} from '@aws-sdk/client-cloudfront';

/** Asks CloudFront to drop its copies of `paths`: one invalidation per publish. */
export async function invalidate(
  client: CloudFrontClient,
  distributionId: string,
  paths: readonly string[],
  now: Date,
): Promise<string | undefined> {
  if (paths.length === 0) return undefined;
  const reference = createHash('sha256')
    .update(`${now.toISOString()}\n${paths.join('\n')}`)
    .digest('hex')
    .slice(0, 32);
  const response = await client.send(
    new CreateInvalidationCommand({
      DistributionId: distributionId,
      InvalidationBatch: { CallerReference: reference, Paths: { Quantity: paths.length, Items: [...paths] } },
    }),
  );
  return response.Invalidation?.Id;
}

export function createCloudFrontClient(
  endpoint?: string,
  config: CloudFrontClientConfig = {},
): CloudFrontClient {
  return new CloudFrontClient({ ...(endpoint ? { endpoint } : {}), ...config });
}
