import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod';
import type { EventDefinition } from '#events/envelope.ts';
import { EventEnvelope } from '#events/envelope.ts';
import { PermanentError } from '#shared/ports/errors.ts';
import { createObservability, observabilityMiddleware } from './observability.ts';

/** An event this consumer accepts, already parsed with its schema. */
export type Accepted<Defs extends readonly EventDefinition[]> = {
  [K in keyof Defs]: Defs[K] extends EventDefinition<infer S, infer D>
    ? { detailType: D; detail: z.infer<S>; eventId: string; time: string; dedupeKey: string }
    : never;
}[number];

export class UnexpectedEventError extends Error {
  override readonly name = 'UnexpectedEventError';
}

/** The value `build` resolves to, built on the first call and shared by every later one. */
const lazily = <T>(build: () => Promise<T>): (() => Promise<T>) => {
  let built: Promise<T> | undefined;
  return () => {
    // A failed build (say, a module that would not load) is tried again on the next call.
    built ??= build().catch((error: unknown) => {
      built = undefined;
      throw error;
    });
    return built;
  };
};

/**
 * An SQS record's EventBridge event, parsed with the schema of the event it is, with its dedupe
 * key. Throws when the body is not JSON, not an envelope, not an event `accepts` lists, or its
 * detail does not parse.
 */
const parseRecord = <const Defs extends readonly EventDefinition[]>(
  record: SQSRecord,
  consumer: string,
  accepts: Defs,
): Accepted<Defs> => {
  const envelope = EventEnvelope.parse(JSON.parse(record.body));
  const definition = accepts.find(
    (d) => d.detailType === envelope['detail-type'] && d.source === envelope.source,
  );
  if (!definition) {
    throw new UnexpectedEventError(
      `${consumer} does not accept "${envelope['detail-type']}" from ${envelope.source}`,
    );
  }
  const detail = definition.schema.parse(envelope.detail);
  return {
    detailType: definition.detailType,
    detail,
    eventId: envelope.id,
    time: envelope.time,
    dedupeKey: `${definition.detailType}#${definition.dedupeKey(detail)}`,
  } as Accepted<Defs>;
};

/**
 * How a function keeps a second delivery of one fact (an SQS redelivery, a republish after a
 * crash: same dedupe key, new event id) from acting twice (ARCHITECTURE.md, "Delivery, idempotency,
 * failure"):
 * - `idempotency-record`: Powertools idempotency, a record per (function, dedupe key) in the
 *   idempotency table, claimed before the use case runs and completed after (two writes an event);
 *   a record in progress elsewhere fails the delivery, which is retried after the visibility timeout.
 * - `own-writes`: the use case's own conditional writes already make a second run change nothing
 *   but announcing its outcome again (which consumers downstream dedupe); no record is kept. The
 *   function says how in its handler.
 */
export type Dedupe = 'idempotency-record' | 'own-writes';

/**
 * The SQS side of every pipeline function: each record is an EventBridge event; it is parsed
 * against the schemas the function accepts (a record that does not parse fails, and ends in
 * the DLQ, never half-processed), deduplicated on (function, the event's dedupe key: the fact
 * it states, whatever delivery or republish carries it) by an idempotency record when a
 * `persistenceStore` is given (else the use case dedupes by its own writes: `Dedupe`), and handed to
 * the use case. Records fail one by one (partial batch response). A `PermanentError` is logged and
 * the record dropped: retrying cannot fix it.
 */
export const createSqsConsumer = <const Defs extends readonly EventDefinition[]>(options: {
  name: string;
  accepts: Defs;
  logger: Logger;
  /**
   * The idempotency records' store (or how to build it, on the first record); none when the use
   * case dedupes by its own writes, which then never loads Powertools idempotency.
   */
  persistenceStore?: BasePersistenceLayer | (() => Promise<BasePersistenceLayer>);
  process: (event: Accepted<Defs>) => Promise<void>;
}) => {
  const processDroppingPermanent = async (event: Accepted<Defs>) => {
    try {
      await options.process(event);
    } catch (error) {
      if (!(error instanceof PermanentError)) throw error;
      options.logger.warn('Dropped an event that cannot succeed', {
        eventId: event.eventId,
        detailType: event.detailType,
        reason: error.message,
      });
    }
    return { done: true };
  };

  /**
   * Keyed on the fact, not the delivery: a republish after a crash has a new event id but the same
   * detail, and must not be processed twice (ARCHITECTURE.md, "Decisions"). Built on the first
   * record, so its imports cost a cold start nothing until then.
   */
  const persistenceStore = options.persistenceStore;
  const idempotent = persistenceStore
    ? lazily(async () => {
        const { IdempotencyConfig, makeIdempotent } = await import('@aws-lambda-powertools/idempotency');
        const config = new IdempotencyConfig({
          eventKeyJmesPath: 'dedupeKey',
          expiresAfterSeconds: 24 * 3600,
        });
        const store = typeof persistenceStore === 'function' ? await persistenceStore() : persistenceStore;
        return {
          config,
          processOnce: makeIdempotent(processDroppingPermanent, {
            persistenceStore: store,
            config,
            keyPrefix: options.name,
          }),
        };
      })
    : undefined;
  let context: Context | undefined;
  const processOnce = async (event: Accepted<Defs>) => {
    if (!idempotent) return processDroppingPermanent(event);
    const { config, processOnce: once } = await idempotent();
    // A record then stays in progress as long as the invocation may run, no longer.
    if (context) config.registerLambdaContext(context);
    return once(event);
  };

  const parse = (record: SQSRecord) => parseRecord(record, options.name, options.accepts);

  const handleRecord = async (record: SQSRecord) => {
    let event: Accepted<Defs>;
    try {
      event = parse(record);
    } catch (error) {
      options.logger.error('Record is not an event this function accepts', {
        messageId: record.messageId,
        error: error as Error,
      });
      throw error;
    }
    const detail = event.detail as { leadId?: string; correlationId?: string };
    // Powertools' correlation_id key: the inbound message id, on every line this record logs.
    options.logger.appendKeys({ leadId: detail.leadId });
    options.logger.setCorrelationId(detail.correlationId);
    try {
      await processOnce(event);
    } catch (error) {
      options.logger.error('Processing failed; the record returns to its queue', {
        eventId: event.eventId,
        detailType: event.detailType,
        receiveCount: record.attributes.ApproximateReceiveCount,
        error: error as Error,
      });
      throw error;
    } finally {
      options.logger.removeKeys(['leadId', 'correlation_id']);
    }
  };

  return async (event: SQSEvent, invocation: Context): Promise<SQSBatchResponse> => {
    context = invocation;
    // One processor per invocation: it holds the batch's records and results, and the local
    // runtime runs several invocations of one function in one process at once (Lambda never
    // does), which would otherwise process one batch's records in another's place.
    const processor = new BatchProcessor(EventType.SQS);
    // In order: a lead's messages in one batch are handled as they came, and log keys stay per record.
    return processPartialResponse(event, handleRecord, processor, {
      context: invocation,
      processInParallel: false,
    });
  };
};

