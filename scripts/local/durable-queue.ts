/**
 * A standard SQS queue, on disk, for the local runtime.
 *
 * One directory per queue, one JSON file per message, written atomically (temporary file + rename),
 * so a crash or a restart loses nothing that `send` accepted. The in-memory index is rebuilt from
 * the directory by `open()`. Semantics follow SQS standard queues: delay, visibility timeout,
 * receive count, a new receipt handle on every receive (older handles stop working), redrive to a
 * dead-letter queue when a receive would exceed `maxReceiveCount`, retention, and a message move
 * task for redriving a dead-letter queue. All mutations of one queue are serialised.
 *
 * Departures from SQS, on purpose: `receive` returns messages in send order and accepts any `max`
 * (SQS: best-effort order, 1–10); timeouts and delays may be fractional seconds (handy in tests).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export interface DurableQueueOptions {
  /** Parent directory; the queue lives in `<dir>/<name>/`. */
  readonly dir: string;
  readonly name: string;
  readonly visibilityTimeoutSeconds: number;
  /** Receives before a message is moved to `deadLetterQueue` (SQS redrive policy). Needs `deadLetterQueue`. */
  readonly maxReceiveCount?: number;
  readonly deadLetterQueue?: DurableQueue;
  /** Default 4 days, as SQS. Counted from the original enqueue time, also in the dead-letter queue. */
  readonly retentionSeconds?: number;
  /** Default 0. */
  readonly delaySeconds?: number;
  readonly clock?: () => number;
  /** fsync each file before renaming it into place (survives power loss, not only a process crash). */
  readonly fsync?: boolean;
  /** Region and account for the queue's ARN. */
  readonly region?: string;
  readonly accountId?: string;
  /**
   * At open, makes the messages in flight visible again at once (their receive count kept): the
   * process that received them is gone, so nothing will delete them or give them back, and waiting
   * out the visibility timeout would only delay them. For a queue only one process uses.
   */
  readonly releaseInFlight?: boolean;
}

export interface SendOptions {
  readonly delaySeconds?: number;
  /** String message attributes. */
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface ReceivedMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  /** Approximate receive count, this receive included. */
  readonly receiveCount: number;
  readonly sentTimestamp: number;
  readonly firstReceiveTimestamp: number;
  readonly attributes: Readonly<Record<string, string>>;
  readonly senderId: string;
  /** Set on messages that a redrive policy moved here: the source queue's ARN. */
  readonly deadLetterQueueSourceArn?: string;
}

export interface QueueStats {
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
}

/** What is stored in each message file. */
interface StoredMessage {
  readonly format: 1;
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Record<string, string>;
  readonly senderId: string;
  readonly sentTimestamp: number;
  readonly sequence: number;
  readonly receiveCount: number;
  readonly firstReceiveTimestamp: number | null;
  /** Not visible before this time (delay or visibility timeout). */
  readonly visibleAt: number;
  readonly receiptHandle: string | null;
  readonly deadLetterQueueSourceArn?: string;
}

const DEFAULT_RETENTION_SECONDS = 4 * 24 * 60 * 60;
const MAX_BODY_BYTES = 256 * 1024;
/** A plausible IAM principal id; EventBridge-delivered messages carry the service's sender id. */
export const DEFAULT_SENDER_ID = 'AIDAIENQZJOLO23YVJ4VO';
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const MESSAGE_FILE = /^[0-9a-f-]{36}\.json$/;

export class DurableQueue {
  readonly name: string;
  readonly arn: string;
  readonly directory: string;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number | undefined;
  readonly deadLetterQueue: DurableQueue | undefined;
  readonly retentionSeconds: number;
  readonly delaySeconds: number;
  /** How many in-flight messages `releaseInFlight` made visible when the queue was opened. */
  releasedAtOpen = 0;

