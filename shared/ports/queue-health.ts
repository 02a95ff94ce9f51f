import type { QueueHealthView, RedriveResult } from '#shared/console/views.ts';

/** The pipeline's queues as operators see them: depth and age per subscriber, and redrive. */
export interface QueueHealth {
  /** Every topology subscriber's queue and dead-letter queue, in topology order. */
  list(): Promise<QueueHealthView[]>;
  /** Moves the subscriber's dead-lettered messages back to its queue. Throws `UnknownSubscriberError` for a name not in the topology. */
  redrive(subscriber: string): Promise<RedriveResult>;
}

export class UnknownSubscriberError extends Error {
  override readonly name = 'UnknownSubscriberError';
}
