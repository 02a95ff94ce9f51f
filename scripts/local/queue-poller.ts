/**
 * Feeds a {@link DurableQueue} to an SQS-shaped Lambda handler, the way the Lambda event source
 * mapping does with `ReportBatchItemFailures` on: batches of up to `batchSize` records, an optional
 * batching window, at most `maximumConcurrency` batches at once, and only the records the handler
 * did not report as failed are deleted. A thrown error, a timeout, or a malformed response fails the
 * whole batch; failed records come back after the visibility timeout, and the queue's redrive policy
 * moves them to the dead-letter queue after `maxReceiveCount` receives.
 *
 * The poller sleeps until the queue's next visible message, a send to the queue, or `wake()`.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Context, SQSBatchItemFailure, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import type { DurableQueue, ReceivedMessage } from './durable-queue.ts';

/** An SQS consumer as Lambda calls it; middy-wrapped handlers fit. */
export type SqsLambdaHandler = (event: SQSEvent, context: Context) => unknown;

export interface PollerLogEntry {
  readonly level: 'error' | 'warn';
  readonly message: string;
  readonly functionName: string;
  readonly messageIds: readonly string[];
  readonly error?: unknown;
}

export interface QueuePollerOptions {
  readonly queue: DurableQueue;
  readonly handler: SqsLambdaHandler;
  /** 1–10000; above 10 needs a batching window of at least 1 s, as in AWS. */
  readonly batchSize: number;
  /** 0–300. */
  readonly maximumBatchingWindowSeconds: number;
  /** Concurrent batches (AWS allows 2–1000; 1 is accepted locally). */
  readonly maximumConcurrency: number;
  readonly functionName: string;
  readonly queueArn: string;
  readonly region: string;
  /** The function's timeout: `context.getRemainingTimeInMillis()` counts down from it, and a handler still running after it fails its batch. Default 3 (Lambda's default). */
  readonly timeoutSeconds?: number;
  readonly memorySizeMB?: number;
  /** Called for failed batches; default writes one line to stderr. */
  readonly logger?: (entry: PollerLogEntry) => void;
}

export interface DrainOptions {
  /** Default 5000. */
  readonly timeoutMs?: number;
}

/** Longest single sleep; a safety net only, the queue wakes the poller on every send. */
const MAX_SLEEP_MS = 30_000;
/** Sleep when a poll found nothing although a message looked due (clock skew between checks). */
const MIN_SLEEP_MS = 2;

export class QueuePoller {
  private readonly options: QueuePollerOptions;
  private readonly timeoutMs: number;
  private readonly accountId: string;
  private readonly log: (entry: PollerLogEntry) => void;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private readonly active = new Set<Promise<void>>();
  private collecting = false;
  /** Holders of `flush()`: while any, a batching window does not wait. */
  private flushes = 0;
  private wakeRequested = false;
  private wakeSleeper: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(options: QueuePollerOptions) {
    const { batchSize, maximumBatchingWindowSeconds: window, maximumConcurrency } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
      throw new Error(`${options.functionName}: batchSize must be an integer from 1 to 10000`);
    }
    if (!(window >= 0 && window <= 300)) {
      throw new Error(`${options.functionName}: maximumBatchingWindowSeconds must be from 0 to 300`);
    }
    if (batchSize > 10 && window < 1) {
      throw new Error(
        `${options.functionName}: a batchSize above 10 needs maximumBatchingWindowSeconds >= 1`,
      );
    }
    if (!Number.isInteger(maximumConcurrency) || maximumConcurrency < 1 || maximumConcurrency > 1000) {
      throw new Error(`${options.functionName}: maximumConcurrency must be an integer from 1 to 1000`);
    }
    const timeoutSeconds = options.timeoutSeconds ?? 3;
    if (!(timeoutSeconds > 0 && timeoutSeconds <= 900)) {
      throw new Error(`${options.functionName}: timeoutSeconds must be from 0 (excluded) to 900`);
    }
    this.options = options;
    this.timeoutMs = timeoutSeconds * 1000;
    this.accountId = options.queueArn.split(':')[4] || '000000000000';
    this.log = options.logger ?? defaultLogger;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Batches being handled right now. */
  get activeBatches(): number {
    return this.active.size;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.options.queue.subscribe(() => this.wake());
    this.loopDone = this.loop();
  }

  /** Stops polling and waits for the batches in flight to finish. */
  async stop(): Promise<void> {
    if (!this.running) {
      await Promise.all(this.active);
      return;
    }
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.wake();
    await this.loopDone;
    await Promise.all(this.active);
  }

