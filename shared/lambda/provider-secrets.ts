import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import * as z from 'zod';
import { ConfigurationError } from '#shared/config/env.ts';
import { SECRET_ARNS_VARIABLE } from '#shared/config/secrets.ts';

/** How long a fetched secret is trusted before Secrets Manager is asked again (Powertools cache). */
const SECRET_MAX_AGE_SECONDS = 300;

const SecretObject = z.record(z.string(), z.string());

/**
 * Powertools' Secrets Manager provider, loaded on first use: a function with no secrets (most of
 * the pipeline) never loads it or the Secrets Manager client (a cold start's worth of imports).
 */
const fetchWithPowertools = async (arn: string): Promise<unknown> => {
  const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
  return getSecret(arn, { maxAge: SECRET_MAX_AGE_SECONDS });
};

/**
 * Copies the provider secrets this function may read (`LEADLINE_SECRET_ARNS`, set by the stack
 * from the topology) into its environment, where the settings readers find them under the same
 * names as locally. Powertools caches each secret for five minutes, so a warm invocation makes no
 * call. Without the variable (the local runtime, tests) it does nothing.
 *
 * An adapter built from these values keeps them for the life of the execution environment; a
 * rotated credential reaches new environments (or a redeploy).
 */
export const loadProviderSecrets = async (
  env: NodeJS.ProcessEnv = process.env,
  fetchSecret: (arn: string) => Promise<unknown> = fetchWithPowertools,
): Promise<void> => {
  const arns = (env[SECRET_ARNS_VARIABLE] ?? '')
    .split(',')
    .map((arn) => arn.trim())
    .filter(Boolean);
  const secrets = await Promise.all(arns.map(async (arn) => ({ arn, value: await fetchSecret(arn) })));
  for (const { arn, value } of secrets) {
    let parsed: unknown;
    try {
      parsed = typeof value === 'string' ? JSON.parse(value) : value;
    } catch {
      throw new ConfigurationError(`Secret ${arn} is not a JSON object of setting names to values`);
    }
    const object = SecretObject.safeParse(parsed);
    if (!object.success) {
      throw new ConfigurationError(
        `Secret ${arn} must be a JSON object of string values, e.g. {"TWILIO_AUTH_TOKEN":"..."}`,
      );
    }
    for (const [name, secretValue] of Object.entries(object.data)) {
      if (secretValue !== '') env[name] = secretValue;
    }
  }
};

/**
 * middy middleware: provider secrets in the environment before the handler runs. A failure (Secrets
 * Manager unreachable, access denied, a malformed secret) is logged with its cause and fails the
 * invocation, so the event is retried (SQS) or the provider retries (webhooks).
 */
export const providerSecrets = (logger: Logger): MiddlewareObj => ({
  before: async () => {
    try {
      await loadProviderSecrets();
    } catch (error) {
      logger.error('Could not load the provider secrets', { error: error as Error });
      throw error;
    }
  },
});
