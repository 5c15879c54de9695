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
  /** Overrides site.json's feedBaseUrl with where the feeds are really served. */
  readonly feedBaseUrl?: string;
  /** An S3-compatible endpoint (the standard AWS_ENDPOINT_URL_S3); unset in AWS. */
  readonly s3Endpoint?: string;
}

/** Reads the configuration and fails fast, naming every missing variable. */
export function readHandlerConfig(env: NodeJS.ProcessEnv): HandlerConfig {
  const missing = ['CONTENT_BUCKET', 'FEEDS_BUCKET'].filter((name) => !env[name]);
  if (missing.length > 0)
    throw new ConfigurationError(`missing environment variables: ${missing.join(', ')}`);
  return {
    contentBucket: env.CONTENT_BUCKET ?? '',
    contentPrefix: asPrefix(env.CONTENT_PREFIX),
    feedsBucket: env.FEEDS_BUCKET ?? '',
    feedsPrefix: asPrefix(env.FEEDS_PREFIX),
    feedBaseUrl: env.FEED_BASE_URL || undefined,
    s3Endpoint: env.AWS_ENDPOINT_URL_S3 || undefined,
  };
}

function asPrefix(value: string | undefined): string {
  if (!value) return '';
  const trimmed = value.replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}
