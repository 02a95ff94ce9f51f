import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { dynamoClient } from '#shared/adapters/aws/clients.ts';
import { storageSettings } from './core.ts';

/**
 * Powertools idempotency records in the idempotency table. A persistence layer takes the
 * configuration of the first idempotent function it serves, so each idempotent operation gets its
 * own (they share the table and the DynamoDB client). Consumers that dedupe by their own writes
 * never load this module (`shared/lambda/sqs-consumer.ts`).
 */
export const newIdempotencyStore = () =>
  new DynamoDBPersistenceLayer({
    tableName: storageSettings().IDEMPOTENCY_TABLE_NAME,
    awsSdkV3Client: dynamoClient(),
  });
