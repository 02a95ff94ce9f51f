import * as z from 'zod';
import { readEnv } from '#shared/config/env.ts';
import { webhooks } from '#shared/pipeline.ts';

/** Where the Twilio REST API is; `TWILIO_API_BASE_URL` points the SDK at a loopback fake in tests. */
export const TWILIO_API_BASE_URL = 'https://api.twilio.com';

/**
 * The Twilio account Leadline sends from. The SID and auth token are secrets (group `twilio`);
 * read when the adapter is first built, after the provider secrets are in the environment.
 */
export const readTwilioSettings = (env: NodeJS.ProcessEnv = process.env) =>
  readEnv(
    {
      TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'expected an account SID (AC + 32 hex)'),
      TWILIO_AUTH_TOKEN: z.string().min(1),
      /** Sends through a Messaging Service (its sender pool, opt-out handling) instead of one number. */
      TWILIO_MESSAGING_SERVICE_SID: z
        .string()
        .regex(/^MG[0-9a-fA-F]{32}$/, 'expected a Messaging Service SID (MG + 32 hex)')
        .optional(),
      TWILIO_API_BASE_URL: z.url().default(TWILIO_API_BASE_URL),
    },
    env,
  );
export type TwilioSettings = ReturnType<typeof readTwilioSettings>;

/** The URL Twilio posts a sent text's status changes to: the public base URL + the topology's path. */
export const twilioStatusCallbackUrl = (publicBaseUrl: string): string => {
  const webhook = webhooks.find((w) => w.name === 'sms-status');
  if (!webhook) throw new Error('The topology has no sms-status webhook');
  return `${publicBaseUrl.replace(/\/$/, '')}${webhook.path}`;
};
