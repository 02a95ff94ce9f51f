import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../scripts/local/aws-stand-ins.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

/**
 * A runtime that stopped mid-work leaves claims behind; the next one on the same data ends them
 * at start, so what was in flight is retried at once instead of waiting out their expiry.
 */
describe('starting on the data a stopped runtime left', () => {
  let pipeline: TestPipeline | undefined;
  afterAll(async () => {
    await pipeline?.stop();
  });

  it('releases the steps, webhook accepts and sends the stopped runtime left claimed', async () => {
    const first = await startTestPipeline();
    const { dynamodb, tables } = first.runtime.standIns;
    const client = new DynamoDBClient({
      endpoint: dynamodb,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const documents = DynamoDBDocumentClient.from(client);
    const inAnHour = new Date(Date.now() + 3600_000);
    // What a crash leaves: a step in progress, a webhook's claim, a send's claim, all still "live".
    await documents.send(
      new PutCommand({
        TableName: tables.idempotency,
        Item: { id: 'score#abc', status: 'INPROGRESS', expiration: Math.floor(inAnHour.getTime() / 1000) },
      }),
    );
    await documents.send(
      new PutCommand({
        TableName: tables.leads,
        Item: {
          pk: 'LEAD#ld_x',
          sk: 'MSG#sms-SMx',
          direction: 'in',
          accept: 'claimed',
          acceptUntil: inAnHour.toISOString(),
        },
      }),
    );
    await documents.send(
      new PutCommand({
        TableName: tables.leads,
        Item: {
          pk: 'LEAD#ld_x',
          sk: 'MSG#out-sms-SMy',
          direction: 'out',
          status: 'sending',
          claimedUntil: inAnHour.toISOString(),
        },
      }),
    );
    client.destroy();
    await first.stop({ keepData: true });

    pipeline = await startTestPipeline({ dataDir: first.dataDir });
    expect(pipeline.runtime.releasedClaims).toEqual({ inProgress: 1, acceptClaims: 1, sendClaims: 1 });
    const after = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: pipeline.runtime.standIns.dynamodb,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      }),
    );
    const get = async (table: string, key: Record<string, string>) =>
      (await after.send(new GetCommand({ TableName: table, Key: key }))).Item;
    expect(await get(tables.idempotency, { id: 'score#abc' })).toBeUndefined();
    expect((await get(tables.leads, { pk: 'LEAD#ld_x', sk: 'MSG#sms-SMx' }))?.acceptUntil).toBe(
      new Date(0).toISOString(),
    );
    // Ended, not dropped: the retry asks the provider whether the text went out.
    expect(await get(tables.leads, { pk: 'LEAD#ld_x', sk: 'MSG#out-sms-SMy' })).toMatchObject({
      status: 'sending',
      claimedUntil: new Date(0).toISOString(),
    });
  });
});
