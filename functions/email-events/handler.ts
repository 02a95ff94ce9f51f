import * as z from 'zod';
import { booleanFlag, readEnv } from '#shared/config/env.ts';
import { createCallbackHandler } from '#shared/inbound/callback-handler.ts';
import { readSendGridPublicKey } from '#shared/inbound/sendgrid-signature.ts';
import { MetricName } from '#shared/lambda/observability.ts';
import { newIdempotencyStore } from '#shared/wiring/idempotency.ts';
import { leadStore } from '#shared/wiring/pipeline.ts';
import { EmailEventRecorder, type EventVerification, receiveEmailEvents } from './record-email-events.ts';

// Public configuration, not a secret: the key SendGrid shows when the Event Webhook is signed.
const settings = readEnv({
  SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY: z
    .string()
    .min(1)
    .transform((value, context) => {
      try {
        return readSendGridPublicKey(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: `not an EC public key (${(error as Error).message})` });
        return z.NEVER;
      }
    })
    .optional(),
  /** Development only: accept unsigned event posts when no key is configured. */
  SENDGRID_EVENT_WEBHOOK_ALLOW_UNSIGNED: booleanFlag(false),
});

const verification: EventVerification = settings.SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY
  ? { publicKey: settings.SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY }
  : settings.SENDGRID_EVENT_WEBHOOK_ALLOW_UNSIGNED
    ? { allowUnsigned: true }
    : { notConfigured: true };

const recorder = new EmailEventRecorder({
  store: leadStore(),
  persistenceStore: newIdempotencyStore(),
});

export const handler = createCallbackHandler({
  name: 'email-events',
  receive: async (event, { logger, metrics }) => {
    const counts = await receiveEmailEvents(event, { verification, recorder, logger });
    metrics.addMetric(MetricName.EmailEventsRecorded, 'Count', counts.applied);
    metrics.addMetric(MetricName.DuplicateWebhooks, 'Count', counts.repeated);
    metrics.addMetric(MetricName.EmailAddressesUnreachable, 'Count', counts.unreachable);
    logger.info('Email events received', { ...counts });
    return undefined;
  },
  // SendGrid reads nothing from the answer but its status; any 2xx stops its retries.
  accepted: { statusCode: 204 },
  // An event being applied when the invocation dies is retried once the invocation's time is up,
  // not after the idempotency record's days.
}).before((request) => recorder.registerLambdaContext(request.context));
