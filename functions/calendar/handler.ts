import { BookingPageEventReceived, LeadScored } from '#events/catalog.ts';
import { MetricName } from '#shared/lambda/observability.ts';
import { createConsumerHandler } from '#shared/lambda/sqs-consumer.ts';
import { calendar } from '#shared/wiring/calendar.ts';
import { eventPublisher } from '#shared/wiring/core.ts';
import { businessProfile, leadStore } from '#shared/wiring/pipeline.ts';
import { recordBookingPageEvent } from './booking-page.ts';
import { offerOrBook } from './offer-or-book.ts';

// Read and checked when the function loads: a bad profile fails at once, not on the first lead.
const profile = businessProfile();

export const handler = createConsumerHandler({
  name: 'calendar',
  accepts: [LeadScored, BookingPageEventReceived],
  process: async (event, { logger, metrics }) => {
    if (event.detailType === 'Booking Page Event Received') {
      const outcome = await recordBookingPageEvent(event.detail, {
        store: leadStore(),
        publisher: eventPublisher(),
        profile,
      });
      if (outcome.lead === 'unmatched') {
        logger.warn(
          `A ${event.detail.provider} cancellation of a booking Leadline never saw (no lead has it): nothing to cancel`,
          { ...outcome, bookingId: event.detail.bookingId },
        );
        return;
      }
      if (outcome.action !== 'cancelled') metrics.addMetric(MetricName.MeetingsBooked, 'Count', 1);
      logger.info(
        outcome.lead === 'created'
          ? 'Booking page event recorded for a new lead (booked straight from the page)'
          : 'Booking page event recorded',
        { ...outcome, provider: event.detail.provider },
      );
      return;
    }
    const outcome = await offerOrBook(event.detail, {
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
