import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DynamoLeadStore } from '#shared/adapters/aws/dynamo-lead-store.ts';
import { UnknownSubscriberError } from '#shared/ports/queue-health.ts';
import { createTables, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../scripts/local/aws-stand-ins.ts';
import { LocalQueueHealth } from '../../../scripts/local/console/local-queue-health.ts';
import { DurableQueue } from '../../../scripts/local/durable-queue.ts';
import { aLead } from '../../support/console.ts';

describe("the local runtime's queues as the console sees them", () => {
  let dir: string;
  let now: number;
  let queue: DurableQueue;
  let deadLetter: DurableQueue;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'leadline-queue-health-'));
    now = Date.parse('2026-11-21T15:00:00Z');
    const clock = () => now;
    deadLetter = await DurableQueue.open({ dir, name: 'notify-dlq', visibilityTimeoutSeconds: 30, clock });
    queue = await DurableQueue.open({
      dir,
      name: 'notify',
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 1,
      deadLetterQueue: deadLetter,
      clock,
    });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives depths and the age of the oldest message, in flight or dead-lettered, and redrives', async () => {
    await queue.send('{"first":true}');
    now += 90_000;
    await queue.send('{"second":true}');
    await queue.receive(1);
    const moved: string[] = [];
    const health = new LocalQueueHealth(new Map([['notify', { queue, deadLetter }]]), (s) => moved.push(s));

    expect(await health.list()).toEqual([
      { subscriber: 'notify', visible: 1, inFlight: 1, delayed: 0, oldestAgeSeconds: 90, deadLettered: 0 },
    ]);

    // Seen once already (maxReceiveCount 1): the next receive dead-letters it.
    now += 31_000;
    await queue.receive(2);
    const [row] = await health.list();
    expect(row).toMatchObject({ deadLettered: 1, deadLetterOldestAgeSeconds: 121 });

    expect(await health.redrive('notify')).toEqual({ subscriber: 'notify', messages: 1 });
    expect(moved).toEqual(['notify']);
    expect((await health.list())[0]?.deadLettered).toBe(0);
    await expect(health.redrive('nobody')).rejects.toBeInstanceOf(UnknownSubscriberError);
  });
});

describe('the local DynamoDB stand-in', () => {
  let server: Server;
  let client: DynamoDBClient;

  beforeEach(async () => {
    server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
    client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
  });
  afterEach(async () => {
    client.destroy();
    await new Promise((done) => server.close(done));
  });

  it('rebuilds a leads table made before the index, keeping every item, so leads list through the index', async () => {
    const endpoint = await client.config.endpoint!();
    const tables = { leads: 'old-leads', idempotency: 'old-idempotency' };
    await client.send(
      new CreateTableCommand({
        TableName: tables.leads,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    const documents = DynamoDBDocumentClient.from(client);
    const lead = aLead();
    await documents.send(
      new PutCommand({
        TableName: tables.leads,
        Item: { pk: `LEAD#${lead.leadId}`, sk: 'LEAD', kind: 'lead', ...lead },
      }),
    );
    await documents.send(
      new PutCommand({
        TableName: tables.leads,
        Item: { pk: `LEAD#${lead.leadId}`, sk: 'MSG#1', kind: 'message' },
      }),
    );

    await createTables(`http://${endpoint.hostname}:${endpoint.port}`, tables);

    const store = new DynamoLeadStore(documents, tables.leads);
    expect((await store.listLeads()).map((l) => l.leadId)).toEqual([lead.leadId]);
    expect(await store.getMessages(lead.leadId)).toHaveLength(1);
  });
});
