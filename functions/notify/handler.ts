import {
  LeadOptedOut,
  LeadRouted,
  MeetingBooked,
  MeetingCancelled,
  MissedCallHandled,
  RepResponded,
  RepResponseMissed,
} from '#events/catalog.ts';
import { MetricName } from '#shared/lambda/observability.ts';
import { createConsumerHandler } from '#shared/lambda/sqs-consumer.ts';
import { chatOnFirstPost } from '#shared/wiring/chat.ts';
import { eventPublisher } from '#shared/wiring/core.ts';
import { emailOnFirstSend, smsOnFirstSend } from '#shared/wiring/messaging.ts';
import { businessProfile, identitySettings, leadStore } from '#shared/wiring/pipeline.ts';
import { repRouting } from '#shared/wiring/routing.ts';
import { notifyRep } from './notify-rep.ts';

// Read and checked when the function loads: a bad profile fails at once, not on the first lead.
const profile = businessProfile();

export const handler = createConsumerHandler({
  name: 'notify',
  accepts: [
    LeadRouted,
    RepResponseMissed,
    MeetingBooked,
    MeetingCancelled,
    MissedCallHandled,
    LeadOptedOut,
    RepResponded,
  ],
  process: async (event, { logger, metrics }) => {
    const { rep, heldUntil } = await notifyRep(event, {
      store: leadStore(),
      alerts: repRouting(),
      channels: {
        chat: chatOnFirstPost,
        email: emailOnFirstSend,
        sms: smsOnFirstSend,
        identity: {
          smsNumber: identitySettings().BUSINESS_SMS_NUMBER,
          emailFrom: identitySettings().BUSINESS_EMAIL_FROM,
        },
      },
      publisher: eventPublisher(),
      profile,
    });
    if (!rep) {
      logger.info('Nobody to tell: no manager, or no rep has the lead', { trigger: event.detailType });
      return;
    }
    if (heldUntil) {
      logger.info('Rep notification held for their notify hours', { repId: rep.id, heldUntil });
      return;
    }
    metrics.addMetric(MetricName.RepsNotified, 'Count', 1);
    logger.info('Rep notified', { repId: rep.id, via: rep.notifyVia, trigger: event.detailType });
  },
});