  private readonly clock: () => number;
  private readonly fsync: boolean;
  private readonly messages = new Map<string, StoredMessage>();
  private readonly handles = new Map<string, string>();
  private readonly listeners = new Set<() => void>();
  private sequence = 0;
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(options: DurableQueueOptions) {
    if (!QUEUE_NAME.test(options.name)) {
      throw new Error(`Queue name "${options.name}" is not valid (1–80 of A-Z a-z 0-9 _ -)`);
    }
    assertSeconds(options.visibilityTimeoutSeconds, 0, 43_200, 'visibilityTimeoutSeconds');
    assertSeconds(options.retentionSeconds ?? DEFAULT_RETENTION_SECONDS, 0, 1_209_600, 'retentionSeconds');
    assertSeconds(options.delaySeconds ?? 0, 0, 900, 'delaySeconds');
    if ((options.maxReceiveCount === undefined) !== (options.deadLetterQueue === undefined)) {
      throw new Error(
        `Queue ${options.name}: maxReceiveCount and deadLetterQueue go together (SQS redrive policy)`,
      );
    }
    if (options.maxReceiveCount !== undefined) {
      if (
        !Number.isInteger(options.maxReceiveCount) ||
        options.maxReceiveCount < 1 ||
        options.maxReceiveCount > 1000
      ) {
        throw new Error(`Queue ${options.name}: maxReceiveCount must be an integer from 1 to 1000`);
      }
    }
    this.name = options.name;
    this.directory = path.join(options.dir, options.name);
    this.arn = `arn:aws:sqs:${options.region ?? 'us-east-1'}:${options.accountId ?? '000000000000'}:${options.name}`;
    this.visibilityTimeoutSeconds = options.visibilityTimeoutSeconds;
    this.maxReceiveCount = options.maxReceiveCount;
    this.deadLetterQueue = options.deadLetterQueue;
    this.retentionSeconds = options.retentionSeconds ?? DEFAULT_RETENTION_SECONDS;
    this.delaySeconds = options.delaySeconds ?? 0;
    this.clock = options.clock ?? Date.now;
    this.fsync = options.fsync ?? false;
  }

  /** Opens (creating if needed) the queue directory and loads every stored message. */
  static async open(options: DurableQueueOptions): Promise<DurableQueue> {
    const queue = new DurableQueue(options);
    await queue.load();
    if (options.releaseInFlight) await queue.releaseInFlight();
    return queue;
  }

  /** The queue's clock (epoch milliseconds). */
  now(): number {
    return this.clock();
  }

  async send(body: string, opts: SendOptions = {}): Promise<{ messageId: string }> {
    if (typeof body !== 'string' || body.length === 0)
      throw new Error('Message body must be a non-empty string');
    const size = Buffer.byteLength(body) + attributesSize(opts.attributes);
    if (size > MAX_BODY_BYTES) {
      throw new Error(`Message of ${size} bytes is over the ${MAX_BODY_BYTES}-byte SQS limit`);
    }
    const delay = opts.delaySeconds ?? this.delaySeconds;
    assertSeconds(delay, 0, 900, 'delaySeconds');
    return this.exclusive(async () => {
      const now = this.clock();
      const message: StoredMessage = {
        format: 1,
        messageId: randomUUID(),
        body,
        attributes: { ...opts.attributes },
        senderId: DEFAULT_SENDER_ID,
        sentTimestamp: now,
        sequence: this.sequence++,
        receiveCount: 0,
        firstReceiveTimestamp: null,
        visibleAt: now + delay * 1000,
        receiptHandle: null,
      };
      await this.persist(message);
      this.notify();
      return { messageId: message.messageId };
    });
  }

  /**
   * Receives up to `max` visible messages, oldest first. Each becomes invisible for the visibility
   * timeout and gets a new receipt handle. A message whose receive count would exceed
   * `maxReceiveCount` is moved to the dead-letter queue instead of being returned.
   */
  async receive(max: number): Promise<ReceivedMessage[]> {
    if (!Number.isInteger(max) || max < 1) throw new Error('receive(max): max must be a positive integer');
    return this.exclusive(async () => {
      const now = this.clock();
      await this.dropExpired(now);
      const visible = [...this.messages.values()]
        .filter((m) => m.visibleAt <= now)
        .sort((a, b) => a.sequence - b.sequence);
      const taken: StoredMessage[] = [];
      for (const message of visible) {
        if (taken.length >= max) break;
        if (
          this.deadLetterQueue &&
          this.maxReceiveCount !== undefined &&
          message.receiveCount >= this.maxReceiveCount
        ) {
          await this.deadLetterQueue.adopt(message, { deadLetterQueueSourceArn: this.arn });
          await this.remove(message);
          continue;
        }
        taken.push({
          ...message,
          receiveCount: message.receiveCount + 1,
          firstReceiveTimestamp: message.firstReceiveTimestamp ?? now,
          visibleAt: now + this.visibilityTimeoutSeconds * 1000,
          receiptHandle: newReceiptHandle(),
        });
      }
      await Promise.all(taken.map((m) => this.persist(m)));
      return taken.map(toReceived);
    });
  }

