import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import S3rver from 's3rver';
import { LEADS_BY_ACTIVITY } from '#shared/adapters/aws/lead-table.ts';

export const LOCAL_REGION = 'us-east-1';
// s3rver accepts only its own key pair; dynalite and the EventBridge stand-in accept any.
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface TableNames {
  leads: string;
  idempotency: string;
}

/**
 * A leads table made before the index existed (an older `.data/`) is rebuilt with it: dynalite
 * accepts UpdateTable's index creation but never builds the index, so the items are copied out,
 * the table re-created and the items put back (AWS builds a new index itself).
 */
const addMissingLeadIndex = async (
  client: DynamoDBClient,
  definition: CreateTableCommandInput & { TableName: string },
) => {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: definition.TableName }));
  if (Table?.GlobalSecondaryIndexes?.some((i) => i.IndexName === LEADS_BY_ACTIVITY.indexName)) return;
  const documents = DynamoDBDocumentClient.from(client);
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateScan({ client: documents }, { TableName: definition.TableName })) {
    items.push(...(page.Items ?? []));
  }
  await client.send(new DeleteTableCommand({ TableName: definition.TableName }));
  await client.send(new CreateTableCommand({ ...definition, BillingMode: 'PAY_PER_REQUEST' }));
  for (const item of items)
    await documents.send(new PutCommand({ TableName: definition.TableName, Item: item }));
};

/**
 * The tables as the stack defines them: the leads table keyed (pk, sk) with its index of leads by
 * activity (`shared/adapters/aws/lead-table.ts`), the idempotency table keyed by Powertools' `id`.
 */
export const createTables = async (endpoint: string, tables: TableNames) => {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const leadsTable = {
    TableName: tables.leads,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' as const },
      { AttributeName: 'sk', AttributeType: 'S' as const },
      { AttributeName: LEADS_BY_ACTIVITY.partitionKey, AttributeType: 'S' as const },
      { AttributeName: LEADS_BY_ACTIVITY.sortKey, AttributeType: 'S' as const },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' as const },
      { AttributeName: 'sk', KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: LEADS_BY_ACTIVITY.indexName,
        KeySchema: [
          { AttributeName: LEADS_BY_ACTIVITY.partitionKey, KeyType: 'HASH' as const },
          { AttributeName: LEADS_BY_ACTIVITY.sortKey, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'ALL' as const },
      },
    ],
  };
  const definitions = [
    leadsTable,
    {
      TableName: tables.idempotency,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
    },
  ];
  for (const definition of definitions) {
    try {
      await client.send(new CreateTableCommand({ ...definition, BillingMode: 'PAY_PER_REQUEST' }));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
      if (definition === leadsTable) await addMissingLeadIndex(client, leadsTable);
    }
  }
  client.destroy();
};

/**
 * dynalite's server, run in a worker thread: its LevelDB work and HTTP parsing take a core of their
 * own instead of the one the functions run on (a lead costs the local runtime a third less CPU on
 * its main thread). Plain JavaScript, so it starts the same under tsx, vitest and node.
 */
const DYNALITE_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const dynalite = require(workerData.dynalite);
const server = dynalite({ path: workerData.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.once('error', (error) => parentPort.postMessage({ error: error.message }));
server.listen(workerData.port, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (message) => {
  if (message === 'close') server.close(() => parentPort.postMessage({ closed: true }));
});
`;

const startDynaliteWorker = async (options: { path: string; port: number }) => {
  const worker = new Worker(DYNALITE_WORKER, {
    eval: true,
    workerData: { ...options, dynalite: createRequire(import.meta.url).resolve('dynalite') },
  });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (message: { port?: number; error?: string }) =>
      message.port === undefined
        ? reject(new Error(`DynamoDB stand-in: ${message.error ?? 'did not start'}`))
        : resolve(message.port),
    );
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => worker.once('message', () => resolve()));
      worker.postMessage('close');
      await closed;
      await worker.terminate();
    },
  };
};

/**
 * DynamoDB (dynalite, on disk, in a worker thread) and S3 (s3rver, on disk), each on a loopback
 * port of its own: the one given, else a free one.
 */
export const startAwsStandIns = async (options: {
  dataDir: string;
  tables: TableNames;
  bucket: string;
  ports?: { dynamodb?: number | undefined; s3?: number | undefined };
}) => {
  const dynamoDir = join(options.dataDir, 'dynamodb');
  const s3Dir = join(options.dataDir, 's3');
  await mkdir(dynamoDir, { recursive: true });
  await mkdir(s3Dir, { recursive: true });

  const dynamo = await startDynaliteWorker({ path: dynamoDir, port: options.ports?.dynamodb ?? 0 });
  const dynamoEndpoint = dynamo.endpoint;
  await createTables(dynamoEndpoint, options.tables);

  const s3 = new S3rver({
    port: options.ports?.s3 ?? 0,
    address: '127.0.0.1',
    silent: true,
    directory: s3Dir,
    configureBuckets: [{ name: options.bucket }],
  });
  const s3Address = await s3.run();
  const s3Endpoint = `http://127.0.0.1:${s3Address.port}`;

  return {
    dynamoEndpoint,
    s3Endpoint,
    close: async () => {
      await dynamo.close();
      await s3.close();
    },
  };
};
