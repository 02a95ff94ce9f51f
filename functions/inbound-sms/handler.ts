import * as z from 'zod';
import { readEnv } from '#shared/config/env.ts';
import { readBusinessProfile } from '#shared/config/settings.ts';
import { createWebhookHandler } from '#shared/inbound/webhook-handler.ts';
import { textResponse } from '#shared/lambda/http.ts';
import { once } from '#shared/wiring/core.ts';
import { leadStore } from '#shared/wiring/pipeline.ts';
import { repRouting } from '#shared/wiring/routing.ts';
import { EMPTY_TWIML } from './parse-twilio-sms.ts';
import { receiveSms } from './receive-sms.ts';
import { repsByPhone } from './rep-message.ts';

const settings = readEnv({ PUBLIC_BASE_URL: z.url() });
// Read and checked when the function loads: a text from a rep's phone is the rep's, never a lead's.
const team = readBusinessProfile().reps;
const reps = repsByPhone(team);
const repName = (repId: string) => team.find((r) => r.id === repId)?.name ?? repId;
// A secret: in the cloud it arrives with the provider secrets, just before the first invocation.
const authToken = once(() => readEnv({ TWILIO_AUTH_TOKEN: z.string().min(1) }).TWILIO_AUTH_TOKEN);

export const handler = createWebhookHandler({
  name: 'inbound-sms',
  receive: (event, deps) =>
    receiveSms(event, {
      authToken: authToken(),
      publicBaseUrl: settings.PUBLIC_BASE_URL,
      reps,
      alerts: repRouting(),
      leads: leadStore(),
      repName,
      ...deps,
    }),
  // An empty TwiML answer: the reply goes out later, through the API, once the lead is qualified.
  accepted: textResponse(200, EMPTY_TWIML, 'text/xml'),
});
