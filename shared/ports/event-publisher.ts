import type * as z from 'zod';
import type { EventDefinition } from '#events/envelope.ts';

export interface EventPublisher {
  /** Validates the detail against the event's schema, then publishes it. */
  publish<S extends z.ZodType>(event: EventDefinition<S>, detail: z.input<S>): Promise<void>;
}
