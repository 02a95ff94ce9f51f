import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod';
import type { EventDefinition } from '#events/envelope.ts';
import { EventEnvelope } from '#events/envelope.ts';
import { PermanentError } from '#shared/ports/errors.ts';
import { newIdempotencyStore } from '#shared/wiring/core.ts';
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

/**
 * The SQS side of every pipeline function: each record is an EventBridge event; it is parsed
 * against the schemas the function accepts (a record that does not parse fails, and ends in
 * the DLQ, never half-processed), made idempotent on (function, the event's dedupe key: the fact
 * it states, whatever delivery or republish carries it) and handed to the
 * use case. Records fail one by one (partial batch response). A `PermanentError` is logged and
 * the record dropped: retrying cannot fix it.
 */
export const createSqsConsumer = <const Defs extends readonly EventDefinition[]>(options: {
  name: string;
  accepts: Defs;
  logger: Logger;
  persistenceStore: BasePersistenceLayer;
  process: (event: Accepted<Defs>) => Promise<void>;
}) => {
  // Keyed on the fact, not the delivery: a republish after a crash has a new event id but the same
  // detail, and must not be processed twice (ARCHITECTURE.md, "Decisions").
  const idempotency = new IdempotencyConfig({
    eventKeyJmesPath: 'dedupeKey',
    expiresAfterSeconds: 24 * 3600,
  });

  const processOnce = makeIdempotent(
    async (event: Accepted<Defs>) => {
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
    },
    { persistenceStore: options.persistenceStore, config: idempotency, keyPrefix: options.name },
  );

  const parse = (record: SQSRecord): Accepted<Defs> => {
    const envelope = EventEnvelope.parse(JSON.parse(record.body));
    const definition = options.accepts.find(
      (d) => d.detailType === envelope['detail-type'] && d.source === envelope.source,
    );
    if (!definition) {
      throw new UnexpectedEventError(
        `${options.name} does not accept "${envelope['detail-type']}" from ${envelope.source}`,
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

  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    idempotency.registerLambdaContext(context);
    // One processor per invocation: it holds the batch's records and results, and the local
    // runtime runs several invocations of one function in one process at once (Lambda never
    // does), which would otherwise process one batch's records in another's place.
    const processor = new BatchProcessor(EventType.SQS);
    // In order: a lead's messages in one batch are handled as they came, and log keys stay per record.
    return processPartialResponse(event, handleRecord, processor, { context, processInParallel: false });
  };
};

/**
 * A pipeline function's Lambda handler: Powertools logger and metrics, and the SQS consumer
 * above handing each accepted event to `process`.
 */
export const createConsumerHandler = <const Defs extends readonly EventDefinition[]>(options: {
  name: string;
  accepts: Defs;
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
    persistenceStore: newIdempotencyStore(),
    process: (event) => options.process(event, { logger, metrics }),
  });
  return middy<SQSEvent, SQSBatchResponse>()
    .use(observabilityMiddleware({ logger, metrics }))
    .before((request) => options.onInvoke?.(request.context))
    .handler(consume);
};