  /** Deletes the message the handle was issued for. A stale or unknown handle is a no-op returning false. */
  async delete(receiptHandle: string): Promise<boolean> {
    return this.exclusive(async () => {
      const message = this.byHandle(receiptHandle);
      if (!message) return false;
      await this.remove(message);
      return true;
    });
  }

  /**
   * Makes the message visible again `seconds` from now (0: at once). False when the handle is stale
   * or the message is not in flight (SQS answers MessageNotInflight).
   */
  async changeVisibility(receiptHandle: string, seconds: number): Promise<boolean> {
    assertSeconds(seconds, 0, 43_200, 'visibility timeout');
    return this.exclusive(async () => {
      const message = this.byHandle(receiptHandle);
      const now = this.clock();
      if (!message || message.visibleAt <= now) return false;
      await this.persist({ ...message, visibleAt: now + seconds * 1000 });
      this.notify();
      return true;
    });
  }

  stats(): QueueStats {
    const now = this.clock();
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const message of this.messages.values()) {
      if (this.isExpired(message, now)) continue;
      if (message.visibleAt <= now) visible++;
      else if (message.receiveCount > 0) inFlight++;
      else delayed++;
    }
    return { visible, inFlight, delayed };
  }

  /**
   * When the oldest message in the queue was sent (epoch ms), in flight or not; undefined when
   * empty. What SQS reports as ApproximateAgeOfOldestMessage.
   */
  oldestSentTimestamp(): number | undefined {
    const now = this.clock();
    let oldest: number | undefined;
    for (const message of this.messages.values()) {
      if (this.isExpired(message, now)) continue;
      if (oldest === undefined || message.sentTimestamp < oldest) oldest = message.sentTimestamp;
    }
    return oldest;
  }

  /** Earliest time (epoch ms) at which some message is or becomes visible; undefined when empty. */
  nextVisibleAt(): number | undefined {
    let next: number | undefined;
    for (const message of this.messages.values()) {
      if (next === undefined || message.visibleAt < next) next = message.visibleAt;
    }
    return next;
  }

  /**
   * Moves every message currently in this queue (visible or not) to `target`, like SQS
   * StartMessageMoveTask for a dead-letter queue redrive. Moved messages keep their id, body and
   * attributes; their receive count restarts at 0 and they count as newly sent. Returns how many
   * moved. A crash midway can leave a message in both queues (at-least-once), never in neither.
   */
  async moveMessagesTo(target: DurableQueue, opts: { maxPerSecond?: number } = {}): Promise<number> {
    if (target === this) throw new Error('Cannot move messages to the same queue');
    const { maxPerSecond } = opts;
    if (maxPerSecond !== undefined && !(maxPerSecond > 0)) throw new Error('maxPerSecond must be positive');
    const candidates = [...this.messages.values()].sort((a, b) => a.sequence - b.sequence);
    const started = Date.now();
    let moved = 0;
    for (const candidate of candidates) {
      if (maxPerSecond !== undefined) {
        const due = started + (moved / maxPerSecond) * 1000;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      // Our lock is never held while waiting for the target's (the target may be our own source
      // queue, whose receive holds its lock while adopting into us).
      const current = this.messages.get(candidate.messageId);
      if (!current) continue;
      await target.adopt(current, { resetReceives: true });
      const removed = await this.exclusive(async () => {
        const still = this.messages.get(candidate.messageId);
        if (!still) return false;
        await this.remove(still);
        return true;
      });
      if (removed) moved++;
    }
    return moved;
  }

  /** Deletes every message (SQS PurgeQueue). */
  async purge(): Promise<number> {
    return this.exclusive(async () => {
      const all = [...this.messages.values()];
      await Promise.all(all.map((m) => this.remove(m)));
      return all.length;
    });
  }

  /** Called after a message becomes available (sent, moved in, or made visible early). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Waits for pending operations to finish. */
  async close(): Promise<void> {
    await this.exclusive(async () => {});
  }

  // -------------------------------------------------------------------------------------------

  /** Takes in a message from another queue (dead-letter move or redrive), keeping its id. */
  private async adopt(
    source: StoredMessage,
    how: { deadLetterQueueSourceArn?: string; resetReceives?: boolean },
  ): Promise<void> {
    await this.exclusive(async () => {
      const now = this.clock();
      const { deadLetterQueueSourceArn: _previousSource, ...rest } = source;
      const message: StoredMessage = {
        ...rest,
        sequence: this.sequence++,
        visibleAt: now,
        receiptHandle: null,
        ...(how.resetReceives
          ? { receiveCount: 0, firstReceiveTimestamp: null, sentTimestamp: now }
          : { deadLetterQueueSourceArn: how.deadLetterQueueSourceArn }),
      };
      await this.persist(message);
      this.notify();
    });
  }

  private async releaseInFlight(): Promise<void> {
    const now = this.clock();
    const inFlight = [...this.messages.values()].filter(
      (m) => m.receiptHandle !== null && m.receiveCount > 0 && m.visibleAt > now,
    );
    for (const message of inFlight) await this.persist({ ...message, visibleAt: now, receiptHandle: null });
    this.releasedAtOpen = inFlight.length;
  }

  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.chain.then(operation);
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private byHandle(receiptHandle: string): StoredMessage | undefined {
    const id = this.handles.get(receiptHandle);
    const message = id === undefined ? undefined : this.messages.get(id);
    return message && message.receiptHandle === receiptHandle ? message : undefined;
  }

  private isExpired(message: StoredMessage, now: number): boolean {
    return message.sentTimestamp + this.retentionSeconds * 1000 <= now;
  }

  private async dropExpired(now: number): Promise<void> {
    const expired = [...this.messages.values()].filter((m) => this.isExpired(m, now));
    await Promise.all(expired.map((m) => this.remove(m)));
  }

  private fileOf(messageId: string): string {
    return path.join(this.directory, `${messageId}.json`);
  }

  /**
   * Writes the message file atomically, then updates the index. Synchronously: a file of a few
   * hundred bytes in the page cache takes microseconds to write, far less than the thread-pool
   * round trips and promises of the asynchronous calls (a third of the local runtime's CPU per lead
   * when every delivery went through them: `npm run bench -- --profile`).
   */
  private async persist(message: StoredMessage): Promise<void> {
    const file = this.fileOf(message.messageId);
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, JSON.stringify(message), { flush: this.fsync });
    renameSync(tmp, file);
    const previous = this.messages.get(message.messageId);
    if (previous?.receiptHandle && previous.receiptHandle !== message.receiptHandle) {
      this.handles.delete(previous.receiptHandle);
    }
    this.messages.set(message.messageId, message);
    if (message.receiptHandle) this.handles.set(message.receiptHandle, message.messageId);
  }

  private async remove(message: StoredMessage): Promise<void> {
    try {
      unlinkSync(this.fileOf(message.messageId));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    this.messages.delete(message.messageId);
    if (message.receiptHandle) this.handles.delete(message.receiptHandle);
  }

  private notify(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // a listener's failure is not the sender's problem
      }
    }
  }

  private async load(): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const names = await readdir(this.directory);
    for (const name of names) {
      const file = path.join(this.directory, name);
      if (name.endsWith('.tmp')) {
        // an interrupted write: the previous version (if any) is still in place
        await rm(file, { force: true });
        continue;
      }
      if (!MESSAGE_FILE.test(name)) continue;
      let message: StoredMessage;
      try {
        message = JSON.parse(await readFile(file, 'utf8')) as StoredMessage;
        if (message.format !== 1 || `${message.messageId}.json` !== name)
          throw new Error('unexpected content');
      } catch {
        await rename(file, `${file}.corrupt`);
        continue;
      }
      this.messages.set(message.messageId, message);
      if (message.receiptHandle) this.handles.set(message.receiptHandle, message.messageId);
      this.sequence = Math.max(this.sequence, message.sequence + 1);
    }
  }
}

function toReceived(message: StoredMessage): ReceivedMessage {
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle as string,
    body: message.body,
    receiveCount: message.receiveCount,
    sentTimestamp: message.sentTimestamp,
    firstReceiveTimestamp: message.firstReceiveTimestamp as number,
    attributes: message.attributes,
    senderId: message.senderId,
    ...(message.deadLetterQueueSourceArn
      ? { deadLetterQueueSourceArn: message.deadLetterQueueSourceArn }
      : {}),
  };
}

function newReceiptHandle(): string {
  return randomBytes(48).toString('base64');
}

function attributesSize(attributes: Readonly<Record<string, string>> | undefined): number {
  let size = 0;
  for (const [name, value] of Object.entries(attributes ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value) + 'String'.length;
  }
  return size;
}

function assertSeconds(value: number, min: number, max: number, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${what} must be a number of seconds from ${min} to ${max}, got ${value}`);
  }
}