  /** Polls at once instead of waiting (e.g. the bus just delivered to this queue). */
  wake(): void {
    this.wakeRequested = true;
    const sleeper = this.wakeSleeper;
    this.wakeSleeper = undefined;
    sleeper?.();
  }

  /**
   * Until the returned release is called, batches go as soon as they are received, without waiting
   * out the batching window (Lambda's waits for more records): for a caller that wants everything
   * delivered now, as the runtime's `drain()`. Meant for tests and the benchmark.
   */
  flush(): () => void {
    this.flushes++;
    this.wake();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.flushes--;
    };
  }

  /**
   * Resolves when the queue has no visible and no in-flight messages and no batch is running
   * (delayed messages are not waited for). Rejects after `timeoutMs`. Meant for tests.
   */
  async drain(opts: DrainOptions = {}): Promise<void> {
    const timeoutMs = opts.timeoutMs ?? 5000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { visible, inFlight } = this.options.queue.stats();
      if (visible === 0 && inFlight === 0 && this.active.size === 0 && !this.collecting) return;
      if (Date.now() >= deadline) {
        throw new Error(
          `${this.options.functionName}: queue not drained after ${timeoutMs} ms (visible ${visible}, in flight ${inFlight}, batches ${this.active.size})`,
        );
      }
      await delay(5);
    }
  }

  // -------------------------------------------------------------------------------------------

  private async loop(): Promise<void> {
    const { queue } = this.options;
    while (this.running) {
      if (this.active.size >= this.options.maximumConcurrency) {
        await this.sleep(undefined);
        continue;
      }
      this.wakeRequested = false;
      let batch: ReceivedMessage[];
      this.collecting = true;
      try {
        batch = await this.collectBatch();
      } catch (error) {
        this.collecting = false;
        this.log({
          level: 'error',
          message: `Polling ${queue.name} failed`,
          functionName: this.options.functionName,
          messageIds: [],
          error,
        });
        await this.sleep(1000);
        continue;
      }
      if (batch.length > 0) {
        this.launch(batch);
        this.collecting = false;
        continue;
      }
      this.collecting = false;
      const next = queue.nextVisibleAt();
      if (next === undefined) await this.sleep(undefined);
      else await this.sleep(Math.max(MIN_SLEEP_MS, next - queue.now()));
    }
  }

  /** One receive, then, with a batching window, more receives until the batch is full or the window ends. */
  private async collectBatch(): Promise<ReceivedMessage[]> {
    const { queue, batchSize, maximumBatchingWindowSeconds } = this.options;
    const batch = await queue.receive(batchSize);
    if (batch.length === 0 || maximumBatchingWindowSeconds === 0) return batch;
    const windowEnds = Date.now() + maximumBatchingWindowSeconds * 1000;
    while (this.running && batch.length < batchSize && this.flushes === 0) {
      const left = windowEnds - Date.now();
      if (left <= 0) break;
      const next = queue.nextVisibleAt();
      const untilVisible = next === undefined ? left : Math.max(MIN_SLEEP_MS, next - queue.now());
      this.wakeRequested = false;
      await this.sleep(Math.min(left, untilVisible));
      for (const message of await queue.receive(batchSize - batch.length)) {
        // a message held past its visibility timeout comes back: keep only its newest receipt
        const held = batch.findIndex((m) => m.messageId === message.messageId);
        if (held === -1) batch.push(message);
        else batch[held] = message;
      }
    }
    return batch;
  }

  private launch(batch: ReceivedMessage[]): void {
    const run = this.invoke(batch).finally(() => {
      this.active.delete(run);
      this.wake();
    });
    this.active.add(run);
  }

  private async invoke(batch: ReceivedMessage[]): Promise<void> {
    const { handler, functionName, queue } = this.options;
    const event: SQSEvent = { Records: batch.map((m) => this.toRecord(m)) };
    const messageIds = batch.map((m) => m.messageId);
    const deadline = Date.now() + this.timeoutMs;
    const context = this.context(deadline);

    let response: unknown;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Task timed out after ${(this.timeoutMs / 1000).toFixed(2)} seconds`)),
          this.timeoutMs,
        );
      });
      response = await Promise.race([Promise.resolve().then(() => handler(event, context)), timedOut]);
    } catch (error) {
      this.log({
        level: 'error',
        message: 'Handler failed; the whole batch will be retried',
        functionName,
        messageIds,
        error,
      });
      return;
    } finally {
      clearTimeout(timer);
    }

    const failed = failedIds(response, new Set(messageIds));
    if (failed === 'all') {
      this.log({
        level: 'error',
        message: 'Malformed batch response (ReportBatchItemFailures); the whole batch will be retried',
        functionName,
        messageIds,
        error: response,
      });
      return;
    }
    if (failed.size > 0) {
      this.log({
        level: 'warn',
        message: `${failed.size} of ${batch.length} records failed and will be retried`,
        functionName,
        messageIds: [...failed],
      });
    }
    for (const message of batch) {
      if (!failed.has(message.messageId)) await queue.delete(message.receiptHandle);
    }
  }

  private toRecord(message: ReceivedMessage): SQSRecord {
    const messageAttributes: SQSMessageAttributes = {};
    for (const [name, value] of Object.entries(message.attributes)) {
      messageAttributes[name] = {
        stringValue: value,
        stringListValues: [],
        binaryListValues: [],
        dataType: 'String',
      };
    }
    const hasAttributes = Object.keys(messageAttributes).length > 0;
    return {
      messageId: message.messageId,
      receiptHandle: message.receiptHandle,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentTimestamp),
        SenderId: message.senderId,
        ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp),
        ...(message.deadLetterQueueSourceArn
          ? { DeadLetterQueueSourceArn: message.deadLetterQueueSourceArn }
          : {}),
      },
      messageAttributes,
      md5OfBody: md5(message.body),
      ...(hasAttributes ? { md5OfMessageAttributes: md5OfMessageAttributes(message.attributes) } : {}),
      eventSource: 'aws:sqs',
      eventSourceARN: this.options.queueArn,
      awsRegion: this.options.region,
    };
  }

  private context(deadline: number): Context {
    const { functionName, region, memorySizeMB } = this.options;
    const unsupported = (name: string) => () => {
      throw new Error(`context.${name}() is not supported: return a promise from the handler`);
    };
    return {
      callbackWaitsForEmptyEventLoop: true,
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${region}:${this.accountId}:function:${functionName}`,
      memoryLimitInMB: String(memorySizeMB ?? 128),
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: unsupported('done'),
      fail: unsupported('fail'),
      succeed: unsupported('succeed'),
    };
  }

  /** Sleeps until woken, or `ms` elapse (undefined: until woken, capped at MAX_SLEEP_MS). */
  private sleep(ms: number | undefined): Promise<void> {
    if (this.wakeRequested || !this.running) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.min(ms ?? MAX_SLEEP_MS, MAX_SLEEP_MS));
      const self = this;
      function done() {
        clearTimeout(timer);
        if (self.wakeSleeper === done) self.wakeSleeper = undefined;
        self.wakeRequested = false;
        resolve();
      }
      this.wakeSleeper = done;
    });
  }
}

