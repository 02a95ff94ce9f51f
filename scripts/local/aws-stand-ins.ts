import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import S3rver from 's3rver';

export const LOCAL_REGION = 'us-east-1';
// s3rver accepts only its own key pair; dynalite and the EventBridge stand-in accept any.
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface TableNames {
  leads: string;
  idempotency: string;
}

/**
 * The tables as the stack defines them: the leads table keyed (pk, sk), the idempotency table
 * keyed by Powertools' `id`.
 */
export const createTables = async (endpoint: string, tables: TableNames) => {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const definitions = [
    {
      TableName: tables.leads,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' as const },
        { AttributeName: 'sk', AttributeType: 'S' as const },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' as const },
        { AttributeName: 'sk', KeyType: 'RANGE' as const },
      ],
    },
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
    }
  }
  client.destroy();
};

const listen = (server: Server, port: number) =>
  new Promise<string>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });

/**
 * DynamoDB (dynalite, on disk) and S3 (s3rver, on disk), each on a loopback port of its own: the
 * one given, else a free one.
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

  const dynamo = dynalite({ path: dynamoDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const dynamoEndpoint = await listen(dynamo, options.ports?.dynamodb ?? 0);
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
      await new Promise<void>((resolve) => dynamo.close(() => resolve()));
      await s3.close();
    },
  };
};
