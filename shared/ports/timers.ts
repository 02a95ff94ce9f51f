import { createHash } from 'node:crypto';
import type * as z from 'zod';
import type { EventDefinition } from '#events/envelope.ts';

/**
 * A one-time timer: at `at`, the event is published on the bus with this detail, once. The name is
 * built from facts that cannot change between two deliveries of what sets it (a lead, the message
 * a follow-up follows, a step), so a retry finds the timer the first attempt set.
 */
export interface TimerRequest<S extends z.ZodType = z.ZodType> {
  /** At most 64 characters of `[0-9A-Za-z_.-]` (EventBridge Scheduler's schedule names). */
  name: string;
  at: Date;
  event: EventDefinition<S>;
  detail: z.input<S>;
}

/**
 * Timers that publish an event when they fire (EventBridge Scheduler one-time schedules in the
 * cloud, deleted after they run; the local runtime's stand-in of the same API). What fires is an
 * ordinary event, routed by the topology like any other.
 */
export interface Timers {
  /**
   * Sets the timer; a timer already set under the name is kept as it is (false). A time already
   * past publishes the event at once.
   */
  set<S extends z.ZodType>(timer: TimerRequest<S>): Promise<boolean>;
  /** Removes a pending timer; one that fired already or was never set is no error. */
  cancel(name: string): Promise<void>;
}

/** A timer name from its parts: `[0-9A-Za-z_.-]` only, at most 64 characters (longer parts are hashed by the caller). */
export const TIMER_NAME = /^[0-9A-Za-z_.-]{1,64}$/;

/**
 * A timer's name from a kind, its lead, the fact it belongs to (hashed: ids may be long or hold
 * other characters) and a step: `<kind>-<leadId>-<10 hex>-<step>`, the same for every retry.
 */
export const timerName = (kind: string, leadId: string, fact: string, step: string | number): string =>
  `${kind}-${leadId}-${createHash('sha256').update(fact).digest('hex').slice(0, 10)}-${step}`;
