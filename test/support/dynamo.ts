import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll } from 'vitest';
import { DynamoLeadStore } from '#shared/adapters/aws/dynamo-lead-store.ts';
import { createTables, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../scripts/local/aws-stand-ins.ts';

export const TEST_TABLES = { leads: 'test-leads', idempotency: 'test-idempotency' };

/** An in-memory DynamoDB (dynalite) with the stack's tables, reached through the real SDK client. */
export const startTestDynamo = async () => {
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await createTables(endpoint, TEST_TABLES);
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return {
    endpoint,
    client,
    documents,
    stop: async () => {
      client.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
};

/**
 * A `DynamoLeadStore` on a fresh in-memory DynamoDB for the enclosing `describe`: started before
 * its tests, stopped after. Read `store` inside tests (it is set once the hook has run).
 */
export const useTestLeadStore = () => {
  const context = {} as { store: DynamoLeadStore; dynamo: Awaited<ReturnType<typeof startTestDynamo>> };
  beforeAll(async () => {
    context.dynamo = await startTestDynamo();
    context.store = new DynamoLeadStore(context.dynamo.documents, TEST_TABLES.leads);
  });
  afterAll(async () => {
    await context.dynamo.stop();
  });
  return context;
};
