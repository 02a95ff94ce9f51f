import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type * as z from 'zod';
import type { EventDefinition } from '#events/envelope.ts';
import { TransientError } from '#shared/ports/errors.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';

export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish<S extends z.ZodType>(event: EventDefinition<S>, detail: z.input<S>): Promise<void> {
    // Producers validate before publishing (ARCHITECTURE.md, "Decisions"): a bad event fails here, not downstream.
    const valid = event.schema.parse(detail);
    const result = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.busName,
            Source: event.source,
            DetailType: event.detailType,
            Detail: JSON.stringify(valid),
          },
        ],
      }),
    );
    // PutEvents can succeed as a call with entries failed inside it.
    if (result.FailedEntryCount) {
      const entry = result.Entries?.[0];
      throw new TransientError(
        `PutEvents rejected "${event.detailType}": ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim(),
      );
    }
  }
}
