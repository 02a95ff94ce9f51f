import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type * as z from 'zod';
import { now } from '#shared/clock.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import { TIMER_NAME, type TimerRequest, type Timers } from '#shared/ports/timers.ts';

/** Where the schedules go and what they may do: the group, the bus they publish to, the role they assume. */
export interface SchedulerTarget {
  groupName: string;
  busArn: string;
  roleArn: string;
}

/** A timer closer than this is published at once: a one-time schedule fires at minute granularity. */
const AT_ONCE_MS = 60_000;

/** `at(yyyy-mm-ddThh:mm:ss)` in UTC (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#one-time). */
const atExpression = (at: Date) => `at(${at.toISOString().slice(0, 19)})`;

/**
 * Timers as EventBridge Scheduler one-time schedules whose target is the Leadline bus: when one
 * fires, Scheduler puts the event on the bus (`EventBridgeParameters`: the event's source and
 * detail-type, the detail as `Input`) and deletes the schedule (`ActionAfterCompletion: DELETE`).
 * The schedule's name is the timer's, so a second `set` meets `ConflictException` and keeps the
 * first. Scheduler retries the target for up to a day.
 */
export class EventBridgeSchedulerTimers implements Timers {
  constructor(
    private readonly client: SchedulerClient,
    private readonly target: SchedulerTarget,
    private readonly publisher: EventPublisher,
  ) {}

  async set<S extends z.ZodType>(timer: TimerRequest<S>): Promise<boolean> {
    if (!TIMER_NAME.test(timer.name)) throw new Error(`Not a schedule name: ${timer.name}`);
    // Producers validate before publishing: a bad detail fails now, not when the timer fires.
    const detail = timer.event.schema.parse(timer.detail);
    if (timer.at.getTime() - now().getTime() < AT_ONCE_MS) {
      await this.publisher.publish(timer.event, timer.detail);
      return true;
    }
    try {
      await this.client.send(
        new CreateScheduleCommand({
          Name: timer.name,
          GroupName: this.target.groupName,
          ScheduleExpression: atExpression(timer.at),
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: this.target.busArn,
            RoleArn: this.target.roleArn,
            Input: JSON.stringify(detail),
            EventBridgeParameters: { Source: timer.event.source, DetailType: timer.event.detailType },
            RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConflictException) return false;
      throw error;
    }
  }

  async cancel(name: string): Promise<void> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.target.groupName }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
}
