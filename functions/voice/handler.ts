import * as z from 'zod';
import { readEnv } from '#shared/config/env.ts';
import { readBusinessProfile } from '#shared/config/settings.ts';
import { createCallbackHandler } from '#shared/inbound/callback-handler.ts';
import { textResponse } from '#shared/lambda/http.ts';
import { once } from '#shared/wiring/core.ts';
import { answerCall } from './answer-call.ts';

const settings = readEnv({ PUBLIC_BASE_URL: z.url() });
// Read and checked when the function loads: a bad profile fails at once, not on the first call.
const profile = readBusinessProfile();
// A secret: in the cloud it arrives with the provider secrets, just before the first invocation.
const authToken = once(() => readEnv({ TWILIO_AUTH_TOKEN: z.string().min(1) }).TWILIO_AUTH_TOKEN);

export const handler = createCallbackHandler({
  name: 'voice',
  receive: async (event, { logger }) =>
    textResponse(
      200,
      answerCall(event, { authToken: authToken(), publicBaseUrl: settings.PUBLIC_BASE_URL, profile, logger }),
      'text/xml',
    ),
  accepted: textResponse(200, '<?xml version="1.0" encoding="UTF-8"?><Response/>', 'text/xml'),
});
