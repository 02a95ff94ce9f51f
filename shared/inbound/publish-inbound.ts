import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import { LeadMessageReceived } from '#events/catalog.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';

export type InboundMessage = z.input<(typeof LeadMessageReceived)['schema']>;

export interface PublishOutcome {
  messageId: string;
  /** True when this provider message id was published before (a provider's retry). */
  duplicate: boolean;
}

/**
 * Publishes `Lead Message Received` once per provider message id. The idempotency record is
 * written IN_PROGRESS before publishing and COMPLETED after; if publishing fails it is removed,
 * so the provider's retry publishes instead of being swallowed.
 */
export const createInboundPublisher = (deps: {
  publisher: EventPublisher;
  persistenceStore: BasePersistenceLayer;
  keyPrefix: string;
}) => {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'providerMessageId',
    expiresAfterSeconds: 3 * 24 * 3600,
    // Called only when the answer comes from the store, i.e. for a repeat.
    responseHook: (response) => ({ ...(response as unknown as PublishOutcome), duplicate: true }),
  });
  const publishOnce = makeIdempotent(
    async (message: InboundMessage): Promise<PublishOutcome> => {
      await deps.publisher.publish(LeadMessageReceived, message);
      return { messageId: message.messageId, duplicate: false };
    },
    { persistenceStore: deps.persistenceStore, config, keyPrefix: deps.keyPrefix },
  );
  return {
    publish: (message: InboundMessage) => publishOnce(message) as Promise<PublishOutcome>,
    /** An in-progress record then expires with the invocation, so a retry after a crash publishes. */
    registerLambdaContext: (context: Context) => config.registerLambdaContext(context),
  };
};
