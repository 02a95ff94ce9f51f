import { catalog } from '#events/catalog.ts';
import { MetricName } from '#shared/lambda/observability.ts';
import { createBatchConsumerHandler } from '#shared/lambda/sqs-consumer.ts';
import { leadHistory } from '#shared/wiring/history.ts';
import { toRecordedEvent } from './record-event.ts';

/**
 * Every event of the catalog, in its lead's history: the console's timeline reads it. A batch is
 * written at once (BatchWriteItem), each event under its fact (the event's dedupe key): a
 * redelivery or a republish of a fact rewrites its one item, so no idempotency record is needed.
 */
export const handler = createBatchConsumerHandler({
  name: 'timeline',
  accepts: Object.values(catalog),
  processBatch: async (events, { metrics }) => {
    await leadHistory().recordAll(events.map(toRecordedEvent));
    metrics.addMetric(MetricName.LeadEventsRecorded, 'Count', events.length);
  },
});
