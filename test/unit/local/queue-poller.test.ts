import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DurableQueue } from '../../../scripts/local/durable-queue.ts';
import {
  failedIds,
  md5OfMessageAttributes,
  type PollerLogEntry,
  QueuePoller,
  type QueuePollerOptions,
  type SqsLambdaHandler,
} from '../../../scripts/local/queue-poller.ts';

const VISIBILITY = 0.2;

let dir: string;
const pollers: QueuePoller[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'leadline-poller-'));
});

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((p) => p.stop()));
  await rm(dir, { recursive: true, force: true });
});

async function setup(
  handler: SqsLambdaHandler,
  {
    maxReceiveCount = 5,
    visibilityTimeoutSeconds = VISIBILITY,
    ...options
  }: Partial<Omit<QueuePollerOptions, 'queue' | 'handler'>> & {
    maxReceiveCount?: number;
    visibilityTimeoutSeconds?: number;
  } = {},
) {
  const dlq = await DurableQueue.open({ dir, name: 'q-dlq', visibilityTimeoutSeconds });
  const queue = await DurableQueue.open({
    dir,
    name: 'q',
    visibilityTimeoutSeconds,
    maxReceiveCount,
    deadLetterQueue: dlq,
  });
  const logs: PollerLogEntry[] = [];
  const poller = new QueuePoller({
    queue,
    handler,
    batchSize: 10,
    maximumBatchingWindowSeconds: 0,
    maximumConcurrency: 2,
    functionName: 'leadline-score',
    queueArn: 'arn:aws:sqs:us-east-1:000000000000:q',
    region: 'us-east-1',
    logger: (entry) => logs.push(entry),
    ...options,
  });
  pollers.push(poller);
  return { queue, dlq, poller, logs };
}

/** Records every batch the handler sees (bodies and receive counts). */
function recorder(decide: (record: SQSRecord, call: number) => 'ok' | 'fail' = () => 'ok') {
  const batches: SQSRecord[][] = [];
  const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    batches.push(event.Records);
    const call = batches.length;
    return {
      batchItemFailures: event.Records.filter((r) => decide(r, call) === 'fail').map((r) => ({
        itemIdentifier: r.messageId,
      })),
    };
  };
  const seen = (body: string) => batches.flat().filter((r) => r.body === body);
  return { batches, handler, seen };
}

