import { createHash } from 'node:crypto';
import { inboundEmailRequest, type PreparedRequest, signedSmsRequest } from '../lib/webhook-requests.ts';
import type { PlannedMessage, SoakContact } from './plan.ts';

/** The credentials the soak gives the runtime it starts (fresh for every run). */
export interface SoakCredentials {
  twilioAuthToken: string;
  /** `user:password`, as in `INBOUND_EMAIL_BASIC_AUTH`. */
  inboundEmailBasicAuth: string;
}

const BUSINESS_NUMBER = '+15125550100';
const BUSINESS_EMAIL = 'hello@leadline.example';

/**
 * The webhook request for a planned message, built once so that every repeat and retry sends the
 * very same bytes, as Twilio and SendGrid do. A forgery is signed with the wrong token or carries
 * the wrong password.
 */
export const webhookRequest = (
  message: PlannedMessage,
  contact: SoakContact,
  target: { baseUrl: string; credentials: SoakCredentials },
): PreparedRequest => {
  if (message.channel === 'sms') {
    return signedSmsRequest({
      publicUrl: `${target.baseUrl}/webhooks/twilio/sms`,
      authToken:
        message.forgery === 'bad-twilio-signature'
          ? `${target.credentials.twilioAuthToken}-forged`
          : target.credentials.twilioAuthToken,
      from: contact.address,
      to: BUSINESS_NUMBER,
      body: message.body,
      messageSid: message.providerId,
    });
  }
  const [user] = target.credentials.inboundEmailBasicAuth.split(':');
  return inboundEmailRequest({
    url: `${target.baseUrl}/webhooks/sendgrid/inbound`,
    basicAuth:
      message.forgery === 'wrong-basic-auth'
        ? `${user}:not-the-password`
        : target.credentials.inboundEmailBasicAuth,
    from: `${contact.name} <${contact.address}>`,
    to: BUSINESS_EMAIL,
    subject: message.subject ?? 'Question',
    text: message.body,
    messageId: message.providerId,
  });
};

/**
 * The id Leadline gives the stored inbound message: `sms-<MessageSid>`, or `email-` and the first
 * 24 hex of the SHA-256 of the Message-ID (functions/inbound-sms/receive-sms.ts,
 * functions/inbound-email/receive-email.ts). Reconciliation also matches on the lead and the body,
 * so a change of this scheme shows as a warning, not as lost messages.
 */
export const expectedMessageId = (message: Pick<PlannedMessage, 'channel' | 'providerId'>): string =>
  message.channel === 'sms'
    ? `sms-${message.providerId}`
    : `email-${createHash('sha256').update(message.providerId).digest('hex').slice(0, 24)}`;
