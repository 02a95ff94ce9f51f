import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { LeadScored, MeetingBooked } from '#events/catalog.ts';
import { createObservability, MetricName } from '#shared/lambda/observability.ts';
import { createSqsConsumer } from '#shared/lambda/sqs-consumer.ts';
import {
  businessProfile,
  chatPoster,
  emailSender,
  eventPublisher,
  identitySettings,
  leadStore,
  newIdempotencyStore,
  smsSender,
} from '#shared/wiring.ts';
import { notifyRep } from './notify-rep.ts';

const { logger, metrics } = createObservability('notify');

const consume = createSqsConsumer({
  name: 'notify',
  accepts: [LeadScored, MeetingBooked],
  logger,
  persistenceStore: newIdempotencyStore(),
  process: async (event) => {
    const { rep } = await notifyRep(event, {
      store: leadStore(),
      channels: {
        chat: chatPoster(),
        email: emailSender(),
        sms: smsSender(),
        identity: {
          smsNumber: identitySettings().BUSINESS_SMS_NUMBER,
          emailFrom: identitySettings().BUSINESS_EMAIL_FROM,
        },
      },
      publisher: eventPublisher(),
      profile: businessProfile(),
    });
    metrics.addMetric(MetricName.RepsNotified, 'Count', 1);
    logger.info('Rep notified', { repId: rep.id, via: rep.notifyVia, trigger: event.detailType });
  },
});

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { throwOnEmptyMetrics: false }))
  .handler(consume);
