/**
 * The cold-start proxy: each function bundled exactly as the stack bundles it (`infra/bundling.ts`),
 * then imported and invoked once in a fresh Node.js process with the stack's `NODE_OPTIONS`, as
 * Lambda's first invocation of a new execution environment does. The invocations are real: two
 * leads go through the whole pipeline one function at a time, each in a process of its own (an
 * emergency, which reaches the rep, and a request for a visit, which reaches the calendar), against
 * DynamoDB, S3 and EventBridge stand-ins, every event a function publishes fed to the functions the
 * topology routes it to. The webhooks, status callbacks, the scheduled function and the console's
 * API get a request of their own.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { LeadMessageReceived } from '#events/catalog.ts';
import { twilioSignature } from '#functions/inbound-sms/parse-twilio-sms.ts';
import { EVENT_BUS_NAME, scheduled, subscribers, webhooks } from '#shared/pipeline.ts';
import { type BundleReport, bundleAll, LAMBDA_NODE_OPTIONS, REPO_ROOT } from '../../infra/bundling.ts';
import { inboundEmailRequest, type PreparedRequest, signedSmsRequest } from '../lib/webhook-requests.ts';
import { toHttpApiEvent } from '../local/api-gateway.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startAwsStandIns } from '../local/aws-stand-ins.ts';
import { type EventPattern, matchesEventPattern } from '../local/event-pattern.ts';
import { type EventBridgeEnvelope, startEventBridgeStandIn } from '../local/eventbridge-stand-in.ts';
import { DEV_DEFAULTS, standInEnvironment } from '../local/runtime.ts';
import { startSchedulerStandIn } from '../local/scheduler-stand-in.ts';

/** One function's cold start: its bundle, and import + first invocation in a fresh process. */
export interface ColdStart {
  name: string;
  kind: BundleReport['kind'];
  bundleBytes: number;
  /** Each fresh process's `import()` of the bundle (some only import it), ms. */
  importMs: number[];
  /** Each fresh process's first invocation, ms. */
  firstInvokeMs: number[];
  /** Process start to the end of the first invocation (Node.js's own start included), ms. */
  processMs: number[];
  /** A first invocation that failed (its error), if any: the figure is then not representative. */
  failures: string[];
}

const TABLES = { leads: 'leadline-leads', idempotency: 'leadline-idempotency' };
/** Fresh processes importing each bundle (first invocations included): its import time is their median. */
const IMPORT_SAMPLES = 5;
const BUCKET = 'leadline-raw-payloads';
const PUBLIC_BASE_URL = 'https://leadline.example.com';

/** The child: import the bundle, invoke it once, report on one line. Plain JavaScript: nothing else loads. */
const DRIVER = `import { readFileSync } from 'node:fs';
const [bundle, inputFile] = process.argv.slice(2);
const started = performance.now();
if (!inputFile) {
  await import(bundle).catch(() => undefined);
  process.stdout.write('\\nBENCH_COLD ' + JSON.stringify({ importMs: performance.now() - started }) + '\\n');
  process.exit(0);
}
const input = JSON.parse(readFileSync(inputFile, 'utf8'));
const { handler } = await import(bundle);
const imported = performance.now();
const deadline = Date.now() + input.timeoutSeconds * 1000;
const context = {
  callbackWaitsForEmptyEventLoop: false, functionName: input.functionName, functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:' + input.functionName,
  memoryLimitInMB: String(input.memoryMb), awsRequestId: crypto.randomUUID(),
  logGroupName: '/aws/lambda/' + input.functionName, logStreamName: 'bench',
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  done() {}, fail() {}, succeed() {},
};
let failure;
try {
  const result = await handler(input.event, context);
  if (result?.batchItemFailures?.length) failure = 'record failed: ' + JSON.stringify(result.batchItemFailures);
  if (result?.statusCode >= 400) failure = 'HTTP ' + result.statusCode + ' ' + String(result.body).slice(0, 200);
} catch (error) {
  failure = String(error?.stack ?? error);
}
const invoked = performance.now();
process.stdout.write('\\nBENCH_COLD ' + JSON.stringify({ importMs: imported - started, firstInvokeMs: invoked - imported, processMs: invoked, failure }) + '\\n');
process.exit(0);
`;

/** An API Gateway HTTP API event for a prepared request, as the local runtime builds them. */
const httpEvent = (request: PreparedRequest, path: string, extra: object = {}) => {
  const url = new URL(request.url);
  const req = {
    url: `${url.pathname}${url.search}`,
    method: request.init.method ?? 'POST',
    headers: { host: url.host, ...request.init.headers },
    httpVersion: '1.1',
    socket: { remoteAddress: '203.0.113.9' },
  } as unknown as IncomingMessage;
  const body = Buffer.from(request.init.body ?? '');
  return { ...toHttpApiEvent(req, body, `${request.init.method ?? 'POST'} ${path}`), ...extra };
};

