import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LeadQualified, LeadScored } from '#events/catalog.ts';
import { sampleEnvelope } from '#events/samples.ts';
import { createBatchConsumerHandler, createSqsConsumer } from '#shared/lambda/sqs-consumer.ts';
import { PermanentError } from '#shared/ports/errors.ts';
import { lambdaContext } from '../../scripts/local/lambda-context.ts';
import { startTestDynamo, TEST_TABLES } from '../support/dynamo.ts';

const record = (messageId: string, body: unknown): SQSRecord => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '1795000000000',
    SenderId: 'AIDAEXAMPLE',
    ApproximateFirstReceiveTimestamp: '1795000000001',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:score',
  awsRegion: 'us-east-1',
});

const context = (): Context =>
  lambdaContext({ functionName: 'leadline-score', timeoutSeconds: 30, memoryMb: 512, region: 'us-east-1' });

describe('the SQS consumer every pipeline function runs on', () => {
  let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
  const seen: string[] = [];
  let consume: (
    event: SQSEvent,
    context: Context,
  ) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>;

  beforeAll(async () => {
    dynamo = await startTestDynamo();
    consume = createSqsConsumer({
      name: 'score',
      accepts: [LeadQualified],
      logger: new Logger({ serviceName: 'score', logLevel: 'SILENT' }),
      persistenceStore: new DynamoDBPersistenceLayer({
        tableName: TEST_TABLES.idempotency,
        awsSdkV3Client: dynamo.client,
      }),
      process: async (event) => {
        seen.push(event.eventId);
        // Slow enough for two invocations to overlap, as the local runtime runs them.
        if (event.detail.leadId.startsWith('overlap')) await new Promise((r) => setTimeout(r, 20));
        if (event.detail.leadId === 'poison') throw new Error('downstream is down');
        if (event.detail.leadId === 'gone') throw new PermanentError('lead does not exist');
      },
    });
  });
  afterAll(async () => {
    await dynamo.stop();
  });

  it('fails only the records that fail, and processes each event once however often it arrives', async () => {
    const good = { ...sampleEnvelope(LeadQualified, { messageId: 'sms-good' }), id: 'evt-good' };
    const poison = {
      ...sampleEnvelope(LeadQualified, { leadId: 'poison', messageId: 'sms-poison' }),
      id: 'evt-poison',
    };
    const first = await consume({ Records: [record('m1', good), record('m2', poison)] }, context());
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);

    const again = await consume({ Records: [record('m3', good)] }, context());
    expect(again.batchItemFailures).toEqual([]);
    expect(seen.filter((id) => id === 'evt-good')).toHaveLength(1);
  });

  it('fails a record that is not JSON, not an envelope, or an event the function does not accept', async () => {
    const good = { ...sampleEnvelope(LeadQualified, { messageId: 'sms-good-2' }), id: 'evt-good-2' };
    const response = await consume(
      {
        Records: [
          record('bad-json', '{not json'),
          record('no-envelope', { hello: 'world' }),
          record('wrong-type', { ...sampleEnvelope(LeadScored), id: 'evt-scored' }),
          record('bad-detail', { ...sampleEnvelope(LeadQualified), id: 'evt-bad', detail: { leadId: 'x' } }),
          record('fine', good),
        ],
      },
      context(),
    );
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      'bad-json',
      'no-envelope',
      'wrong-type',
      'bad-detail',
    ]);
    expect(seen).toContain('evt-good-2');
    expect(seen).not.toContain('evt-scored');
  });

  it('drops a record that can never succeed instead of retrying it', async () => {
    const gone = {
      ...sampleEnvelope(LeadQualified, { leadId: 'gone', messageId: 'sms-gone' }),
      id: 'evt-gone',
    };
    const response = await consume({ Records: [record('m-gone', gone)] }, context());
    expect(response.batchItemFailures).toEqual([]);
    expect(seen).toContain('evt-gone');
  });

  it('processes a fact once even when a republish gives it a new event id', async () => {
    // A webhook that crashed after publishing publishes again on the provider's retry.
    const first = { ...sampleEnvelope(LeadQualified, { messageId: 'sms-republished' }), id: 'evt-first' };
    const republished = { ...first, id: 'evt-republished', time: '2026-11-29T10:00:05Z' };
    await consume({ Records: [record('m-first', first)] }, context());
    const response = await consume({ Records: [record('m-republished', republished)] }, context());
    expect(response.batchItemFailures).toEqual([]);
    expect(seen).toContain('evt-first');
    expect(seen).not.toContain('evt-republished');
  });

  it('keeps two invocations running at once apart: each batch reports its own failures', async () => {
    const batch = (name: string, poisonAt?: number) =>
      [1, 2, 3].map((n) =>
        record(`${name}-${n}`, {
          ...sampleEnvelope(LeadQualified, {
            leadId: n === poisonAt ? 'poison' : `overlap-${name}`,
            messageId: `sms-${name}-${n}`,
          }),
          id: `evt-${name}-${n}`,
        }),
      );
    const [a, b] = await Promise.all([
      consume({ Records: batch('a', 3) }, context()),
      consume({ Records: batch('b') }, context()),
    ]);
    // A failure reported in the wrong batch would delete the failed record (a lost message) and
    // retry one that succeeded.
    expect(a.batchItemFailures).toEqual([{ itemIdentifier: 'a-3' }]);
    expect(b.batchItemFailures).toEqual([]);
    const processed = seen.filter((id) => id.startsWith('evt-a-') || id.startsWith('evt-b-')).sort();
    expect(processed).toEqual(['evt-a-1', 'evt-a-2', 'evt-a-3', 'evt-b-1', 'evt-b-2', 'evt-b-3']);
  });
});

