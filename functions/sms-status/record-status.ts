import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { readSignedTwilioForm } from '#shared/adapters/twilio/twilio-webhook.ts';
import { now } from '#shared/clock.ts';
import { recordConsentSignal } from '#shared/compliance/consent-record.ts';
import { maskPhone, normalisePhone } from '#shared/domain/contact.ts';
import { isSmsDeliveryStatus, type SmsDeliveryStatus } from '#shared/domain/sms-delivery.ts';
import { WebhookRejection } from '#shared/lambda/http.ts';
import type { LeadStore } from '#shared/ports/lead-store.ts';

/** A status callback is a few hundred bytes of form fields. */
const MAX_BODY_BYTES = 16 * 1024;

/** The recipient replied STOP to this sender: Twilio blocks every text to them until START. */
const UNSUBSCRIBED_RECIPIENT = '21610';

const optionalText = z.string().optional();

/**
 * The form Twilio posts to a message's `StatusCallback`. Parameters vary with the channel and
 * change over time, so unknown keys are kept and an unknown status is ignored, not refused.
 * https://www.twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks
 */
export const TwilioStatusParams = z
  .object({
    MessageSid: z.string().min(1),
    AccountSid: z.string().min(1),
    MessageStatus: z.string().regex(/^[a-z_]+$/, 'MessageStatus must be a status name'),
    ErrorCode: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.string().regex(/^\d+$/, 'ErrorCode must be a number').optional(),
    ),
    To: optionalText,
    From: optionalText,
    MessagingServiceSid: optionalText,
    SmsStatus: optionalText,
    ApiVersion: optionalText,
  })
  .loose();

export interface StatusOutcome {
  outcome: 'recorded' | 'outdated' | 'pending' | 'ignored';
  /** The status, when it is one Leadline records. */
  status?: SmsDeliveryStatus;
}

/**
 * Authenticates a Twilio status callback and records it on the text it is about: delivered,
 * or undelivered/failed with Twilio's error code. A status never moves a text backwards. An
 * error 21610 means the lead unsubscribed at the carrier, so the contact is marked opted out.
 */
export const recordStatus = async (
  event: APIGatewayProxyEventV2,
  deps: {
    authToken: string;
    publicBaseUrl: string;
    store: Pick<
      LeadStore,
      'recordSmsDelivery' | 'changeOptOut' | 'recordConsentEvent' | 'setEmailUnreachable'
    >;
    logger: Logger;
    now?: () => Date;
  },
): Promise<StatusOutcome> => {
  const params = readSignedTwilioForm(event, {
    authToken: deps.authToken,
    publicBaseUrl: deps.publicBaseUrl,
    maxBytes: MAX_BODY_BYTES,
  });
  const parsed = TwilioStatusParams.safeParse(params);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new WebhookRejection(400, `Not a Twilio status callback: check ${problems}`);
  }
  const { MessageSid: messageSid, MessageStatus: status, ErrorCode: errorCode } = parsed.data;
  if (!isSmsDeliveryStatus(status)) {
    deps.logger.info('Text status ignored', { messageSid, status });
    return { outcome: 'ignored' };
  }

  const at = (deps.now?.() ?? now()).toISOString();
  const { outcome, message } = await deps.store.recordSmsDelivery(messageSid, {
    status,
    at,
    ...(errorCode && { errorCode }),
  });
  deps.logger.info('Text status recorded', {
    messageSid,
    status,
    errorCode,
    outcome,
    ...(message && { leadId: message.leadId, outboundMessageId: message.messageId }),
  });

  const contact = parsed.data.To ? normalisePhone(parsed.data.To) : null;
  if (errorCode === UNSUBSCRIBED_RECIPIENT && contact) {
    const { effect } = await recordConsentSignal(deps.store, {
      contact,
      channel: 'sms',
      action: 'opt_out',
      signal: 'twilio-21610',
      detail: `Twilio status callback: ${status}, error 21610 (the recipient opted out with the carrier)`,
      at,
      messageId: message?.messageId ?? `sms-status-${messageSid}`,
      ...(message && { leadId: message.leadId }),
    });
    if (effect === 'opted_out') {
      deps.logger.info('Contact opted out at the carrier', { messageSid, contact: maskPhone(contact) });
    }
  }
  // A landline (30006) never takes a text: nothing starts a text to it again (a missed call from
  // it is not texted back) until the person texts the business themselves.
  if (errorCode === LANDLINE_OR_UNREACHABLE_CARRIER && contact) {
    await deps.store.setEmailUnreachable({
      contact,
      at,
      reason: 'Twilio 30006: landline or unreachable carrier',
      providerEventId: `sms-status-${messageSid}`,
    });
  }
  return { outcome, status };
};

/** https://www.twilio.com/docs/api/errors/30006 */
const LANDLINE_OR_UNREACHABLE_CARRIER = '30006';
