import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { readSignedTwilioForm } from '#shared/adapters/twilio/twilio-webhook.ts';
import { now } from '#shared/clock.ts';
import type { Rep } from '#shared/config/business-profile.ts';
import { leadIdForContact, maskPhone, normalisePhone } from '#shared/domain/contact.ts';
import { readTextingSender } from '#shared/domain/texting-address.ts';
import type { InboundMessage, InboundPublisher, PublishOutcome } from '#shared/inbound/publish-inbound.ts';
import { WebhookRejection } from '#shared/lambda/http.ts';
import type { LeadStore } from '#shared/ports/lead-store.ts';
import type { RepRouting } from '#shared/ports/rep-routing.ts';
import { TwilioSmsParams, toInboundSms } from './parse-twilio-sms.ts';
import { receiveRepMessage } from './rep-message.ts';

/** Twilio bodies are at most 1600 characters of text plus parameters; anything far larger is not Twilio. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Authenticates a Twilio incoming-message webhook, turns it into `Lead Message Received` and
 * publishes it once per MessageSid. A text from a rep's phone (`reps`) is no lead's: it goes to
 * `receiveRepMessage` before anything a lead's message gets (consent keywords, a lead, an answer).
 * Throws `WebhookRejection` for anything it refuses, before anything is published.
 */
export const receiveSms = async (
  event: APIGatewayProxyEventV2,
  deps: {
    authToken: string;
    publicBaseUrl: string;
    publishInbound: (message: InboundMessage) => Promise<PublishOutcome>;
    publishOnce: InboundPublisher['publishOnce'];
    /** The business's reps by E.164 phone (`repsByPhone`). */
    reps: ReadonlyMap<string, Rep>;
    alerts: Pick<RepRouting, 'recentAlerts'>;
    /** The leads, read to answer a rep with what is true of the lead their text names. */
    leads: Pick<LeadStore, 'getLead'>;
    repName: (repId: string) => string;
    logger: Logger;
    now?: () => Date;
  },
): Promise<Awaited<ReturnType<typeof receiveRepMessage>>> => {
  const params = readSignedTwilioForm(event, {
    authToken: deps.authToken,
    publicBaseUrl: deps.publicBaseUrl,
    maxBytes: MAX_BODY_BYTES,
  });

  const parsed = TwilioSmsParams.safeParse(params);
  if (!parsed.success) {
    const missing = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new WebhookRejection(400, `Not a Twilio incoming message: check ${missing}`);
  }
  const sms = toInboundSms(parsed.data);
  const sender = readTextingSender(sms.from);
  if (sender.kind === 'unanswerable') {
    // Refused, never lost silently: the log says which sender and why.
    deps.logger.warn('Text from a sender that cannot be answered', {
      messageSid: sms.messageSid,
      sender: /^[\d+]+$/.test(sms.from) ? maskPhone(sms.from) : sms.from.slice(0, 11),
      reason: sender.reason,
    });
    throw new WebhookRejection(400, sender.reason);
  }
  const from = sender.phone;

  const messageId = `sms-${sms.messageSid}`;
  const receivedAt = (deps.now?.() ?? now()).toISOString();
  const rep = sender.channel === 'sms' ? deps.reps.get(from) : undefined;
  if (rep) {
    deps.logger.setCorrelationId(messageId);
    return receiveRepMessage({ messageId, rep, body: sms.body, receivedAt }, deps);
  }
  const leadId = leadIdForContact(from);
  deps.logger.setCorrelationId(messageId);
  deps.logger.appendKeys({ leadId });
  deps.logger.info('Text received', { channel: sender.channel, from: maskPhone(from) });
  return deps.publishInbound({
    version: 1,
    leadId,
    correlationId: messageId,
    messageId,
    channel: sender.channel,
    provider: 'twilio',
    providerMessageId: sms.messageSid,
    from,
    to: normalisePhone(sms.to.replace(/^whatsapp:/i, '')) ?? sms.to,
    body: sms.body,
    receivedAt,
    media: sms.media,
    ...(sms.optOutType && { optOutType: sms.optOutType }),
    ...(sms.fromState && { fromState: sms.fromState }),
  });
};
