import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
  ScheduledEvent,
} from 'aws-lambda';
import { now } from '#shared/clock.ts';
import {
  EVENT_BUS_NAME,
  type Subscriber,
  scheduled,
  scheduleIntervalSeconds,
  subscribers,
  visibilityTimeoutSeconds,
  webhooks,
} from '#shared/pipeline.ts';
import { PayloadTooLargeError, readBody, toHttpApiEvent, writeHttpApiResult } from './api-gateway.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startAwsStandIns } from './aws-stand-ins.ts';
import { LocalBus } from './bus.ts';
import { createLocalConsole } from './console/console-server.ts';
import { LiveUpdates, observeBatches } from './console/live-updates.ts';
import { type ReleasedClaims, releaseDeadClaims } from './crash-recovery.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { DurableQueue } from './durable-queue.ts';
import type { EventPattern } from './event-pattern.ts';
import { type EventBridgeEnvelope, startEventBridgeStandIn } from './eventbridge-stand-in.ts';
import { createInspector, type Inspector } from './inspect.ts';
import { lambdaContext } from './lambda-context.ts';
import { handleClockRequest, type LocalClock, openLocalClock } from './local-clock.ts';
import { type PollerLogEntry, QueuePoller, type SqsLambdaHandler } from './queue-poller.ts';
import { type SchedulerStandIn, startSchedulerStandIn } from './scheduler-stand-in.ts';

/** Settings a developer gets when none are configured; never used by a deployed stack. */
export const DEV_DEFAULTS = {
  TWILIO_AUTH_TOKEN: 'leadline-dev-twilio-auth-token',
  INBOUND_EMAIL_BASIC_AUTH: 'leadline:leadline-dev-password',
} as const;

const TABLES = { leads: 'leadline-leads', idempotency: 'leadline-idempotency' };
const RAW_BUCKET = 'leadline-raw-payloads';

/**
 * The environment a deployed function gets from the stack (tables, bus, bucket, the timers'
 * schedule group), with the AWS SDK pointed at the local stand-ins (`urls`) and their credentials.
 * The runtime sets it on its own process; the bench's cold starts hand it to fresh processes.
 */
export const standInEnvironment = (urls: {
  dynamo: string;
  s3: string;
  eventBridge: string;
  scheduler: string;
}): Record<string, string> => ({
  AWS_REGION: LOCAL_REGION,
  AWS_DEFAULT_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  AWS_ENDPOINT_URL_DYNAMODB: urls.dynamo,
  AWS_ENDPOINT_URL_S3: urls.s3,
  AWS_ENDPOINT_URL_EVENTBRIDGE: urls.eventBridge,
  AWS_ENDPOINT_URL_SCHEDULER: urls.scheduler,
  SCHEDULER_GROUP_NAME: EVENT_BUS_NAME,
  SCHEDULER_TARGET_ROLE_ARN: `arn:aws:iam::000000000000:role/${EVENT_BUS_NAME}-scheduler`,
  EVENT_BUS_ARN: `arn:aws:events:${LOCAL_REGION}:000000000000:event-bus/${EVENT_BUS_NAME}`,
  S3_FORCE_PATH_STYLE: 'true',
  // The S3 stand-in does not decode aws-chunked uploads; only send checksums S3 requires.
  AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
  AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
  LEADS_TABLE_NAME: TABLES.leads,
  IDEMPOTENCY_TABLE_NAME: TABLES.idempotency,
  EVENT_BUS_NAME,
  RAW_BUCKET_NAME: RAW_BUCKET,
});

