import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalBus } from '../../../scripts/local/bus.ts';
import { DurableQueue } from '../../../scripts/local/durable-queue.ts';
import type { EventBridgeEnvelope } from '../../../scripts/local/eventbridge-stand-in.ts';
import { startEventBridgeStandIn } from '../../../scripts/local/eventbridge-stand-in.ts';
import { QueuePoller } from '../../../scripts/local/queue-poller.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'leadline-bus-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const envelope = (detailType: string, detail: Record<string, unknown> = {}): EventBridgeEnvelope => ({
  version: '0',
  id: 'e-1',
  'detail-type': detailType,
  source: 'leadline.pipeline',
  account: '000000000000',
  time: '2025-01-01T00:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: { leadId: 'L-1', correlationId: 'c-1', version: 1, ...detail },
});

async function queues(...names: string[]) {
  return Promise.all(names.map((name) => DurableQueue.open({ dir, name, visibilityTimeoutSeconds: 30 })));
}

describe('LocalBus', () => {
  it('delivers the envelope JSON to every queue whose pattern matches and names them', async () => {
    const [score, notify, crm] = await queues('score', 'notify', 'crm');
    const delivered: string[] = [];
    const bus = new LocalBus(
      [
        { name: 'score', pattern: { 'detail-type': ['Lead Qualified'] }, queue: score! },
        {
          name: 'notify',
          pattern: { 'detail-type': ['Lead Scored'], detail: { grade: ['hot'] } },
          queue: notify!,
        },
        { name: 'crm', pattern: { source: ['leadline.pipeline'] }, queue: crm! },
      ],
      { onDelivered: (name) => delivered.push(name) },
    );

    const event = envelope('Lead Qualified');
    expect(await bus.publish(event)).toEqual(['score', 'crm']);
    expect(delivered.sort()).toEqual(['crm', 'score']);
    const [message] = await score!.receive(10);
    expect(message?.body).toBe(JSON.stringify(event));
    expect(notify!.stats().visible).toBe(0);
    expect(crm!.stats().visible).toBe(1);

    expect(await bus.publish(envelope('Lead Scored', { grade: 'cold' }))).toEqual(['crm']);
    expect(await bus.publish(envelope('Lead Scored', { grade: 'hot' }))).toEqual(['notify', 'crm']);
  });

  it('returns no names and queues nothing when no pattern matches', async () => {
    const [q] = await queues('q');
    const bus = new LocalBus([{ name: 'q', pattern: { source: ['elsewhere'] }, queue: q! }]);
    expect(await bus.publish(envelope('Lead Qualified'))).toEqual([]);
    expect(bus.match(envelope('Lead Qualified'))).toEqual([]);
    expect(q!.stats().visible).toBe(0);
  });

  it('refuses an invalid pattern or a duplicate name at construction', async () => {
    const [q] = await queues('q');
    expect(() => new LocalBus([{ name: 'q', pattern: { source: 'x' } as never, queue: q! }])).toThrow(
      /Subscription "q".*not valid/,
    );
    const ok = { name: 'q', pattern: { source: ['x'] }, queue: q! };
    expect(() => new LocalBus([ok, ok])).toThrow(/Duplicate/);
  });

  it('carries a PutEvents call from the real SDK through the bus and a queue to an SQS handler', async () => {
    const [qualify] = await queues('qualify');
    const seen: SQSRecord[] = [];
    const poller = new QueuePoller({
      queue: qualify!,
      handler: async (event) => {
        seen.push(...event.Records);
      },
      batchSize: 10,
      maximumBatchingWindowSeconds: 0,
      maximumConcurrency: 2,
      functionName: 'leadline-qualify',
      queueArn: qualify!.arn,
      region: 'us-east-1',
    });
    const bus = new LocalBus(
      [{ name: 'qualify', pattern: { 'detail-type': ['Lead Message Received'] }, queue: qualify! }],
      { onDelivered: () => poller.wake() },
    );
    const standIn = await startEventBridgeStandIn({
      onEvents: async (envelopes) => {
        await bus.publishAll(envelopes);
      },
    });
    const client = new EventBridgeClient({
      region: 'us-east-1',
      endpoint: standIn.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    poller.start();
    try {
      const result = await client.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: 'leadline',
              Source: 'leadline.inbound',
              DetailType: 'Lead Message Received',
              Detail: JSON.stringify({ leadId: 'L-9', correlationId: 'c-9', version: 1 }),
            },
          ],
        }),
      );
      expect(result.FailedEntryCount).toBe(0);
      await poller.drain();
      expect(seen).toHaveLength(1);
      const body = JSON.parse(seen[0]!.body) as EventBridgeEnvelope;
      expect(body).toMatchObject({
        id: result.Entries?.[0]?.EventId,
        'detail-type': 'Lead Message Received',
        source: 'leadline.inbound',
        detail: { leadId: 'L-9' },
      });
    } finally {
      await poller.stop();
      client.destroy();
      await standIn.close();
    }
  });
});
