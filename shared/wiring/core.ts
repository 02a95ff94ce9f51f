import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { dynamoClient, eventBridgeClient } from '#shared/adapters/aws/clients.ts';
import { EventBridgePublisher } from '#shared/adapters/aws/eventbridge-publisher.ts';
import { readStorageSettings } from '#shared/config/settings.ts';

/**
 * What every function needs, webhooks included: the bus and the idempotency table. Kept apart
 * from the pipeline's providers (`wiring/pipeline.ts`) so a webhook bundle carries none of them.
 * Each dependency is built on first use and kept for the life of the process (a Lambda
 * execution environment).
 */
export const once = <T>(build: () => T): (() => T) => {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
};

export const storageSettings = once(readStorageSettings);

export const eventPublisher = once(
  () => new EventBridgePublisher(eventBridgeClient(), storageSettings().EVENT_BUS_NAME),
);

/**
 * A persistence layer takes the configuration of the first idempotent function it serves, so each
 * idempotent operation gets its own (they share the table and the DynamoDB client).
 */
export const newIdempotencyStore = () =>
  new DynamoDBPersistenceLayer({
    tableName: storageSettings().IDEMPOTENCY_TABLE_NAME,
    awsSdkV3Client: dynamoClient(),
  });