export interface LocalRuntimeOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  /** Where DynamoDB, S3 and the queues keep their data. */
  dataDir: string;
  publicBaseUrl?: string;
  /** Settings for the functions (the environment a deployed function would have). */
  env?: Record<string, string | undefined>;
  /**
   * Shortens every queue's visibility timeout (the topology's is 6× the function timeout), so a
   * failing record is retried in seconds when trying things out locally or in tests.
   */
  visibilityTimeoutSeconds?: number;
  /** Overrides every scheduled function's interval (the topology's `rate(...)`), in seconds. */
  scheduleIntervalSeconds?: number;
  /** Lets a test wrap a function, e.g. to make one fail. */
  wrapConsumer?: (name: string, handler: SqsLambdaHandler) => SqsLambdaHandler;
  /**
   * Runs around every invocation of every function (a webhook request, a consumer batch, a
   * scheduled run), e.g. for the benchmark to attribute AWS calls and time to the function.
   */
  aroundInvocation?: Instrument;
  /** One line per event and per failed batch. */
  trace?: (line: string) => void;
  /**
   * Where the pipeline's clock starts (ISO 8601): a test of a follow-up cadence starts on a known
   * weekday morning. Only forward: a data folder whose clock is past it keeps its own.
   */
  clockStart?: string;
  /** Fixed loopback ports for the AWS stand-ins (default: free ones), so other tools can attach. */
  standInPorts?: { dynamodb?: number | undefined; s3?: number | undefined; eventbridge?: number | undefined };
}

/** Where the AWS stand-ins listen (loopback URLs), and what they hold. */
export interface StandIns {
  readonly dynamodb: string;
  readonly s3: string;
  readonly eventbridge: string;
  readonly tables: typeof TABLES;
  readonly bucket: string;
  readonly eventBusName: string;
  readonly region: string;
}

/** What the runtime subscribes for one topology subscriber: the bus rule, its queues and the poller. */
export interface LocalSubscription {
  readonly name: string;
  readonly pattern: EventPattern;
  readonly queue: { readonly visibilityTimeoutSeconds: number; readonly maxReceiveCount: number };
  readonly deadLetter: { readonly visibilityTimeoutSeconds: number; readonly retentionSeconds: number };
  readonly poller: {
    readonly batchSize: number;
    readonly maximumBatchingWindowSeconds: number;
    readonly maximumConcurrency: number;
    readonly timeoutSeconds: number;
    readonly memorySizeMB: number;
  };
}

/** The subscriptions a runtime with these options sets up, one per topology subscriber. */
export const localSubscriptions = (
  options: Pick<LocalRuntimeOptions, 'visibilityTimeoutSeconds'> = {},
): LocalSubscription[] =>
  subscribers.map((subscriber: Subscriber) => ({
    name: subscriber.name,
    pattern: subscriber.pattern as EventPattern,
    queue: {
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? visibilityTimeoutSeconds(subscriber),
      maxReceiveCount: subscriber.maxReceiveCount,
    },
    deadLetter: { visibilityTimeoutSeconds: 30, retentionSeconds: 14 * 24 * 3600 },
    poller: {
      batchSize: subscriber.batchSize,
      maximumBatchingWindowSeconds: subscriber.maxBatchingWindowSeconds,
      maximumConcurrency: subscriber.maxConcurrency,
      timeoutSeconds: subscriber.timeoutSeconds,
      memorySizeMB: subscriber.memoryMb,
    },
  }));

