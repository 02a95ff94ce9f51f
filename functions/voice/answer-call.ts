import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { readSignedTwilioForm } from '#shared/adapters/twilio/twilio-webhook.ts';
import { forwardCallTwiml, hangUpTwiml } from '#shared/adapters/twilio/twiml.ts';
import type { BusinessProfile } from '#shared/config/business-profile.ts';
import { WebhookRejection } from '#shared/lambda/http.ts';

/** The parameters Leadline reads from Twilio's incoming-call request; others are kept (Twilio adds some). */
export const TwilioCallParams = z
  .object({
    CallSid: z.string().min(1),
    AccountSid: z.string().min(1),
    From: z.string().min(1),
    To: z.string().min(1),
  })
  .loose();

/** Where Twilio posts how the forwarded call ended (the topology's `dial-status` webhook). */
export const DIAL_STATUS_PATH = '/webhooks/twilio/voice/dial-status';

/**
 * Answers a call to the business number (Twilio's incoming-call webhook, signed like the SMS one):
 * TwiML that forwards it to the business's own line (`missedCalls.forwardTo`) and asks Twilio to
 * report how the dial ended, which is where a missed call is caught. Without a line the caller
 * hears an apology: nothing to forward to (the log says what to set).
 * @throws WebhookRejection for anything not a signed Twilio call (403, 400, 415)
 */
export const answerCall = (
  event: APIGatewayProxyEventV2,
  deps: { authToken: string; publicBaseUrl: string; profile: BusinessProfile; logger: Logger },
): string => {
  const params = readSignedTwilioForm(event, {
    authToken: deps.authToken,
    publicBaseUrl: deps.publicBaseUrl,
    maxBytes: 64 * 1024,
  });
  const call = TwilioCallParams.safeParse(params);
  if (!call.success) {
    throw new WebhookRejection(
      400,
      `Not a Twilio incoming call: check ${call.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  }
  const { forwardTo, ringSeconds } = deps.profile.missedCalls;
  if (!forwardTo) {
    deps.logger.warn('A call came in but the profile has no missedCalls.forwardTo: nothing to ring', {
      callSid: call.data.CallSid,
    });
    return hangUpTwiml(`Sorry, ${deps.profile.name} cannot take your call right now.`);
  }
  return forwardCallTwiml({
    forwardTo,
    ringSeconds,
    action: `${deps.publicBaseUrl.replace(/\/$/, '')}${DIAL_STATUS_PATH}`,
  });
};
