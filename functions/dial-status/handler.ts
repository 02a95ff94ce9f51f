import * as z from 'zod';
import { readEnv } from '#shared/config/env.ts';
import { readBusinessProfile } from '#shared/config/settings.ts';
import { createWebhookHandler } from '#shared/inbound/webhook-handler.ts';
import { textResponse } from '#shared/lambda/http.ts';
import { once } from '#shared/wiring/core.ts';
import { receiveDialStatus } from './receive-dial-status.ts';

const settings = readEnv({ PUBLIC_BASE_URL: z.url() });
const profile = readBusinessProfile();
// A secret: in the cloud it arrives with the provider secrets, just before the first invocation.
const authToken = once(() => readEnv({ TWILIO_AUTH_TOKEN: z.string().min(1) }).TWILIO_AUTH_TOKEN);

export const handler = createWebhookHandler({
  name: 'dial-status',
  receive: (event, deps) =>
    receiveDialStatus(event, {
      authToken: authToken(),
      publicBaseUrl: settings.PUBLIC_BASE_URL,
      businessName: profile.name,
      ...deps,
    }),
  accepted: textResponse(
    200,
    '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>',
    'text/xml',
  ),
});