export interface LocalRuntime {
  url: string;
  port: number;
  inspector: Inspector;
  /** What this runtime subscribed (bus patterns, queue and poller settings). */
  subscriptions: readonly LocalSubscription[];
  queues: ReadonlyMap<string, { queue: DurableQueue; deadLetter: DurableQueue; poller: QueuePoller }>;
  /** The AWS stand-ins the functions reach, for other tools (AWS CLI, NoSQL Workbench) to attach to. */
  standIns: StandIns;
  /** The pipeline's clock: read it, move it forward (due timers fire, scheduled functions run). */
  clock: LocalClock;
  /** The EventBridge Scheduler stand-in's pending one-time schedules (timers). */
  schedules: SchedulerStandIn;
  /** Messages in flight when the runtime last stopped (a crash), made visible again at start. */
  releasedInFlight: number;
  /** Claims the runtime that stopped left behind, ended at start (`crash-recovery.ts`). */
  releasedClaims: ReleasedClaims;
  /**
   * Resolves once every queue is empty and no function is running; meanwhile batches go without
   * waiting out their batching windows.
   */
  drain(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

type ScheduledHandler = (event: ScheduledEvent, context: Context) => Promise<unknown>;

/** One invocation of a function, as `aroundInvocation` sees it. */
export interface Invocation {
  readonly functionName: string;
  readonly kind: 'webhook' | 'consumer' | 'scheduled';
  /** Records in an SQS batch; 1 otherwise. */
  readonly records: number;
}
export type Instrument = <T>(invocation: Invocation, run: () => Promise<T>) => Promise<T>;
const uninstrumented: Instrument = (_invocation, run) => run();

/** Runs each scheduled function at start and then at its rate, never two runs of one at once. */
const startSchedules = async (options: LocalRuntimeOptions, trace: (line: string) => void) => {
  const around = options.aroundInvocation ?? uninstrumented;
  const timers: NodeJS.Timeout[] = [];
  const runs: Array<() => void> = [];
  const running = new Set<Promise<void>>();
  for (const fn of scheduled) {
    const handler = await importHandler<ScheduledHandler>(fn.name);
    let busy = false;
    const run = () => {
      if (busy) return;
      busy = true;
      const time = now();
      const event: ScheduledEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: '000000000000',
        time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: LOCAL_REGION,
        resources: [`arn:aws:events:${LOCAL_REGION}:000000000000:rule/leadline-${fn.name}`],
        detail: {},
      };
      const context = lambdaContext({
        functionName: `leadline-${fn.name}`,
        timeoutSeconds: fn.timeoutSeconds,
        memoryMb: fn.memoryMb,
        region: LOCAL_REGION,
      });
      const done = around({ functionName: fn.name, kind: 'scheduled', records: 1 }, () =>
        handler(event, context),
      )
        .then(
          () => undefined,
          (error: unknown) => trace(`failed ${fn.name}: ${(error as Error).message}`),
        )
        .finally(() => {
          busy = false;
          running.delete(done);
        });
      running.add(done);
    };
    run();
    runs.push(run);
    timers.push(setInterval(run, 1000 * (options.scheduleIntervalSeconds ?? scheduleIntervalSeconds(fn))));
  }
  return {
    /** Runs every scheduled function once now (as its next tick would), waiting for the runs. */
    runAll: async () => {
      await Promise.all(running);
      for (const run of runs) run();
      await Promise.all(running);
    },
    stop: async () => {
      for (const timer of timers) clearInterval(timer);
      await Promise.all(running);
    },
  };
};

type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** A refusal's reason (its plain-text body, first line), for the request's trace line. */
const refusalReason = (result: APIGatewayProxyStructuredResultV2): string => {
  if ((result.statusCode ?? 200) < 400 || typeof result.body !== 'string' || result.isBase64Encoded)
    return '';
  const reason = result.body.trim().split('\n')[0]?.slice(0, 160);
  return reason ? ` ${reason}` : '';
};

const functionsDir = resolve(import.meta.dirname, '../../functions');
const importHandler = async <H>(name: string): Promise<H> => {
  const module = (await import(pathToFileURL(join(functionsDir, name, 'handler.ts')).href)) as { handler: H };
  return module.handler;
};

/**
 * The whole pipeline on one machine: the same handlers, fed the same event shapes, with the
 * topology's patterns and queue semantics, and DynamoDB/S3/EventBridge stand-ins reached through
 * the real SDK clients. The functions read their settings from `process.env` when they load, as
 * on Lambda, so one process holds one runtime at a time.
 */
export const startLocalRuntime = async (options: LocalRuntimeOptions): Promise<LocalRuntime> => {
  const trace = options.trace ?? (() => undefined);
  const around = options.aroundInvocation ?? uninstrumented;
  const dataDir = resolve(options.dataDir);
  const lock = await lockDataDir(dataDir);
  // Listening early fixes the port (and so the default public URL); until the functions are
  // loaded every request, /health included, answers 503.
  let handleRequest = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end(JSON.stringify({ message: 'Starting' }));
  };
  const server = createServer((req, res) => handleRequest(req, res));
  await new Promise<void>((done, fail) => {
    server.once('error', (error) => void lock.release().finally(() => fail(error)));
    server.listen(options.port, options.host ?? '127.0.0.1', () => done());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://localhost:${port}`;
  await lock.announce(url);
  const aws = await startAwsStandIns({
    dataDir,
    tables: TABLES,
    bucket: RAW_BUCKET,
    ports: { dynamodb: options.standInPorts?.dynamodb, s3: options.standInPorts?.s3 },
  });
  // This runtime holds the data folder: whatever an earlier one left claimed is claimed by nobody.
  const releasedClaims = await releaseDeadClaims({ endpoint: aws.dynamoEndpoint, tables: TABLES });

  const queues = new Map<string, { queue: DurableQueue; deadLetter: DurableQueue; poller: QueuePoller }>();
  const subscriptions = localSubscriptions(options);
  const openQueues = async (subscription: LocalSubscription) => {
    const queueDir = join(dataDir, 'queues');
    const deadLetter = await DurableQueue.open({
      dir: queueDir,
      name: `${subscription.name}-dlq`,
      ...subscription.deadLetter,
      region: LOCAL_REGION,
    });
    const queue = await DurableQueue.open({
      dir: queueDir,
      name: subscription.name,
      ...subscription.queue,
      deadLetterQueue: deadLetter,
      region: LOCAL_REGION,
      // The data folder's lock says no other runtime polls these queues: what was in flight
      // belonged to a runtime that is gone.
      releaseInFlight: true,
    });
    return { queue, deadLetter };
  };
  const opened = new Map<string, { queue: DurableQueue; deadLetter: DurableQueue }>();
  for (const subscription of subscriptions) opened.set(subscription.name, await openQueues(subscription));

  const bus = new LocalBus(
    subscriptions.map((s) => ({
      name: s.name,
      pattern: s.pattern,
      queue: opened.get(s.name)!.queue,
    })),
  );
  // The console hears of every change (server-sent events): events on the bus, webhooks, batches.
  const live = new LiveUpdates();
  const eventBridge = await startEventBridgeStandIn({
    ...(options.standInPorts?.eventbridge !== undefined && { port: options.standInPorts.eventbridge }),
    region: LOCAL_REGION,
    eventBusName: EVENT_BUS_NAME,
    onEvents: (envelopes: EventBridgeEnvelope[]) => publishToBus(envelopes),
  });

  const clock = await openLocalClock(dataDir, options.clockStart);
  const publishToBus = async (envelopes: EventBridgeEnvelope[]) => {
    for (const envelope of envelopes) {
      const matched = await bus.publish(envelope);
      const leadId = (envelope.detail as { leadId?: unknown }).leadId;
      trace(
        `event  ${envelope['detail-type']} (lead ${String(leadId)}) → ${matched.join(', ') || 'no subscriber'}`,
      );
      live.publish({ type: 'event', detailType: envelope['detail-type'], leadId: String(leadId) });
    }
  };
  const scheduler = await startSchedulerStandIn({
    dir: join(dataDir, 'schedules'),
    region: LOCAL_REGION,
    onEvents: publishToBus,
    logger: (message, error) => trace(`failed scheduler: ${message}: ${(error as Error).message}`),
  });

  const publicBaseUrl = options.publicBaseUrl ?? url;

  // The environment a deployed function gets from the stack, pointing the SDK clients at the stand-ins.
  Object.assign(process.env, {
    ...standInEnvironment({
      dynamo: aws.dynamoEndpoint,
      s3: aws.s3Endpoint,
      eventBridge: eventBridge.url,
      scheduler: scheduler.url,
    }),
    POWERTOOLS_METRICS_NAMESPACE: 'Leadline',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: process.env.LOG_LEVEL ?? 'WARN',
    ...DEV_DEFAULTS,
    ...Object.fromEntries(Object.entries(options.env ?? {}).filter(([, v]) => v !== undefined && v !== '')),
    PUBLIC_BASE_URL: publicBaseUrl,
  });

  const inspector = createInspector({ tableName: TABLES.leads, queues: opened });
  // Set once the scheduled functions are loaded: moving the clock runs them too.
  let runScheduled = async (): Promise<unknown> => undefined;
  const localClock: LocalClock = {
    ...clock,
    advance: async (ms) => {
      const moved = await clock.advance(ms);
      const fired = await scheduler.fireDue();
      await runScheduled();
      trace(`clock  now ${moved.now} (+${ms} ms): ${fired} timer(s) fired`);
      return { ...moved, fired };
    },
  };
  const localConsole = createLocalConsole({
    live,
    tableName: TABLES.leads,
    queues: opened,
    url,
    publicBaseUrl,
  });

  for (const subscription of subscriptions) {
    const { queue, deadLetter } = opened.get(subscription.name)!;
    const imported = await importHandler<SqsLambdaHandler>(subscription.name);
    const handler: SqsLambdaHandler = (event, context) =>
      around({ functionName: subscription.name, kind: 'consumer', records: event.Records.length }, async () =>
        imported(event, context),
      );
    const poller = new QueuePoller({
      queue,
      handler: observeBatches(
        live,
        subscription.name,
        options.wrapConsumer?.(subscription.name, handler) ?? handler,
      ),
      ...subscription.poller,
      functionName: `leadline-${subscription.name}`,
      queueArn: `arn:aws:sqs:${LOCAL_REGION}:000000000000:${subscription.name}`,
      region: LOCAL_REGION,
      logger: (entry: PollerLogEntry) =>
        trace(`failed ${subscription.name}: ${entry.message} (${entry.messageIds.length} record(s))`),
    });
    queues.set(subscription.name, { queue, deadLetter, poller });
  }

  const webhookHandlers = new Map<
    string,
    { handler: HttpHandler; name: string; timeoutSeconds: number; memoryMb: number }
  >();
  for (const webhook of webhooks) {
    webhookHandlers.set(webhook.path, {
      ...webhook,
      handler: await importHandler<HttpHandler>(webhook.name),
    });
  }

  const serve = (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((error: unknown) => {
      trace(`http   ${req.method} ${req.url} failed: ${(error as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal Server Error' }));
    });
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const webhook = webhookHandlers.get(path);
    if (webhook) {
      let body: Buffer;
      try {
        body = await readBody(req);
      } catch (error) {
        if (!(error instanceof PayloadTooLargeError)) throw error;
        res.writeHead(413, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Request Entity Too Large' }));
        return;
      }
      const event = toHttpApiEvent(req, body, `POST ${path}`);
      const context = lambdaContext({
        functionName: `leadline-${webhook.name}`,
        timeoutSeconds: webhook.timeoutSeconds,
        memoryMb: webhook.memoryMb,
        region: LOCAL_REGION,
      });
      const result = await around({ functionName: webhook.name, kind: 'webhook', records: 1 }, () =>
        webhook.handler(event, context),
      );
      trace(`http   ${req.method} ${path} → ${result.statusCode}${refusalReason(result)}`);
      writeHttpApiResult(res, result);
      live.publish({ type: 'webhook' });
      return;
    }
    if (await localConsole.handle(req, res, path)) return;
    if (await handleClockRequest(req, res, path, localClock, scheduler)) return;
    await inspector.handle(req, res, path);
  };

  for (const { poller } of queues.values()) poller.start();
  const schedules = await startSchedules(options, trace);
  runScheduled = schedules.runAll;
  handleRequest = serve;

  return {
    url,
    port,
    inspector,
    clock: localClock,
    schedules: scheduler,
    subscriptions,
    queues,
    standIns: {
      dynamodb: aws.dynamoEndpoint,
      s3: aws.s3Endpoint,
      eventbridge: eventBridge.url,
      tables: TABLES,
      bucket: RAW_BUCKET,
      eventBusName: EVENT_BUS_NAME,
      region: LOCAL_REGION,
    },
    releasedInFlight: [...opened.values()].reduce((sum, { queue }) => sum + queue.releasedAtOpen, 0),
    releasedClaims,
    drain: async (timeoutMs = 15_000) => {
      // Batches go without waiting out their batching windows: a drain wants everything delivered now.
      const releases = [...queues.values()].map(({ poller }) => poller.flush());
      try {
        // A function's output lands on other queues: drain until a full pass finds all of them idle.
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          for (const { poller } of queues.values()) {
            await poller.drain({ timeoutMs: Math.max(1, deadline - Date.now()) });
          }
          const idle = [...queues.values()].every(
            ({ queue, poller }) =>
              queue.stats().visible + queue.stats().inFlight + queue.stats().delayed === 0 &&
              poller.activeBatches === 0,
          );
          if (idle) return;
          if (Date.now() > deadline) throw new Error('The pipeline did not go idle in time');
        }
      } finally {
        for (const release of releases) release();
      }
    },
    close: async () => {
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      await schedules.stop();
      await scheduler.close();
      for (const { poller } of queues.values()) await poller.stop();
      await eventBridge.close();
      for (const { queue, deadLetter } of queues.values()) {
        await queue.close();
        await deadLetter.close();
      }
      await aws.close();
      await lock.release();
    },
  };
};