const bodies = (records: SQSRecord[] | undefined) => (records ?? []).map((r) => r.body);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('QueuePoller', () => {
  it('feeds the handler SQS records and a Lambda context shaped like AWS, then deletes them', async () => {
    let seenEvent: SQSEvent | undefined;
    let seenContext: Context | undefined;
    const { queue, poller } = await setup(
      async (event, context) => {
        seenEvent = event;
        seenContext = context;
      },
      { timeoutSeconds: 10, memorySizeMB: 256 },
    );
    const { messageId } = await queue.send('{"hello":"world"}', { attributes: { trace: 't-1' } });
    poller.start();
    await poller.drain();

    const record = seenEvent?.Records[0];
    expect(seenEvent?.Records).toHaveLength(1);
    expect(record).toMatchObject({
      messageId,
      body: '{"hello":"world"}',
      md5OfBody: createHash('md5').update('{"hello":"world"}').digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
      awsRegion: 'us-east-1',
      messageAttributes: { trace: { stringValue: 't-1', dataType: 'String' } },
      md5OfMessageAttributes: md5OfMessageAttributes({ trace: 't-1' }),
    });
    expect(record?.receiptHandle).toEqual(expect.any(String));
    expect(record?.attributes).toEqual({
      ApproximateReceiveCount: '1',
      SentTimestamp: expect.stringMatching(/^\d{13}$/),
      SenderId: expect.any(String),
      ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
    });
    expect(seenContext).toMatchObject({
      functionName: 'leadline-score',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:leadline-score',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/leadline-score',
    });
    expect(seenContext?.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seenContext?.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(seenContext?.getRemainingTimeInMillis()).toBeLessThanOrEqual(10_000);
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('gives records without message attributes an empty messageAttributes and no attributes digest', async () => {
    const { batches, handler } = recorder();
    const { queue, poller } = await setup(handler);
    await queue.send('plain');
    poller.start();
    await poller.drain();
    expect(batches[0]?.[0]?.messageAttributes).toEqual({});
    expect(batches[0]?.[0]).not.toHaveProperty('md5OfMessageAttributes');
  });

  it('retries only the records reported in batchItemFailures', async () => {
    const { batches, handler } = recorder((record, call) =>
      call === 1 && record.body === 'b' ? 'fail' : 'ok',
    );
    const { queue, poller, logs } = await setup(handler);
    for (const body of ['a', 'b', 'c']) await queue.send(body);
    poller.start();
    await poller.drain();

    expect(batches).toHaveLength(2);
    expect(bodies(batches[0])).toEqual(['a', 'b', 'c']);
    expect(bodies(batches[1])).toEqual(['b']);
    expect(batches[1]?.[0]?.attributes.ApproximateReceiveCount).toBe('2');
    expect(batches[1]?.[0]?.messageId).toBe(batches[0]?.[1]?.messageId);
    expect(logs.map((l) => l.level)).toEqual(['warn']);
  });

  it('retries the whole batch when the handler throws', async () => {
    let calls = 0;
    const batches: SQSRecord[][] = [];
    const { queue, poller, logs } = await setup(async (event) => {
      batches.push(event.Records);
      calls++;
      if (calls === 1) throw new Error('boom');
    });
    for (const body of ['a', 'b']) await queue.send(body);
    poller.start();
    await poller.drain();

    expect(batches.map(bodies)).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
    expect(batches[1]?.map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['2', '2']);
    expect(logs[0]).toMatchObject({ level: 'error', functionName: 'leadline-score' });
    expect(logs[0]?.error).toEqual(new Error('boom'));
  });

  it.each([
    ['an empty itemIdentifier', () => ({ batchItemFailures: [{ itemIdentifier: '' }] })],
    ['an unknown itemIdentifier', () => ({ batchItemFailures: [{ itemIdentifier: 'nope' }] })],
    ['a malformed batchItemFailures', () => ({ batchItemFailures: 'a' })],
  ])('retries the whole batch on a response with %s', async (_name, respond) => {
    const batches: SQSRecord[][] = [];
    const { queue, poller } = await setup(async (event) => {
      batches.push(event.Records);
      return batches.length === 1 ? respond() : undefined;
    });
    for (const body of ['a', 'b']) await queue.send(body);
    poller.start();
    await poller.drain();
    expect(batches.map(bodies)).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
  });

  it('sends a record that always fails to the dead-letter queue after maxReceiveCount receives while the others succeed', async () => {
    const { handler, seen } = recorder((record) => (record.body === 'poison' ? 'fail' : 'ok'));
    const { queue, dlq, poller } = await setup(handler, { maxReceiveCount: 3 });
    for (const body of ['a', 'poison', 'b']) await queue.send(body);
    poller.start();
    await poller.drain();

    expect(seen('a')).toHaveLength(1);
    expect(seen('b')).toHaveLength(1);
    expect(seen('poison').map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2', '3']);
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    const [dead] = await dlq.receive(10);
    expect(dead?.body).toBe('poison');
  });

  it('never puts more than batchSize records in one batch', async () => {
    const { batches, handler } = recorder();
    const { queue, poller } = await setup(handler, { batchSize: 3, maximumConcurrency: 1 });
    for (let i = 0; i < 7; i++) await queue.send(`m${i}`);
    poller.start();
    await poller.drain();

    expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(batches.flat().map((r) => r.body)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);
  });

  it('runs at most maximumConcurrency batches at once', async () => {
    let running = 0;
    let peak = 0;
    const { queue, poller } = await setup(
      async () => {
        running++;
        peak = Math.max(peak, running);
        await sleep(20);
        running--;
      },
      { batchSize: 1, maximumConcurrency: 2 },
    );
    for (let i = 0; i < 6; i++) await queue.send(`m${i}`);
    poller.start();
    await poller.drain();
    expect(peak).toBe(2);
  });

  it('collects records arriving during the batching window into one batch', async () => {
    const { batches, handler } = recorder();
    const { queue, poller } = await setup(handler, {
      batchSize: 20,
      maximumBatchingWindowSeconds: 1,
      visibilityTimeoutSeconds: 30,
    });
    poller.start();
    for (let i = 0; i < 20; i++) await queue.send(`m${i}`);
    await poller.drain();
    expect(batches.map((b) => b.length)).toEqual([20]);
  });

  it('sends a batch without waiting out its window while a caller flushes (the runtime draining)', async () => {
    const { batches, handler } = recorder();
    const { queue, poller } = await setup(handler, {
      batchSize: 20,
      maximumBatchingWindowSeconds: 60,
      visibilityTimeoutSeconds: 120,
    });
    poller.start();
    for (let i = 0; i < 3; i++) await queue.send(`m${i}`);
    const release = poller.flush();
    // Without the flush the batch would wait its minute and the drain give up.
    await poller.drain({ timeoutMs: 5_000 });
    release();
    expect(batches.flat()).toHaveLength(3);
  });

  it('picks up a message sent while it is idle', async () => {
    const { batches, handler } = recorder();
    const { queue, poller } = await setup(handler);
    poller.start();
    await sleep(10);
    await queue.send('late');
    poller.wake();
    await poller.drain();
    expect(bodies(batches[0])).toEqual(['late']);
  });

  it('fails the batch of a handler that runs past its timeout', async () => {
    let calls = 0;
    const { queue, poller, logs } = await setup(
      async () => {
        calls++;
        if (calls === 1) await sleep(150);
      },
      { timeoutSeconds: 0.03 },
    );
    await queue.send('slow');
    poller.start();
    await poller.drain();
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(logs[0]?.error).toEqual(expect.objectContaining({ message: expect.stringMatching(/timed out/) }));
  });

  it('waits for the batch in flight when stopped', async () => {
    let finished = false;
    let started!: () => void;
    const isStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const { queue, poller } = await setup(async () => {
      started();
      await sleep(30);
      finished = true;
    });
    await queue.send('m');
    poller.start();
    await isStarted;
    await poller.stop();
    expect(finished).toBe(true);
    expect(poller.isRunning).toBe(false);
    expect(queue.stats()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('rejects settings AWS rejects', async () => {
    const queue = await DurableQueue.open({ dir, name: 'x', visibilityTimeoutSeconds: 1 });
    const base = {
      queue,
      handler: async () => {},
      batchSize: 10,
      maximumBatchingWindowSeconds: 0,
      maximumConcurrency: 2,
      functionName: 'f',
      queueArn: 'arn:aws:sqs:us-east-1:000000000000:x',
      region: 'us-east-1',
    };
    expect(() => new QueuePoller({ ...base, batchSize: 11 })).toThrow(/maximumBatchingWindowSeconds >= 1/);
    expect(() => new QueuePoller({ ...base, batchSize: 0 })).toThrow(/batchSize/);
    expect(() => new QueuePoller({ ...base, maximumConcurrency: 0 })).toThrow(/maximumConcurrency/);
  });
});

describe('failedIds', () => {
  const ids = new Set(['m1', 'm2']);

  it('treats an empty or missing response as complete success', () => {
    for (const response of [undefined, null, {}, { batchItemFailures: [] }, { batchItemFailures: null }]) {
      expect(failedIds(response, ids)).toEqual(new Set());
    }
  });

  it('returns the reported identifiers', () => {
    expect(failedIds({ batchItemFailures: [{ itemIdentifier: 'm2' }] }, ids)).toEqual(new Set(['m2']));
  });

  it('fails the whole batch on a null or misnamed identifier or a non-object response', () => {
    expect(failedIds({ batchItemFailures: [{ itemIdentifier: null }] }, ids)).toBe('all');
    expect(failedIds({ batchItemFailures: [{ id: 'm1' }] }, ids)).toBe('all');
    expect(failedIds('ok', ids)).toBe('all');
  });
});
