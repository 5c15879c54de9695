import { readHandlerConfig } from './aws/config.ts';
import { createHandler } from './aws/publish-handler.ts';
import { createTelemetry } from './aws/telemetry.ts';
import { createCloudFrontClient } from './delivery/cloudfront.ts';
import { createSchedulerClient } from './delivery/next-change-schedule.ts';
import { createS3Client } from './stores/s3-client.ts';
import { createSqsClient } from './stores/sqs.ts';

export type { PublishResponse } from './aws/publish-handler.ts';

const config = readHandlerConfig(process.env);

/** The Lambda entry point: configuration is read once, at cold start, and a bad one fails fast. */
export const handler = createHandler({
  config,
  s3: createS3Client(config.s3Endpoint),
  cloudFront: createCloudFrontClient(process.env.AWS_ENDPOINT_URL_CLOUDFRONT),
  scheduler: createSchedulerClient(process.env.AWS_ENDPOINT_URL_SCHEDULER),
  sqs: createSqsClient(process.env.AWS_ENDPOINT_URL_SQS),
  telemetry: createTelemetry({ namespace: config.metricsNamespace, service: config.serviceName }),
});
