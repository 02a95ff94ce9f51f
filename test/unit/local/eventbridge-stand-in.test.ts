import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type EventBridgeEnvelope,
  type EventBridgeStandIn,
  type EventBridgeStandInOptions,
  startEventBridgeStandIn,
} from '../../../scripts/local/eventbridge-stand-in.ts';

let standIn: EventBridgeStandIn | undefined;
let client: EventBridgeClient;
let received: EventBridgeEnvelope[][];

async function start(options: Partial<EventBridgeStandInOptions> = {}) {
  received = [];
  standIn = await startEventBridgeStandIn({
    onEvents: async (envelopes) => {
      received.push(envelopes);
    },
    ...options,
  });
  client = new EventBridgeClient({
    region: 'us-east-1',
    endpoint: standIn.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

beforeEach(async () => {
  await start();
});

afterEach(async () => {
  client.destroy();
  await standIn?.close();
  standIn = undefined;
});

const entry = (overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
  EventBusName: 'leadline',
  Source: 'leadline.inbound',
  DetailType: 'Lead Message Received',
  Detail: JSON.stringify({ leadId: 'L-1', correlationId: 'c-1', version: 1 }),
  ...overrides,
});

describe('EventBridge stand-in with the real SDK client', () => {
  it('accepts PutEvents and delivers full EventBridge envelopes before answering', async () => {
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ Resources: ['arn:aws:x'], Time: new Date('2025-05-06T07:08:09.123Z') }),
          entry({ DetailType: 'Lead Qualified', Source: 'leadline.pipeline' }),
        ],
      }),
    );

    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries).toHaveLength(2);
    expect(received).toHaveLength(1);
    const [first, second] = received[0] ?? [];
    expect(result.Entries?.map((e) => e.EventId)).toEqual([first?.id, second?.id]);
    expect(first).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Lead Message Received',
      source: 'leadline.inbound',
      account: '000000000000',
      time: '2025-05-06T07:08:09Z',
      region: 'us-east-1',
      resources: ['arn:aws:x'],
      detail: { leadId: 'L-1', correlationId: 'c-1', version: 1 },
    });
    expect(Object.keys(first ?? {})).toEqual([
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'resources',
      'detail',
    ]);
    expect(second?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(second?.resources).toEqual([]);
  });

  it('reports invalid entries with ErrorCode and ErrorMessage and counts them in FailedEntryCount', async () => {
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ Detail: '{not json' }),
          entry(),
          entry({ Detail: '["an","array"]' }),
          entry({ Source: undefined }),
          entry({ DetailType: '' }),
          entry({ Detail: undefined }),
        ],
      }),
    );

    expect(result.FailedEntryCount).toBe(5);
    expect(result.Entries?.[0]).toEqual({
      ErrorCode: 'MalformedDetail',
      ErrorMessage: 'Detail is malformed.',
    });
    expect(result.Entries?.[1]?.EventId).toEqual(expect.any(String));
    expect(result.Entries?.[2]?.ErrorCode).toBe('MalformedDetail');
    expect(result.Entries?.[3]).toMatchObject({
      ErrorCode: 'InvalidArgument',
      ErrorMessage: expect.stringMatching(/Source/),
    });
    expect(result.Entries?.[4]).toMatchObject({
      ErrorCode: 'InvalidArgument',
      ErrorMessage: expect.stringMatching(/DetailType/),
    });
    expect(result.Entries?.[5]).toMatchObject({
      ErrorCode: 'InvalidArgument',
      ErrorMessage: expect.stringMatching(/Detail/),
    });
    expect(received.flat().map((e) => e.id)).toEqual([result.Entries?.[1]?.EventId]);
  });

  it('does not call onEvents when every entry fails', async () => {
    const result = await client.send(new PutEventsCommand({ Entries: [entry({ Detail: 'x' })] }));
    expect(result.FailedEntryCount).toBe(1);
    expect(received).toEqual([]);
  });

  it('rejects more than 10 entries as a ValidationException', async () => {
    const entries = Array.from({ length: 11 }, () => entry());
    await expect(client.send(new PutEventsCommand({ Entries: entries }))).rejects.toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
    expect(received).toEqual([]);
  });

  it('rejects entries over 256 KB as a ValidationException', async () => {
    const big = JSON.stringify({ blob: 'x'.repeat(256 * 1024) });
    await expect(
      client.send(new PutEventsCommand({ Entries: [entry({ Detail: big })] })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/over the limit/),
    });
  });

  it('answers InternalFailure for the entries when delivery fails', async () => {
    await standIn?.close();
    await start({
      onEvents: async () => {
        throw new Error('disk full');
      },
      logger: () => {},
    });
    const result = await client.send(new PutEventsCommand({ Entries: [entry(), entry({ Detail: 'x' })] }));
    expect(result.FailedEntryCount).toBe(2);
    expect(result.Entries?.map((e) => e.ErrorCode)).toEqual(['InternalFailure', 'MalformedDetail']);
  });

  it('rejects entries for another event bus when a bus name is configured', async () => {
    await standIn?.close();
    await start({ eventBusName: 'leadline' });
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          entry(),
          entry({ EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/leadline' }),
          entry({ EventBusName: 'other' }),
          entry({ EventBusName: undefined }),
        ],
      }),
    );
    expect(result.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual([
      'ok',
      'ok',
      'ResourceNotFoundException',
      'ResourceNotFoundException',
    ]);
    expect(result.FailedEntryCount).toBe(2);
  });
});

describe('EventBridge stand-in over raw HTTP', () => {
  it('answers an unknown operation with an AWS-style 400 error', async () => {
    const response = await fetch(standIn!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.ListRules' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await response.json()).toEqual({
      __type: 'UnknownOperationException',
      message: expect.stringMatching(/AWSEvents\.ListRules/),
    });
  });

  it('answers a body that is not JSON with a SerializationException', async () => {
    const response = await fetch(standIn!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' },
      body: '{',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { __type: string }).__type).toBe('SerializationException');
  });
});
