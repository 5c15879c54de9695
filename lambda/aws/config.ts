export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** What the publish function needs from its environment, read once at start. */
export interface HandlerConfig {
  readonly contentBucket: string;
  /** Key prefix of site.json and articles/ in the content bucket: '' or ending with '/'. */
  readonly contentPrefix: string;
  readonly feedsBucket: string;
  /** Key prefix of the published files in the feeds bucket: '' or ending with '/'. */
  readonly feedsPrefix: string;
  /** The publisher's own state: a bucket CloudFront has no route to. */
  readonly stateBucket: string;
  /** Key prefix of the state in the state bucket: '' or ending with '/'. */
  readonly statePrefix: string;
  /** Overrides site.json's feedBaseUrl with where the feeds are really served. */
  readonly feedBaseUrl?: string;
  /** CloudFront distribution whose copies of changed files are invalidated after a publish. */
  readonly distributionId?: string;
  /** WebSub hub to notify after a publish (and to announce in the feeds). */
  readonly hubUrl?: string;
  /** Where the one-time "next embargo or expiry" schedule lives, and the role it runs as. */
  readonly schedule?: {
    readonly group: string;
    readonly name: string;
    readonly roleArn: string;
    /** Where EventBridge Scheduler puts an invocation that failed after its retries. */
    readonly deadLetterArn?: string;
  };
  /** Where a deploy stages records in the content bucket, to become records only where none exist. */
  readonly importPrefix?: string;
  /** SQS queue a rebuild's steps are spread over; without it a rebuild runs in one invocation. */
  readonly rebuildQueueUrl?: string;
  /** CloudWatch namespace of the publish metrics. */
  readonly metricsNamespace: string;
  /** The metrics' `service` dimension and the logs' service: one per stack. */
  readonly serviceName: string;
  /** S3-compatible endpoint (the standard AWS_ENDPOINT_URL_S3); unset in AWS. */
  readonly s3Endpoint?: string;
}

/** Reads the configuration and fails fast, naming every missing or malformed variable. */
export function readHandlerConfig(env: NodeJS.ProcessEnv): HandlerConfig {
  const missing = ['CONTENT_BUCKET', 'FEEDS_BUCKET', 'STATE_BUCKET'].filter((name) => !env[name]);
  if (missing.length > 0)
    throw new ConfigurationError(`missing environment variables: ${missing.join(', ')}`);
  const scheduleParts = ['SCHEDULE_GROUP', 'SCHEDULE_NAME', 'SCHEDULER_ROLE_ARN'];
  const givenScheduleParts = scheduleParts.filter((name) => env[name]);
  if (givenScheduleParts.length > 0 && givenScheduleParts.length < scheduleParts.length) {
    throw new ConfigurationError(
      `set all of ${scheduleParts.join(', ')} or none; got only ${givenScheduleParts.join(', ')}`,
    );
  }
  for (const name of ['FEED_BASE_URL', 'HUB_URL']) {
    const value = env[name];
    if (value && !URL.canParse(value)) throw new ConfigurationError(`${name} '${value}' is not a URL`);
  }
  return {
    contentBucket: env.CONTENT_BUCKET ?? '',
    contentPrefix: asPrefix(env.CONTENT_PREFIX),
    feedsBucket: env.FEEDS_BUCKET ?? '',
    feedsPrefix: asPrefix(env.FEEDS_PREFIX),
    stateBucket: env.STATE_BUCKET ?? '',
    statePrefix: asPrefix(env.STATE_PREFIX),
    feedBaseUrl: env.FEED_BASE_URL || undefined,
    distributionId: env.DISTRIBUTION_ID || undefined,
    hubUrl: env.HUB_URL || undefined,
    schedule:
      givenScheduleParts.length === scheduleParts.length
        ? {
            group: env.SCHEDULE_GROUP ?? '',
            name: env.SCHEDULE_NAME ?? '',
            roleArn: env.SCHEDULER_ROLE_ARN ?? '',
            deadLetterArn: env.SCHEDULE_DEAD_LETTER_ARN || undefined,
          }
        : undefined,
    rebuildQueueUrl: env.REBUILD_QUEUE_URL || undefined,
    importPrefix: env.IMPORT_PREFIX ? asPrefix(env.IMPORT_PREFIX) : undefined,
    metricsNamespace: env.METRICS_NAMESPACE || 'FeedPublisher',
    serviceName: env.POWERTOOLS_SERVICE_NAME || 'feed-publisher',
    s3Endpoint: env.AWS_ENDPOINT_URL_S3 || undefined,
  };
}

function asPrefix(value: string | undefined): string {
  if (!value) return '';
  const trimmed = value.replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}