const sqsEvent = (envelope: EventBridgeEnvelope): SQSEvent => ({
  Records: [
    {
      messageId: crypto.randomUUID(),
      receiptHandle: 'bench',
      body: JSON.stringify(envelope),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.now()),
        SenderId: 'AIDAIENQZJOLO23YVJ4VO',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:bench',
      awsRegion: LOCAL_REGION,
    },
  ],
});

interface Settings {
  timeoutSeconds: number;
  memoryMb: number;
}
const settingsOf = (name: string): Settings =>
  [...webhooks, ...subscribers, ...scheduled].find((f) => f.name === name) ?? {
    timeoutSeconds: 30,
    memoryMb: 512,
  };

/**
 * Bundles every function into `<repo>/.bench/bundles` (inside the repository, so the bundles find
 * the AWS SDK the way Lambda's runtime provides it) and measures each one's cold start; functions
 * on the lead's path are started cold once per lead (two samples), the others once.
 */
export const measureColdStarts = async (
  options: {
    nodeOptions?: string;
    /** Writes a CPU profile (`node --cpu-prof`) of each import and first invocation under `<dir>/<function>/`. */
    profileDir?: string;
  } = {},
): Promise<ColdStart[]> => {
  const root = join(REPO_ROOT, '.bench', 'bundles');
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  const reports = await bundleAll(root);
  const driver = join(root, 'driver.mjs');
  await writeFile(driver, DRIVER);

  const dataDir = await mkdtemp(join(tmpdir(), 'leadline-cold-'));
  const aws = await startAwsStandIns({ dataDir, tables: TABLES, bucket: BUCKET });
  const published: EventBridgeEnvelope[] = [];
  const eventBridge = await startEventBridgeStandIn({
    region: LOCAL_REGION,
    eventBusName: EVENT_BUS_NAME,
    onEvents: (envelopes) => void published.push(...envelopes),
  });
  // Timers (follow-ups, reminders, the reps' response clock) go to EventBridge Scheduler.
  const scheduler = await startSchedulerStandIn({
    dir: join(dataDir, 'schedules'),
    region: LOCAL_REGION,
    onEvents: async () => {},
    logger: () => {},
  });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    ...standInEnvironment({
      dynamo: aws.dynamoEndpoint,
      s3: aws.s3Endpoint,
      eventBridge: eventBridge.url,
      scheduler: scheduler.url,
    }),
    PUBLIC_BASE_URL,
    POWERTOOLS_METRICS_NAMESPACE: 'Leadline',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    SENDGRID_EVENT_WEBHOOK_ALLOW_UNSIGNED: 'true',
    ...DEV_DEFAULTS,
    ...((options.nodeOptions ?? LAMBDA_NODE_OPTIONS) && {
      NODE_OPTIONS: options.nodeOptions ?? LAMBDA_NODE_OPTIONS,
    }),
  };

  const results = new Map<string, ColdStart>(
    reports.map((r) => [
      r.name,
      {
        name: r.name,
        kind: r.kind,
        bundleBytes: r.bytes,
        importMs: [],
        firstInvokeMs: [],
        processMs: [],
        failures: [],
      },
    ]),
  );
  const inputDir = join(dataDir, 'inputs');
  await mkdir(inputDir, { recursive: true });
  let runs = 0;
  /** One fresh process: the bundle imported, and invoked once with `event` unless there is none. */
  const run = async (name: string, event?: unknown) => {
    const settings = settingsOf(name);
    const inputFile = join(inputDir, `${runs++}.json`);
    if (event !== undefined) {
      await writeFile(inputFile, JSON.stringify({ event, functionName: `leadline-${name}`, ...settings }));
    }
    const profiling =
      options.profileDir && event !== undefined
        ? ['--cpu-prof', '--cpu-prof-interval', '200', `--cpu-prof-dir=${join(options.profileDir, name)}`]
        : [];
    const args = [
      ...profiling,
      driver,
      join(root, name, 'index.mjs'),
      ...(event === undefined ? [] : [inputFile]),
    ];
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, args, {
        env: {
          ...env,
          POWERTOOLS_SERVICE_NAME: name,
          AWS_LAMBDA_FUNCTION_NAME: `leadline-${name}`,
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(settings.memoryMb),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      child.on('error', reject);
      child.on('close', () => resolve(text));
    });
    const line = output.split('\n').find((l) => l.startsWith('BENCH_COLD '));
    const entry = results.get(name)!;
    if (!line) {
      entry.failures.push(`no result: ${output.slice(-400)}`);
      return;
    }
    const measured = JSON.parse(line.slice('BENCH_COLD '.length)) as {
      importMs: number;
      firstInvokeMs?: number;
      processMs?: number;
      failure?: string;
    };
    entry.importMs.push(measured.importMs);
    if (measured.firstInvokeMs !== undefined) entry.firstInvokeMs.push(measured.firstInvokeMs);
    if (measured.processMs !== undefined) entry.processMs.push(measured.processMs);
    if (measured.failure) entry.failures.push(measured.failure);
  };

  try {
    // Two leads, each through the pipeline one fresh process per function.
    const smsUrl = `${PUBLIC_BASE_URL}/webhooks/twilio/sms`;
    const leads = [
      {
        from: '+15125550142',
        body: 'Water is pouring through the ceiling from a burst pipe! In Austin, please come now',
      },
      {
        from: '+15125550143',
        body: 'Can someone come Tuesday morning to look at our water heater? We are in Round Rock.',
      },
    ];
    const samplesPerFunction = 2;
    for (const lead of leads) {
      const request = signedSmsRequest({
        publicUrl: smsUrl,
        authToken: DEV_DEFAULTS.TWILIO_AUTH_TOKEN,
        from: lead.from,
        to: '+15125550100',
        body: lead.body,
      });
      const consumed = published.length;
      await run('inbound-sms', httpEvent(request, '/webhooks/twilio/sms'));
      // Every event the lead causes, to every subscriber the topology routes it to, in order.
      for (let next = consumed; next < published.length; next++) {
        const envelope = published[next]!;
        for (const subscriber of subscribers) {
          if (!matchesEventPattern(subscriber.pattern as EventPattern, envelope)) continue;
          if (results.get(subscriber.name)!.importMs.length >= samplesPerFunction) continue;
          await run(subscriber.name, sqsEvent(envelope));
        }
      }
    }

    // What no lead's text reaches: MMS media (on the first lead's stored message), an email, the
    // status callbacks, the schedule, the console.
    const received = published.find((e) => e['detail-type'] === LeadMessageReceived.detailType);
    if (received) {
      await run(
        'archive-media',
        sqsEvent({
          ...received,
          id: crypto.randomUUID(),
          detail: {
            ...received.detail,
            media: [{ url: 'https://api.twilio.com/media/bench', contentType: 'image/jpeg' }],
          },
        }),
      );
    }
    await run(
      'inbound-email',
      httpEvent(
        inboundEmailRequest({
          url: `${PUBLIC_BASE_URL}/webhooks/sendgrid/inbound`,
          basicAuth: DEV_DEFAULTS.INBOUND_EMAIL_BASIC_AUTH,
          from: 'Dana <dana@example.com>',
          to: 'leads@plumbing.example.com',
          subject: 'Quote for a new water heater',
          text: 'Hello, could you quote a 50 gallon water heater install in Austin? Thanks, Dana',
        }),
        '/webhooks/sendgrid/inbound',
      ),
    );
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: aws.dynamoEndpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      }),
    );
    const { Items = [] } = await documents.send(
      new QueryCommand({
        TableName: TABLES.leads,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'OUTBOX' },
      }),
    );
    const text = Items.find((item) => item.kind === 'sms');
    const statusParams = {
      MessageSid: String(
        (text?.details as { providerMessageId?: string } | undefined)?.providerMessageId ?? 'SMbench',
      ),
      AccountSid: `AC${'0'.repeat(32)}`,
      MessageStatus: 'delivered',
      To: String(text?.to ?? leads[0]!.from),
      From: '+15125550100',
      ApiVersion: '2010-04-01',
    };
    const statusUrl = `${PUBLIC_BASE_URL}/webhooks/twilio/status`;
    await run(
      'sms-status',
      httpEvent(
        {
          url: statusUrl,
          init: {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'x-twilio-signature': twilioSignature({
                authToken: DEV_DEFAULTS.TWILIO_AUTH_TOKEN,
                url: statusUrl,
                params: statusParams,
              }),
            },
            body: new URLSearchParams(statusParams).toString(),
          },
        },
        '/webhooks/twilio/status',
      ),
    );
    await run(
      'email-events',
      httpEvent(
        {
          url: `${PUBLIC_BASE_URL}/webhooks/sendgrid/events`,
          init: {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify([
              {
                email: 'dana@example.com',
                timestamp: Math.floor(Date.now() / 1000),
                event: 'delivered',
                sg_event_id: 'bench-delivered-1',
                sg_message_id: 'bench.filter0001',
              },
            ]),
          },
        },
        '/webhooks/sendgrid/events',
      ),
    );
    await run('send-held', {
      version: '0',
      id: crypto.randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '000000000000',
      time: new Date().toISOString(),
      region: LOCAL_REGION,
      resources: [],
      detail: {},
    });
    await run(
      'console-api',
      httpEvent(
        { url: `${PUBLIC_BASE_URL}/api/leads`, init: { method: 'GET', headers: {}, body: '' } },
        '/api/leads',
        {
          requestContext: {
            ...httpEvent(
              { url: `${PUBLIC_BASE_URL}/api/leads`, init: { method: 'GET', headers: {}, body: '' } },
              '/api/leads',
            ).requestContext,
            authorizer: { jwt: { claims: { sub: 'bench', email: 'bench@example.com' }, scopes: [] } },
          },
        },
      ),
    );
    // More imports alone, so each function's import time is a median of several fresh processes.
    for (const name of results.keys()) {
      while (results.get(name)!.importMs.length < IMPORT_SAMPLES) await run(name);
    }
  } finally {
    await eventBridge.close();
    await scheduler.close();
    await aws.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  return [...results.values()];
};
