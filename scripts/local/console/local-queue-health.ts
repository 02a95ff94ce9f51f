import type { QueueHealthView, RedriveResult } from '#shared/console/views.ts';
import { type QueueHealth, UnknownSubscriberError } from '#shared/ports/queue-health.ts';
import type { DurableQueue } from '../durable-queue.ts';

const ageSeconds = (queue: DurableQueue): number | undefined => {
  const oldest = queue.oldestSentTimestamp();
  return oldest === undefined ? undefined : Math.max(0, Math.round((queue.now() - oldest) / 1000));
};

/**
 * The local runtime's queues as the console sees them: the same numbers SQS would give, read from
 * the queue objects the pollers use (so a redrive here is safe while the pipeline runs).
 */
export class LocalQueueHealth implements QueueHealth {
  constructor(
    private readonly queues: ReadonlyMap<string, { queue: DurableQueue; deadLetter: DurableQueue }>,
    private readonly onRedrive: (subscriber: string, moved: number) => void = () => undefined,
  ) {}

  async list(): Promise<QueueHealthView[]> {
    return [...this.queues].map(([subscriber, { queue, deadLetter }]) => {
      const stats = queue.stats();
      const dead = deadLetter.stats();
      const oldest = ageSeconds(queue);
      const deadOldest = ageSeconds(deadLetter);
      return {
        subscriber,
        visible: stats.visible,
        inFlight: stats.inFlight,
        delayed: stats.delayed,
        ...(oldest !== undefined && { oldestAgeSeconds: oldest }),
        deadLettered: dead.visible + dead.inFlight + dead.delayed,
        ...(deadOldest !== undefined && { deadLetterOldestAgeSeconds: deadOldest }),
      };
    });
  }

  async redrive(subscriber: string): Promise<RedriveResult> {
    const queues = this.queues.get(subscriber);
    if (!queues) throw new UnknownSubscriberError(`No subscriber "${subscriber}"`);
    const moved = await queues.deadLetter.moveMessagesTo(queues.queue);
    this.onRedrive(subscriber, moved);
    return { subscriber, messages: moved };
  }
}
