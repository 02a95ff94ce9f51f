/**
 * What the pipeline does per lead, from the invocations the counter recorded: each function's
 * invocations, DynamoDB, EventBridge, SQS and provider calls per lead, and the median invocation's
 * own compute and round trips (what the cloud model scales to Lambda).
 */
import type { CallTarget, Checkpoint, InvocationRecord } from './aws-calls.ts';
import { median } from './stats.ts';

/** A median invocation up to a moment: its own compute (wall time not waiting on AWS) and round trips. */
export interface Timing {
  computeMs: number;
  wallMs: number;
  rounds: Record<CallTarget, number>;
}

export interface FunctionProfile {
  name: string;
  kind: InvocationRecord['kind'];
  invocationsPerLead: number;
  recordsPerLead: number;
  dynamo: {
    callsPerLead: number;
    readsPerLead: number;
    writesPerLead: number;
    readUnitsPerLead: number;
    writeUnitsPerLead: number;
    indexedWriteUnitsPerLead: number;
    /** Calls on the idempotency table (Powertools records). */
    idempotencyCallsPerLead: number;
    /** `<operation> <table>` → calls per lead. */
    operationsPerLead: Record<string, number>;
  };
  putEventsCallsPerLead: number;
  eventsPerLead: number;
  providerCallsPerLead: number;
  s3CallsPerLead: number;
  /** The whole median invocation. */
  whole: Timing;
  /** Up to its first published event (what the next hop waits for), when it publishes. */
  untilPublished?: Timing;
  /** Up to its first provider call (the reply handed over), when it makes one. */
  untilProvider?: Timing;
}

export interface PipelineProfile {
  leads: number;
  functions: FunctionProfile[];
  perLead: {
    dynamoCalls: number;
    dynamoReads: number;
    dynamoWrites: number;
    idempotencyCalls: number;
    readUnits: number;
    writeUnits: number;
    indexedWriteUnits: number;
    putEventsCalls: number;
    events: number;
    /** SendMessage by EventBridge (one per delivery), ReceiveMessage and DeleteMessageBatch per batch. */
    sqsRequests: number;
    sqsDeliveries: number;
    lambdaInvocations: number;
    apiRequests: number;
    providerCalls: number;
  };
}

const medianTiming = (points: readonly Checkpoint[]): Timing | undefined => {
  if (points.length === 0) return undefined;
  const targets = Object.keys(points[0]!.rounds) as CallTarget[];
  return {
    computeMs: median(points.map((p) => p.wallMs - p.awaitMs)),
    wallMs: median(points.map((p) => p.wallMs)),
    rounds: Object.fromEntries(targets.map((t) => [t, median(points.map((p) => p.rounds[t]))])) as Record<
      CallTarget,
      number
    >,
  };
};

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

export const profilePipeline = (invocations: readonly InvocationRecord[], leads: number): PipelineProfile => {
  const byFunction = new Map<string, InvocationRecord[]>();
  for (const invocation of invocations) {
    const list = byFunction.get(invocation.functionName) ?? [];
    list.push(invocation);
    byFunction.set(invocation.functionName, list);
  }
  const functions = [...byFunction.entries()].map(([name, list]): FunctionProfile => {
    const per = (pick: (i: InvocationRecord) => number) => sum(list.map(pick)) / leads;
    const operationsPerLead: Record<string, number> = {};
    for (const invocation of list) {
      for (const [operation, calls] of Object.entries(invocation.operations)) {
        operationsPerLead[operation] = (operationsPerLead[operation] ?? 0) + calls / leads;
      }
    }
    const untilPublished = medianTiming(list.flatMap((i) => (i.published ? [i.published] : [])));
    const untilProvider = medianTiming(list.flatMap((i) => (i.handedToProvider ? [i.handedToProvider] : [])));
    return {
      name,
      kind: list[0]!.kind,
      invocationsPerLead: list.length / leads,
      recordsPerLead: per((i) => i.records),
      dynamo: {
        callsPerLead: per((i) => i.calls.dynamodb),
        readsPerLead: per((i) => i.dynamo.reads),
        writesPerLead: per((i) => i.dynamo.writes),
        readUnitsPerLead: per((i) => i.dynamo.readUnits),
        writeUnitsPerLead: per((i) => i.dynamo.writeUnits),
        indexedWriteUnitsPerLead: per((i) => i.dynamo.indexedWriteUnits),
        idempotencyCallsPerLead: Object.entries(operationsPerLead)
          .filter(([operation]) => operation.endsWith('idempotency'))
          .reduce((total, [, calls]) => total + calls, 0),
        operationsPerLead,
      },
      putEventsCallsPerLead: per((i) => i.calls.eventbridge),
      eventsPerLead: per((i) => i.events),
      providerCallsPerLead: per((i) => i.calls.provider),
      s3CallsPerLead: per((i) => i.calls.s3),
      whole: medianTiming(list.map((i) => ({ wallMs: i.wallMs, awaitMs: i.awaitMs, rounds: i.rounds })))!,
      ...(untilPublished && { untilPublished }),
      ...(untilProvider && { untilProvider }),
    };
  });
  functions.sort((a, b) => b.dynamo.callsPerLead - a.dynamo.callsPerLead);
  const total = (pick: (f: FunctionProfile) => number) => sum(functions.map(pick));
  const consumers = functions.filter((f) => f.kind === 'consumer');
  const deliveries = total((f) => (f.kind === 'consumer' ? f.recordsPerLead : 0));
  const batches = sum(consumers.map((f) => f.invocationsPerLead));
  return {
    leads,
    functions,
    perLead: {
      dynamoCalls: total((f) => f.dynamo.callsPerLead),
      dynamoReads: total((f) => f.dynamo.readsPerLead),
      dynamoWrites: total((f) => f.dynamo.writesPerLead),
      idempotencyCalls: total((f) => f.dynamo.idempotencyCallsPerLead),
      readUnits: total((f) => f.dynamo.readUnitsPerLead),
      writeUnits: total((f) => f.dynamo.writeUnitsPerLead),
      indexedWriteUnits: total((f) => f.dynamo.indexedWriteUnitsPerLead),
      putEventsCalls: total((f) => f.putEventsCallsPerLead),
      events: total((f) => f.eventsPerLead),
      sqsRequests: deliveries + 2 * batches,
      sqsDeliveries: deliveries,
      lambdaInvocations: total((f) => f.invocationsPerLead),
      apiRequests: total((f) => (f.kind === 'webhook' ? f.invocationsPerLead : 0)),
      providerCalls: total((f) => f.providerCallsPerLead),
    },
  };
};