/**
 * The ids the handler reported as failed, or 'all' when the response fails the whole batch
 * (Lambda: an empty, null, unknown or malformed itemIdentifier, or an unparseable response).
 */
export function failedIds(response: unknown, batchIds: ReadonlySet<string>): Set<string> | 'all' {
  if (response === undefined || response === null) return new Set();
  if (typeof response !== 'object' || Array.isArray(response)) return 'all';
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return 'all';
  const ids = new Set<string>();
  for (const failure of failures as unknown[]) {
    const id = (failure as Partial<SQSBatchItemFailure> | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !batchIds.has(id)) return 'all';
    ids.add(id);
  }
  return ids;
}

export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** SQS's MD5 of message attributes (String attributes): name, type, transport 1, value, each length-prefixed. */
export function md5OfMessageAttributes(attributes: Readonly<Record<string, string>>): string {
  const hash = createHash('md5');
  const lengthPrefixed = (value: string) => {
    const bytes = Buffer.from(value, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length);
    hash.update(bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    lengthPrefixed(name);
    lengthPrefixed('String');
    hash.update(Buffer.from([1]));
    lengthPrefixed(attributes[name] as string);
  }
  return hash.digest('hex');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function defaultLogger(entry: PollerLogEntry): void {
  const error = entry.error instanceof Error ? entry.error.stack : entry.error;
  console.error(
    JSON.stringify({
      level: entry.level.toUpperCase(),
      message: entry.message,
      function: entry.functionName,
      messageIds: entry.messageIds,
      ...(error === undefined ? {} : { error: String(error) }),
    }),
  );
}
