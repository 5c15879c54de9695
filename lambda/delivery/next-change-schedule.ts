import {
  ActionAfterCompletion,
  CreateScheduleCommand,
  FlexibleTimeWindowMode,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';

export interface NextChangeSchedule {
  readonly group: string;
  readonly name: string;
  /** The function to invoke: this one. */
  readonly targetArn: string;
  /** The role EventBridge Scheduler assumes to invoke it. */
  readonly roleArn: string;
}

/**
 * Sets a one-time EventBridge schedule to publish again at `at`, when the next embargo lifts or
 * article expires. One schedule, moved on every publish; it deletes itself after it fires.
 */
export async function scheduleNextChange(
  client: SchedulerClient,
  schedule: NextChangeSchedule,
  at: Date,
): Promise<void> {
  // `at()` takes whole seconds; round up so the publish never runs before the instant.
  const seconds = new Date(Math.ceil(at.getTime() / 1000) * 1000);
  const input = {
    GroupName: schedule.group,
    Name: schedule.name,
    ScheduleExpression: `at(${seconds.toISOString().slice(0, 19)})`,
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: FlexibleTimeWindowMode.OFF },
    ActionAfterCompletion: ActionAfterCompletion.DELETE,
    Target: {
      Arn: schedule.targetArn,
      RoleArn: schedule.roleArn,
      Input: JSON.stringify({ source: 'feed-publisher.next-change', at: at.toISOString() }),
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

export function createSchedulerClient(endpoint?: string): SchedulerClient {
  return new SchedulerClient(endpoint ? { endpoint } : {});
}
