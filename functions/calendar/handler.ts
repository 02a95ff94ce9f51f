import { LeadScored } from '#events/catalog.ts';
import { MetricName } from '#shared/lambda/observability.ts';
import { createConsumerHandler } from '#shared/lambda/sqs-consumer.ts';
import { calendar } from '#shared/wiring/calendar.ts';
import { eventPublisher } from '#shared/wiring/core.ts';
import { businessProfile, leadStore } from '#shared/wiring/pipeline.ts';
import { offerOrBook } from './offer-or-book.ts';

// Read and checked when the function loads: a bad profile fails at once, not on the first lead.
const profile = businessProfile();

export const handler = createConsumerHandler({
  name: 'calendar',
  accepts: [LeadScored],
  process: async ({ detail }, { logger, metrics }) => {
    const outcome = await offerOrBook(detail, {
      store: leadStore(),
      calendar: calendar(),
      publisher: eventPublisher(),
      profile,
    });
    metrics.addMetric(
      outcome.action === 'booked' ? MetricName.MeetingsBooked : MetricName.MeetingsOffered,
      'Count',
      1,
    );
    logger.info('Calendar step done', { ...outcome });
  },
});
