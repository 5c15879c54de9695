import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { ConfigurationError } from './aws/config.ts';
import { createStatsHandler } from './stats/stats-handler.ts';
import { S3LogSource } from './stores/log-sources.ts';
import { S3StateStore } from './stores/s3.ts';
import { createS3Client } from './stores/s3-client.ts';

/** What the statistics function needs from its environment, read once at start. */
export function readStatsConfig(env: NodeJS.ProcessEnv) {
  if (!env.STATE_BUCKET) throw new ConfigurationError('missing environment variable: STATE_BUCKET');
  return {
    stateBucket: env.STATE_BUCKET,
    serviceName: env.POWERTOOLS_SERVICE_NAME || 'feed-publisher',
    s3Endpoint: env.AWS_ENDPOINT_URL_S3 || undefined,
  };
}

const config = readStatsConfig(process.env);
const s3 = createS3Client(config.s3Endpoint);

/** The statistics function's entry point (lib/publisher-statistics.ts). */
export const handler = createStatsHandler({
  state: new S3StateStore(s3, { bucket: config.stateBucket, prefix: '' }),
  logsIn: (bucket) => new S3LogSource(s3, { bucket, prefix: '' }),
  random: () => randomBytes(32),
  now: () => new Date(),
  logger: new Logger({ serviceName: config.serviceName }),
});
