import { SchedulerClient } from '@aws-sdk/client-scheduler';
import * as z from 'zod';
import { EventBridgeSchedulerTimers } from '#shared/adapters/aws/eventbridge-scheduler-timers.ts';
import { readEnv } from '#shared/config/env.ts';
import type { Timers } from '#shared/ports/timers.ts';
import { eventPublisher, once } from './core.ts';

/**
 * Where timers go: EventBridge Scheduler (the stack sets the group, the bus's ARN and the role the
 * schedules assume; locally the runtime points the SDK at its stand-in, `AWS_ENDPOINT_URL_SCHEDULER`).
 */
export const readTimerSettings = (env: NodeJS.ProcessEnv = process.env) =>
  readEnv(
    {
      SCHEDULER_GROUP_NAME: z.string().min(1),
      SCHEDULER_TARGET_ROLE_ARN: z.string().startsWith('arn:'),
      EVENT_BUS_ARN: z.string().startsWith('arn:'),
    },
    env,
  );

export const timers = once((): Timers => {
  const settings = readTimerSettings();
  return new EventBridgeSchedulerTimers(
    new SchedulerClient({}),
    {
      groupName: settings.SCHEDULER_GROUP_NAME,
      busArn: settings.EVENT_BUS_ARN,
      roleArn: settings.SCHEDULER_TARGET_ROLE_ARN,
    },
    eventPublisher(),
  );
});
