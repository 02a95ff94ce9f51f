import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { LeadScored } from '#events/catalog.ts';
import { createObservability, MetricName } from '#shared/lambda/observability.ts';
import { createSqsConsumer } from '#shared/lambda/sqs-consumer.ts';
import { businessProfile, calendar, eventPublisher, leadStore, newIdempotencyStore } from '#shared/wiring.ts';
import { offerOrBook } from './offer-or-book.ts';

const { logger, metrics } = createObservability('calendar');

const consume = createSqsConsumer({
  name: 'calendar',
  accepts: [LeadScored],
  logger,
  persistenceStore: newIdempotencyStore(),
  process: async ({ detail }) => {
    const outcome = await offerOrBook(detail, {
      store: leadStore(),
      calendar: calendar(),
      publisher: eventPublisher(),
      profile: businessProfile(),
    });
    metrics.addMetric(
      outcome.action === 'booked' ? MetricName.MeetingsBooked : MetricName.MeetingsOffered,
      'Count',
      1,
    );
    logger.info('Calendar step done', { ...outcome });
  },
});

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { throwOnEmptyMetrics: false }))
  .handler(consume);
