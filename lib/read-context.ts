import { nearestOf } from '../lambda/core/nearest-name.ts';
import type { FeedPublisherContext } from './feed-publisher-stack.ts';

/** The `-c` options the app reads. */
export const contextOptions = [
  'stackName',
  'domainName',
  'certificateArn',
  'hubUrl',
  'alarmEmail',
  'reconcileMinutes',
  'content',
] as const;

/** A deploy option that is wrong, named as the operator typed it (`-c name=...`). */
export class ContextOptionError extends Error {
  override readonly name = 'ContextOptionError';
}

/**
 * Context keys that look like the operator's own options but are none of ours, with the nearest
 * one: `-c domain=...` would otherwise deploy without the domain. Keys of CDK itself and of its
 * feature flags (`@aws-cdk/...`, `aws:cdk:...`, lookups cached as `...:account=...`) are left alone.
 */
export function checkContextNames(names: readonly string[]): void {
  const problems = names
    .filter((name) => !name.includes(':') && !name.startsWith('@'))
    .filter((name) => !(contextOptions as readonly string[]).includes(name))
    .map((name) => {
      const nearest = nearestOf(name, contextOptions);
      return `-c ${name}: unknown option${nearest ? `; did you mean -c ${nearest}?` : ''}`;
    });
  if (problems.length > 0) {
    throw new ContextOptionError(
      `${problems.join('\n')}\nknown options: ${contextOptions.map((name) => `-c ${name}`).join(', ')}`,
    );
  }
}

/** Reads the deploy-time options from CDK context; `-c` values arrive as text, so numbers are parsed here. */
export function readContext(get: (name: string) => unknown): FeedPublisherContext {
  const text = (name: string): string | undefined => {
    const value = get(name);
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string')
      throw new ContextOptionError(`-c ${name} must be text, got ${JSON.stringify(value)}`);
    return value;
  };
  const minutes = get('reconcileMinutes');
  const reconcileMinutes = minutes === undefined ? undefined : Number(minutes);
  if (reconcileMinutes !== undefined && !Number.isInteger(reconcileMinutes)) {
    throw new ContextOptionError(
      `-c reconcileMinutes must be a whole number of minutes, got ${JSON.stringify(minutes)}`,
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
