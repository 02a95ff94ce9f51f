import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import {
  HelpRequested,
  LeadOptedIn,
  LeadOptedOut,
  LeadScored,
  MeetingBooked,
  MeetingSlotsOffered,
} from '#events/catalog.ts';
import { createObservability, MetricName } from '#shared/lambda/observability.ts';
import { createSqsConsumer } from '#shared/lambda/sqs-consumer.ts';
import {
  businessProfile,
  eventPublisher,
  leadMessenger,
  leadStore,
  newIdempotencyStore,
} from '#shared/wiring.ts';
import { type RespondTrigger, respond } from './respond.ts';

const { logger, metrics } = createObservability('auto-respond');

const consume = createSqsConsumer({
  name: 'auto-respond',
  accepts: [LeadScored, MeetingSlotsOffered, MeetingBooked, LeadOptedOut, LeadOptedIn, HelpRequested],
  logger,
  persistenceStore: newIdempotencyStore(),
  process: async (event) => {
    const outcome = await respond(event as RespondTrigger, {
      store: leadStore(),
      messenger: leadMessenger(),
      publisher: eventPublisher(),
      profile: businessProfile(),
    });
    if (outcome.status === 'sent') {
      metrics.addMetric(MetricName.RepliesSent, 'Count', 1);
      // From the lead's message to this reply: the speed-to-lead the business is judged on.
      if (outcome.answeredAt) {
        metrics.addMetric(
          MetricName.SpeedToLeadMs,
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

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { throwOnEmptyMetrics: false }))
  .before((request) => leadMessenger().registerLambdaContext(request.context))
  .handler(consume);
