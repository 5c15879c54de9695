import {
  ActionAfterCompletion,
  CreateScheduleCommand,
  FlexibleTimeWindowMode,
  ResourceNotFoundException,
  SchedulerClient,
  type SchedulerClientConfig,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';

export interface NextChangeSchedule {
  readonly group: string;
  readonly name: string;
  /** The function to invoke: this one. */
  readonly targetArn: string;
  /** The role EventBridge Scheduler assumes to invoke it. */
  readonly roleArn: string;
  /** Where an invocation that still fails after the retries goes. */
  readonly deadLetterArn?: string;
}

/**
 * When to fire for a change due at `at`: EventBridge Scheduler runs an `at()` schedule anywhere
 * within its minute, so the time is rounded up to a whole minute (never before the embargo),
 * and at least a minute ahead, so the schedule is never set in the past.
 */
export function scheduleInstant(at: Date, now: Date): Date {
  const earliest = Math.max(at.getTime(), now.getTime() + 60_000);
  return new Date(Math.ceil(earliest / 60_000) * 60_000);
}

/**
 * The function's ARN without a version or alias: a run started through a version (the
 * post-deploy trigger) must not schedule that version, which the next deploy removes.
 */
export function unqualifiedFunctionArn(arn: string): string {
  return arn.split(':').slice(0, 7).join(':');
}

/**
 * Sets a one-time EventBridge schedule to publish again at `at`, when the next embargo lifts or
 * article expires. One schedule, moved on every publish; it deletes itself after it fires.
 */
export async function scheduleNextChange(
  client: SchedulerClient,
  schedule: NextChangeSchedule,
  at: Date,
  now: Date,
): Promise<void> {
  const input = {
    GroupName: schedule.group,
    Name: schedule.name,
    ScheduleExpression: `at(${scheduleInstant(at, now).toISOString().slice(0, 19)})`,
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: FlexibleTimeWindowMode.OFF },
    ActionAfterCompletion: ActionAfterCompletion.DELETE,
    Target: {
      Arn: unqualifiedFunctionArn(schedule.targetArn),
      RoleArn: schedule.roleArn,
      Input: JSON.stringify({ source: 'feed-publisher.next-change', at: at.toISOString() }),
      // A throttled or failed invocation is tried again for an hour, then kept for an operator.
      RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
      ...(schedule.deadLetterArn ? { DeadLetterConfig: { Arn: schedule.deadLetterArn } } : {}),
    },
    Description: 'Publish when the next embargo lifts or article expires',
  };
  try {
    await client.send(new UpdateScheduleCommand(input));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateScheduleCommand(input));
  }
}

export function createSchedulerClient(
  endpoint?: string,
  config: SchedulerClientConfig = {},
): SchedulerClient {
  return new SchedulerClient({ ...(endpoint ? { endpoint } : {}), ...config });
}
