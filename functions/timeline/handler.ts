import { catalog } from '#events/catalog.ts';
import { MetricName } from '#shared/lambda/observability.ts';
import { createConsumerHandler } from '#shared/lambda/sqs-consumer.ts';
import { leadHistory } from '#shared/wiring/history.ts';
import { toRecordedEvent } from './record-event.ts';

/** Every event of the catalog, in its lead's history: the console's timeline reads it. */
export const handler = createConsumerHandler({
  name: 'timeline',
  accepts: Object.values(catalog),
  process: async (event, { metrics }) => {
    await leadHistory().record(toRecordedEvent(event));
    metrics.addMetric(MetricName.LeadEventsRecorded, 'Count', 1);
  },
});