/**
 * A pipeline function's Lambda handler: Powertools logger and metrics, and the SQS consumer
 * above handing each accepted event to `process`.
 */
export const createConsumerHandler = <const Defs extends readonly EventDefinition[]>(options: {
  name: string;
  accepts: Defs;
  /** Default `idempotency-record`; `own-writes` only where the use case's writes dedupe (say how). */
  dedupe?: Dedupe;
  process: (event: Accepted<Defs>, tools: { logger: Logger; metrics: Metrics }) => Promise<void>;
  /** Called with each invocation's context before any record, e.g. to register it with an idempotency config. */
  onInvoke?: (context: Context) => void;
  /** When the function's own dependencies log too, they share its logger. */
  observability?: ReturnType<typeof createObservability>;
}) => {
  const { logger, metrics } = options.observability ?? createObservability(options.name);
  const consume = createSqsConsumer({
    name: options.name,
    accepts: options.accepts,
    logger,
    ...(options.dedupe !== 'own-writes' && {
      persistenceStore: async () => (await import('#shared/wiring/idempotency.ts')).newIdempotencyStore(),
    }),
    process: (event) => options.process(event, { logger, metrics }),
  });
  return middy<SQSEvent, SQSBatchResponse>()
    .use(observabilityMiddleware({ logger, metrics }))
    .before((request) => options.onInvoke?.(request.context))
    .handler(consume);
};

/**
 * A consumer that handles its batch at once (`processBatch` gets every record that parsed), for a
 * function whose writes are cheaper together (the timeline: one BatchWriteItem per batch; crm-sync:
 * one CRM write per lead per batch). Records that do not parse fail alone (and end in the DLQ);
 * `processBatch` may name the events that failed (returned to their queue, the rest deleted); when
 * it throws, every other record of the batch fails and is retried, so it must be idempotent by its
 * own writes. No idempotency record is kept.
 */
export const createBatchConsumerHandler = <const Defs extends readonly EventDefinition[]>(options: {
  name: string;
  accepts: Defs;
  processBatch: (
    events: Accepted<Defs>[],
    tools: { logger: Logger; metrics: Metrics },
    // biome-ignore lint/suspicious/noConfusingVoidType: a batch that fails nothing says nothing.
  ) => Promise<void | { failed: readonly Accepted<Defs>[] }>;
}) => {
  const { logger, metrics } = createObservability(options.name);
  const consume = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const parsed: Array<{ messageId: string; event: Accepted<Defs> }> = [];
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        parsed.push({
          messageId: record.messageId,
          event: parseRecord(record, options.name, options.accepts),
        });
      } catch (error) {
        logger.error('Record is not an event this function accepts', {
          messageId: record.messageId,
          error: error as Error,
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    if (parsed.length > 0) {
      try {
        const outcome = await options.processBatch(
          parsed.map((p) => p.event),
          { logger, metrics },
        );
        const failed = new Set(outcome?.failed ?? []);
        for (const p of parsed)
          if (failed.has(p.event)) batchItemFailures.push({ itemIdentifier: p.messageId });
      } catch (error) {
        logger.error('Processing the batch failed; its records return to their queue', {
          records: parsed.length,
          error: error as Error,
        });
        batchItemFailures.push(...parsed.map((p) => ({ itemIdentifier: p.messageId })));
      }
    }
    return { batchItemFailures };
  };
  return middy<SQSEvent, SQSBatchResponse>()
    .use(observabilityMiddleware({ logger, metrics }))
    .handler(consume);
};
