import type { Logger } from '@aws-lambda-powertools/logger';
import * as z from 'zod';
import { ConfigurationError, readEnv } from '#shared/config/env.ts';
import { WebhookRejection } from '#shared/lambda/http.ts';

/**
 * A booking page's webhook secret: at least 16 characters, so a guessed or short secret cannot
 * forge a booking (an HMAC key is only as strong as its length; Leadline's own rule, the same for
 * both pages). Unset: the page's webhook is off.
 */
const webhookSecret = (what: string) =>
  z
    .string()
    .min(16, `${what} must be at least 16 characters (generate one with: openssl rand -hex 32)`)
    .optional();

const BookingPageSecrets = {
  /** Calendly's webhook subscription signing key. */
  CALENDLY_WEBHOOK_SIGNING_KEY: webhookSecret('the Calendly signing key'),
  /** The secret set on the Cal.com webhook. */
  CALCOM_WEBHOOK_SECRET: webhookSecret('the Cal.com webhook secret'),
};

export type BookingPageSecretName = keyof typeof BookingPageSecrets;

/**
 * Both booking pages' webhook secrets, checked (`npm start` reads them before anything starts).
 * Returns each set secret, undefined for one not set.
 * @throws ConfigurationError naming each variable that breaks the rule, and the rule
 */
export const readBookingPageSecrets = (env: NodeJS.ProcessEnv = process.env) =>
  readEnv(BookingPageSecrets, env);

/**
 * One page's secret for its webhook, read when a request comes (in the cloud it arrives with the
 * provider secrets, just before the first invocation).
 * @throws WebhookRejection (503) when it is not set, or malformed (the log names the setting and its rule)
 */
export const requireBookingPageSecret = (
  name: BookingPageSecretName,
  logger: Pick<Logger, 'warn' | 'error'>,
  env: NodeJS.ProcessEnv = process.env,
): string => {
  let secret: string | undefined;
  try {
    secret = readEnv({ [name]: BookingPageSecrets[name] }, env)[name];
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    const problem = error.problems.map((p) => `${p.setting}: ${p.problem}`).join('; ');
    logger.error(`${name} is malformed: booking webhooks are refused until it is fixed (${problem})`);
    throw new WebhookRejection(503, 'This booking webhook is misconfigured');
  }
  if (!secret) {
    logger.warn(`${name} is not set: booking webhooks are refused`);
    throw new WebhookRejection(503, 'This booking webhook is not configured');
  }
  return secret;
};
