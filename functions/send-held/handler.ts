import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { now } from '#shared/clock.ts';
import { createObservability, MetricName, observabilityMiddleware } from '#shared/lambda/observability.ts';
import { announceReplySent } from '#shared/messaging/reply-sent.ts';
import { eventPublisher } from '#shared/wiring/core.ts';
import { leadMessenger, smsOnFirstSend } from '#shared/wiring/messaging.ts';
import { identitySettings, leadStore } from '#shared/wiring/pipeline.ts';
import { dispatchRepNotifications } from './rep-notifications.ts';

const { logger, metrics } = createObservability('send-held');

/** Sends the texts quiet hours held back, once their window opens, and rep texts held for their hours. */
const sendHeld = async (_event: ScheduledEvent) => {
  const repTexts = await dispatchRepNotifications({
    store: leadStore(),
    sms: smsOnFirstSend,
    smsNumber: identitySettings().BUSINESS_SMS_NUMBER,
    publisher: eventPublisher(),
    logger,
    now: now(),
  });
  if (repTexts > 0) metrics.addMetric(MetricName.RepsNotified, 'Count', repTexts);
  const dispatched = await leadMessenger().dispatchHeld();
  metrics.addMetric(MetricName.HeldTextsDispatched, 'Count', dispatched.length);
  for (const { lead, message, outcome } of dispatched) {
    if (outcome.status !== 'sent') {
      metrics.addMetric(MetricName.RepliesSuppressed, 'Count', 1);
      continue;
    }
    metrics.addMetric(MetricName.RepliesSent, 'Count', 1);
    const { speedToLeadMs } = await announceReplySent(
      {
        lead,
        correlationId: message.inReplyTo ?? message.messageId,
        messageId: message.inReplyTo ?? message.messageId,
        outboundMessageId: outcome.outboundMessageId,
        channel: message.channel,
        purpose: message.purpose ?? 'held',
        sentAt: outcome.sentAt,
        ...(message.composedBy && { composedBy: message.composedBy }),
      },
      { store: leadStore(), publisher: eventPublisher() },
    );
    if (speedToLeadMs !== undefined)
      metrics.addMetric(MetricName.SpeedToLeadMs, 'Milliseconds', speedToLeadMs);
  }
  if (dispatched.length > 0) logger.info('Held texts dispatched', { count: dispatched.length });
  return { dispatched: dispatched.length };
};

export const handler = middy<ScheduledEvent, { dispatched: number }>()
  .use(observabilityMiddleware({ logger, metrics }))
  .handler(sendHeld);
