/**
 * Counts the AWS calls the functions make, per function invocation, by adding a middleware to the
 * SDK clients the functions share (`shared/adapters/aws/*-client.ts`), and attributes each call to
 * the invocation it ran in (AsyncLocalStorage, entered by the local runtime's `aroundInvocation`).
 *
 * - DynamoDB calls ask for their consumed capacity (`ReturnConsumedCapacity: TOTAL`, which
 *   dynalite computes by DynamoDB's item-size rules), so the cost estimate rests on request units.
 * - The sandbox adapters keep what a provider would have been sent in the leads table (`OUTBOX`,
 *   `SANDBOX_CRM`, `SANDBOX_CALENDAR`): those calls stand for provider calls (Twilio, the CRM, the
 *   calendar) and are counted as such, never as DynamoDB calls.
 * - Each invocation records its wall time, the time it waited on AWS (at least one call in flight)
 *   and its round trips: calls started while none was in flight, i.e. the sequential steps that
 *   the cloud model turns into network latency.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { MiddlewareStack } from '@smithy/types';
import type { Invocation } from '../local/runtime.ts';

/** Where a call goes, as the cloud sees it. */
export type CallTarget = 'dynamodb' | 'eventbridge' | 's3' | 'provider' | 'other';

/** Where an invocation stood at a moment: its wall time, time spent waiting on AWS, and round trips. */
export interface Checkpoint {
  wallMs: number;
  awaitMs: number;
  rounds: Record<CallTarget, number>;
}

/** What one invocation did. */
export interface InvocationRecord {
  functionName: string;
  kind: Invocation['kind'];
  records: number;
  /** Wall-clock time of the invocation, ms. */
  wallMs: number;
  /** Time with at least one AWS call in flight, ms. */
  awaitMs: number;
  /** Sequential round trips by target (a call started while none was in flight). */
  rounds: Record<CallTarget, number>;
  /** Calls by target. */
  calls: Record<CallTarget, number>;
  /** DynamoDB calls by `<operation> <table>`. */
  operations: Record<string, number>;
  dynamo: {
    reads: number;
    writes: number;
    readUnits: number;
    writeUnits: number;
    /** Write units of lead-item writes, which DynamoDB repeats in the leads-by-activity index. */
    indexedWriteUnits: number;
  };
  /** EventBridge PutEvents entries. */
  events: number;
  /**
   * The moments the next hop can start: its first event published (the call answered), and its
   * first provider call (the reply handed to Twilio: the call started).
   */
  published?: Checkpoint;
  handedToProvider?: Checkpoint;
}

const DYNAMO_READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const DYNAMO_WRITES = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);
/** Partitions the sandbox adapters write to: the providers' stand-ins (`shared/adapters/sandbox/`). */
const SANDBOX_PARTITIONS = new Set(['OUTBOX', 'SANDBOX_CRM', 'SANDBOX_CALENDAR']);

const targets = (): Record<CallTarget, number> => ({
  dynamodb: 0,
  eventbridge: 0,
  s3: 0,
  provider: 0,
  other: 0,
});

/** An SDK v3 client, as far as the counter needs it. */
export interface InstrumentableClient {
  middlewareStack: Pick<MiddlewareStack<object, object>, 'add'>;
}

/** The key fields a DynamoDB request names (the document client's plain values, at `initialize`). */
const keyOf = (input: Record<string, unknown>): { pk?: unknown; sk?: unknown } =>
  (input.Item ?? input.Key ?? {}) as { pk?: unknown; sk?: unknown };

/** A sandbox provider's record: the moment a provider would have been called. */
export interface SandboxCall {
  pk: string;
  item: Record<string, unknown>;
  at: number;
}

interface Live {
  record: InvocationRecord;
  started: number;
  inFlight: number;
  since: number;
}

const checkpoint = (live: Live, now: number): Checkpoint => ({
  wallMs: now - live.started,
  awaitMs: live.record.awaitMs + (live.inFlight > 0 ? now - live.since : 0),
  rounds: { ...live.record.rounds },
});

export class AwsCallCounter {
  private readonly current = new AsyncLocalStorage<Live>();
  private records: InvocationRecord[] = [];
  private readonly instrumented = new WeakSet<object>();

