import type { EventDefinition } from '#events/envelope.ts';
import type { z } from 'zod';

export interface EventPublisher {
  /** Validates the detail against the event's schema, then publishes it. */
  publish<S extends z.ZodType>(event: EventDefinition<S>, detail: z.input<S>): Promise<void>;
}
