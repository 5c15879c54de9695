import type { FeedPublisherContext } from './feed-publisher-stack.ts';

/** Reads the deploy-time options from CDK context; `-c` values arrive as text, so numbers are parsed here. */
export function readContext(get: (name: string) => unknown): FeedPublisherContext {
  const text = (name: string): string | undefined => {
    const value = get(name);
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string')
      throw new Error(`context ${name} must be text, got ${JSON.stringify(value)}`);
    return value;
  };
  const minutes = get('reconcileMinutes');
  const reconcileMinutes = minutes === undefined ? undefined : Number(minutes);
  if (reconcileMinutes !== undefined && !Number.isInteger(reconcileMinutes)) {
    throw new Error(
      `context reconcileMinutes must be a whole number of minutes, got ${JSON.stringify(minutes)}`,
    );
  }
  return {
    domainName: text('domainName'),
    certificateArn: text('certificateArn'),
    hubUrl: text('hubUrl'),
    alarmEmail: text('alarmEmail'),
    reconcileMinutes,
    content: text('content'),
  };
}