  /** Called for every write a sandbox adapter makes (an SMS handed to the "provider", say). */
  onSandboxWrite: ((call: SandboxCall) => void) | undefined;

  /** The runtime's `aroundInvocation`: what runs inside is attributed to the invocation. */
  readonly around = async <T>(invocation: Invocation, run: () => Promise<T>): Promise<T> => {
    const live: Live = {
      record: {
        functionName: invocation.functionName,
        kind: invocation.kind,
        records: invocation.records,
        wallMs: 0,
        awaitMs: 0,
        rounds: targets(),
        calls: targets(),
        operations: {},
        dynamo: { reads: 0, writes: 0, readUnits: 0, writeUnits: 0, indexedWriteUnits: 0 },
        events: 0,
      },
      started: performance.now(),
      inFlight: 0,
      since: 0,
    };
    try {
      return await this.current.run(live, run);
    } finally {
      live.record.wallMs = performance.now() - live.started;
      this.records.push(live.record);
    }
  };

  /** Adds the counting middleware to a client (once). */
  instrument(client: InstrumentableClient): void {
    if (this.instrumented.has(client)) return;
    this.instrumented.add(client);
    client.middlewareStack.add(
      (next, context) => async (initialize) => {
        const args = initialize as { input: Record<string, unknown> };
        const live = this.current.getStore();
        if (!live) return next(initialize);
        const service = (context.clientName ?? '').replace(/Client$/, '');
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        const target = this.targetOf(service, args.input);
        const { record } = live;
        record.calls[target]++;
        if (live.inFlight++ === 0) {
          live.since = performance.now();
          record.rounds[target]++;
        }
        if (target === 'provider') {
          record.handedToProvider ??= checkpoint(live, performance.now());
          const item = (args.input.Item ?? args.input.Key ?? {}) as Record<string, unknown>;
          this.onSandboxWrite?.({ pk: String(keyOf(args.input).pk), item, at: performance.now() });
        }
        if (service === 'DynamoDB' && target === 'dynamodb') {
          const name = `${operation} ${String(args.input.TableName ?? '')}`;
          record.operations[name] = (record.operations[name] ?? 0) + 1;
          args.input.ReturnConsumedCapacity ??= 'TOTAL';
        }
        if (target === 'eventbridge' && Array.isArray(args.input.Entries)) {
          record.events += args.input.Entries.length;
        }
        let output: Record<string, unknown> | undefined;
        try {
          const result = await next(initialize);
          output = result.output as Record<string, unknown>;
          return result;
        } finally {
          if (target === 'dynamodb') this.countCapacity(record, operation, args.input, output);
          const now = performance.now();
          if (target === 'eventbridge') record.published ??= checkpoint(live, now);
          if (--live.inFlight === 0) record.awaitMs += now - live.since;
        }
      },
      { step: 'initialize', name: 'leadlineBenchCounter' },
    );
  }

  private targetOf(service: string, input: Record<string, unknown>): CallTarget {
    if (service === 'DynamoDB') {
      return SANDBOX_PARTITIONS.has(String(keyOf(input).pk)) ? 'provider' : 'dynamodb';
    }
    if (service === 'EventBridge') return 'eventbridge';
    if (service === 'S3') return 's3';
    return 'other';
  }

  private countCapacity(
    record: InvocationRecord,
    operation: string,
    input: Record<string, unknown>,
    output: Record<string, unknown> | undefined,
  ): void {
    // A failed condition still consumes write units; its answer carries no capacity: count 1.
    const consumed = (output?.ConsumedCapacity as { CapacityUnits?: number } | undefined)?.CapacityUnits ?? 1;
    if (DYNAMO_READS.has(operation)) {
      record.dynamo.reads++;
      record.dynamo.readUnits += consumed;
    } else if (DYNAMO_WRITES.has(operation)) {
      record.dynamo.writes++;
      record.dynamo.writeUnits += consumed;
      // A lead item is copied to the leads-by-activity index: DynamoDB charges that write again.
      if (keyOf(input).sk === 'LEAD') record.dynamo.indexedWriteUnits += consumed;
    }
  }

  /** Starts a new measurement; returns the invocations recorded since the last one. */
  take(): InvocationRecord[] {
    const taken = this.records;
    this.records = [];
    return taken;
  }
}
