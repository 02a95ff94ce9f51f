import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { CallMissed, MissedDialStatus } from '#events/catalog.ts';
import { readSignedTwilioForm } from '#shared/adapters/twilio/twilio-webhook.ts';
import { hangUpTwiml } from '#shared/adapters/twilio/twiml.ts';
import { now } from '#shared/clock.ts';
import { leadIdForContact, maskPhone, normalisePhone } from '#shared/domain/contact.ts';
import type { InboundPublisher, PublishOutcome } from '#shared/inbound/publish-inbound.ts';
import { textResponse, WebhookRejection } from '#shared/lambda/http.ts';

/** Twilio's `<Dial action>` request: the call's own parameters plus how the dial ended. */
const DialStatusParams = z
  .object({
    CallSid: z.string().min(1),
    AccountSid: z.string().min(1),
    From: z.string().min(1),
    To: z.string().min(1),
    /** completed, answered, busy, no-answer, failed, canceled (https://www.twilio.com/docs/voice/twiml/dial#dialcallstatus). */
    DialCallStatus: z.string().min(1),
    FromState: z.string().optional(),
  })
  .loose();

const twiml = (body: string) => textResponse(200, body, 'text/xml');

/**
 * Twilio's report of how the forwarded call ended. A call nobody took (`no-answer`, `busy`,
 * `failed`, `canceled`) from a number that can be texted is accepted once per CallSid and
 * published as `Call Missed` (stored in the caller's conversation as `call-<CallSid>`); the
 * caller hears an apology. A call that was answered publishes nothing and hangs up. A caller id
 * that is no phone number (withheld, "anonymous") cannot be texted: logged, nothing published.
 * @throws WebhookRejection for anything not a signed Twilio dial status
 */
export const receiveDialStatus = async (
  event: APIGatewayProxyEventV2,
  deps: {
    authToken: string;
    publicBaseUrl: string;
    businessName: string;
    publishOnce: InboundPublisher['publishOnce'];
    logger: Logger;
  },
): Promise<PublishOutcome | { nothingPublished: ReturnType<typeof twiml> }> => {
  const params = readSignedTwilioForm(event, {
    authToken: deps.authToken,
    publicBaseUrl: deps.publicBaseUrl,
    maxBytes: 64 * 1024,
  });
  const parsed = DialStatusParams.safeParse(params);
  if (!parsed.success) {
    throw new WebhookRejection(
      400,
      `Not a Twilio dial status: check ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  }
  const call = parsed.data;
  const missed = MissedDialStatus.safeParse(call.DialCallStatus);
  if (!missed.success) return { nothingPublished: twiml(hangUpTwiml()) };
  const apology = twiml(
    hangUpTwiml(`Sorry we missed your call. ${deps.businessName} will get back to you shortly.`),
  );
  const from = normalisePhone(call.From);
  if (!from) {
    deps.logger.info('Missed call from a withheld or unusable caller id: nobody to text', {
      callSid: call.CallSid,
    });
    return { nothingPublished: apology };
  }
  const messageId = `call-${call.CallSid}`;
  const leadId = leadIdForContact(from);
  deps.logger.setCorrelationId(messageId);
  deps.logger.appendKeys({ leadId });
  deps.logger.info('Missed call', { from: maskPhone(from), dialCallStatus: missed.data });
  const receivedAt = now().toISOString();
  const { duplicate } = await deps.publishOnce(
    CallMissed,
    {
      version: 1,
      leadId,
      correlationId: messageId,
      messageId,
      callSid: call.CallSid,
      from,
      to: normalisePhone(call.To) ?? call.To,
      dialCallStatus: missed.data,
      receivedAt,
      ...(call.FromState && { fromState: call.FromState }),
    },
    // The call is the first line of the caller's conversation.
    { leadId, messageId, channel: 'sms', body: `(missed call: ${missed.data})`, at: receivedAt },
  );
  return { messageId, duplicate, response: apology };
};