describe('consumers that keep no idempotency record', () => {
  it('hands every delivery to a use case that dedupes by its own writes, keeping no record', async () => {
    const seen: string[] = [];
    const consume = createSqsConsumer({
      name: 'score',
      accepts: [LeadQualified],
      logger: new Logger({ serviceName: 'score', logLevel: 'SILENT' }),
      process: async (event) => void seen.push(event.eventId),
    });
    const first = { ...sampleEnvelope(LeadQualified, { messageId: 'sms-own' }), id: 'evt-own' };
    await consume({ Records: [record('m1', first)] }, context());
    await consume({ Records: [record('m2', { ...first, id: 'evt-own-again' })] }, context());
    expect(seen).toEqual(['evt-own', 'evt-own-again']);
  });

  it('handles a batch at once, failing alone a record that does not parse, and all of it when the batch fails', async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    const batches: string[][] = [];
    const handler = createBatchConsumerHandler({
      name: 'timeline',
      accepts: [LeadQualified, LeadScored],
      processBatch: async (events) => {
        if (events.some((e) => e.detail.leadId === 'poison')) throw new Error('the table is down');
        batches.push(events.map((e) => e.dedupeKey));
      },
    });
    const ok = await handler(
      {
        Records: [
          record('q', { ...sampleEnvelope(LeadQualified, { messageId: 'sms-b1' }), id: 'evt-q' }),
          record('bad', '{not json'),
          record('s', { ...sampleEnvelope(LeadScored, { messageId: 'sms-b1' }), id: 'evt-s' }),
        ],
      },
      context(),
    );
    expect(ok.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
    expect(batches).toEqual([['Lead Qualified#sms-b1', 'Lead Scored#sms-b1']]);

    const failed = await handler(
      {
        Records: [
          record('p', { ...sampleEnvelope(LeadQualified, { leadId: 'poison' }), id: 'evt-p' }),
          record('q2', { ...sampleEnvelope(LeadScored, { messageId: 'sms-b2' }), id: 'evt-q2' }),
        ],
      },
      context(),
    );
    expect(failed.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['p', 'q2']);
  });

  it('returns to the queue only the events a batch consumer names as failed', async () => {
    const handler = createBatchConsumerHandler({
      name: 'crm-sync',
      accepts: [LeadQualified, LeadScored],
      // As crm-sync: one lead's write failed, the other lead's went.
      processBatch: async (events) => ({ failed: events.filter((e) => e.detail.leadId === 'ld-down') }),
    });
    const result = await handler(
      {
        Records: [
          record('a1', {
            ...sampleEnvelope(LeadQualified, { leadId: 'ld-down', messageId: 'sms-a1' }),
            id: 'e1',
          }),
          record('b1', { ...sampleEnvelope(LeadScored, { leadId: 'ld-up', messageId: 'sms-b1' }), id: 'e2' }),
          record('a2', {
            ...sampleEnvelope(LeadScored, { leadId: 'ld-down', messageId: 'sms-a1' }),
            id: 'e3',
          }),
        ],
      },
      context(),
    );
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['a1', 'a2']);
  });
});
