import type { APIGatewayProxyEventV2, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LeadQualified } from '#events/catalog.ts';
import { sampleEnvelope } from '#events/samples.ts';
import { SECRET_ARNS_VARIABLE } from '#shared/config/secrets.ts';
import { createCallbackHandler } from '#shared/inbound/callback-handler.ts';
import { createConsumerHandler } from '#shared/lambda/sqs-consumer.ts';
import { lambdaContext } from '../../scripts/local/lambda-context.ts';
import { HttpFake } from '../fakes/http-fake.ts';
import { startTestDynamo, TEST_TABLES } from '../support/dynamo.ts';

/** What the functions write while `run` runs, as parsed JSON lines (Powertools logs, EMF), and what it threw. */
const captureOutput = async (run: () => Promise<unknown>) => {
  const lines: Record<string, unknown>[] = [];
  const record = (chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ raw: line });
      }
    }
    return true;
  };
  const writes = [
    vi.spyOn(process.stdout, 'write').mockImplementation(record),
    vi.spyOn(process.stderr, 'write').mockImplementation(record),
  ];
  try {
    await run().catch((error: unknown) => lines.push({ thrown: (error as Error).message }));
  } finally {
    for (const write of writes) write.mockRestore();
  }
  return lines;
};

const context = (name: string) =>
  lambdaContext({ functionName: `leadline-${name}`, timeoutSeconds: 10, memoryMb: 256, region: 'us-east-1' });

const httpEvent = (): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'POST /probe',
    rawPath: '/probe',
    rawQueryString: '',
    headers: {},
    requestContext: { http: { method: 'POST' } },
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

describe('the middleware every function starts with', () => {
  let secrets: HttpFake;
  let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;

  beforeAll(async () => {
    secrets = await HttpFake.start();
    secrets.route('POST', '/', () => ({
      status: 400,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: { __type: 'AccessDeniedException', message: 'not allowed to read this secret' },
    }));
    dynamo = await startTestDynamo();
  });
  afterAll(async () => {
    await secrets.close();
    await dynamo.stop();
  });

  it('logs a Secrets Manager failure with the invocation’s Lambda context', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', secrets.url);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.stubEnv(SECRET_ARNS_VARIABLE, 'arn:aws:secretsmanager:us-east-1:123456789012:secret:leadline/probe-x');
    const handler = createCallbackHandler({
      name: 'probe',
      receive: async () => undefined,
      accepted: { statusCode: 204 },
    });
    const invocation = context('probe');

    const lines = await captureOutput(() => handler(httpEvent(), invocation));

    expect(lines).toContainEqual(expect.objectContaining({ thrown: expect.any(String) }));
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'Could not load the provider secrets',
        function_request_id: invocation.awsRequestId,
        function_name: 'leadline-probe',
        error: expect.objectContaining({ message: expect.stringContaining('not allowed') }),
      }),
    );
  });

  it('puts the event’s correlation id and lead on each record’s log lines, and publishes no empty metrics', async () => {
    vi.stubEnv('LEADS_TABLE_NAME', TEST_TABLES.leads);
    vi.stubEnv('IDEMPOTENCY_TABLE_NAME', TEST_TABLES.idempotency);
    vi.stubEnv('EVENT_BUS_NAME', 'leadline');
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamo.endpoint);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const handler = createConsumerHandler({
      name: 'probe',
      accepts: [LeadQualified],
      // Records no metric: a step that decides nothing needs doing.
      process: async (_event, { logger }) => {
        logger.info('working on it');
      },
    });
    const envelope = { ...sampleEnvelope(LeadQualified), id: 'evt-correlation' };
    const sqs = (body: unknown, id: string): SQSEvent => ({
      Records: [
        {
          messageId: id,
          receiptHandle: `rh-${id}`,
          body: JSON.stringify(body),
          attributes: {
            ApproximateReceiveCount: '1',
            SentTimestamp: '1795000000000',
            SenderId: 'AIDAEXAMPLE',
            ApproximateFirstReceiveTimestamp: '1795000000001',
          },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:probe',
          awsRegion: 'us-east-1',
        },
      ],
    });

    const lines = await captureOutput(() => handler(sqs(envelope, 'm1'), context('probe')));
    const working = lines.find((l) => l.message === 'working on it');
    expect(working).toMatchObject({
      correlation_id: envelope.detail.correlationId,
      leadId: envelope.detail.leadId,
      function_name: 'leadline-probe',
    });

    expect(lines.some((l) => String(l.message ?? '').includes('No application metrics'))).toBe(false);
  });

  it('drops a webhook’s correlation id when its invocation ends', async () => {
    let call = 0;
    const handler = createCallbackHandler({
      name: 'probe-webhook',
      receive: async (_event, { logger }) => {
        call++;
        if (call === 1) logger.setCorrelationId('sms-SM0001');
        logger.info(`call ${call}`);
        return undefined;
      },
      accepted: { statusCode: 204 },
    });

    const lines = await captureOutput(async () => {
      await handler(httpEvent(), context('probe-webhook'));
      await handler(httpEvent(), context('probe-webhook'));
    });

    expect(lines.find((l) => l.message === 'call 1')).toHaveProperty('correlation_id', 'sms-SM0001');
    expect(lines.find((l) => l.message === 'call 2')).not.toHaveProperty('correlation_id');
  });
});
