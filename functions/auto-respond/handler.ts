import {
  HelpRequested,
  LeadOptedIn,
  LeadOptedOut,
  LeadScored,
  MeetingBooked,
  MeetingSlotsOffered,
} from '#events/catalog.ts';
import { MetricName } from '#shared/lambda/observability.ts';
import { createConsumerHandler } from '#shared/lambda/sqs-consumer.ts';
import { eventPublisher } from '#shared/wiring/core.ts';
import { businessProfile, leadMessenger, leadStore } from '#shared/wiring/pipeline.ts';
import { respond } from './respond.ts';

// Read and checked when the function loads: a bad profile fails at once, not on the first lead.
const profile = businessProfile();

export const handler = createConsumerHandler({
  name: 'auto-respond',
  accepts: [LeadScored, MeetingSlotsOffered, MeetingBooked, LeadOptedOut, LeadOptedIn, HelpRequested],
  onInvoke: (context) => leadMessenger().registerLambdaContext(context),
  process: async (event, { logger, metrics }) => {
    const outcome = await respond(event, {
      store: leadStore(),
      messenger: leadMessenger(),
      publisher: eventPublisher(),
      profile,
    });
    if (outcome.status === 'sent') {
      metrics.addMetric(MetricName.RepliesSent, 'Count', 1);
      // First message in to first reply out: the speed-to-lead the business is judged on.
      if (outcome.speedToLeadMs !== undefined) {
        metrics.addMetric(MetricName.SpeedToLeadMs, 'Milliseconds', outcome.speedToLeadMs);
      }
      // Any message in to its answer: how quickly the conversation keeps going.
      if (outcome.answeredAt) {
        metrics.addMetric(
          MetricName.ReplyLatencyMs,
          'Milliseconds',
          Date.parse(outcome.sentAt) - Date.parse(outcome.answeredAt),
        );
      }
    } else if (outcome.status === 'held') {
      metrics.addMetric(MetricName.RepliesHeld, 'Count', 1);
    } else {
      metrics.addMetric(MetricName.RepliesSuppressed, 'Count', 1);
    }
    logger.info('Reply handled', { trigger: event.detailType, status: outcome.status });
  },
});
