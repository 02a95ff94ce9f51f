import * as z from 'zod';
import { ConfigurationError, readEnv } from './env.ts';

/**
 * Which adapter serves each port, decided once at start-up. A port names its provider
 * explicitly (`SMS_PROVIDER=twilio`), or is left unset and takes the real provider whose
 * credentials are present, else the sandbox. So `npm start` with no credentials records
 * everything, and setting a provider's credentials turns it on.
 */
export const providerChoices = {
  SMS_PROVIDER: { twilio: ['TWILIO_ACCOUNT_SID'] },
  EMAIL_PROVIDER: { sendgrid: ['SENDGRID_API_KEY'] },
  CRM_PROVIDER: { salesforce: ['SALESFORCE_REFRESH_TOKEN'], hubspot: ['HUBSPOT_ACCESS_TOKEN'] },
  CALENDAR_PROVIDER: { google: ['GOOGLE_CALENDAR_ID'], 'booking-link': ['BOOKING_LINK_URL'] },
  CHAT_PROVIDER: { slack: ['SLACK_WEBHOOK_URL'] },
} as const satisfies Record<string, Record<string, readonly string[]>>;

export type Port = keyof typeof providerChoices;
export type ProviderName<P extends Port> = 'sandbox' | keyof (typeof providerChoices)[P];

const present = (env: NodeJS.ProcessEnv, name: string) => (env[name] ?? '') !== '';

/**
 * The provider a port uses and why: the one named (`SMS_PROVIDER=twilio`), else the one whose
 * credentials are set, else the sandbox. Throws `ConfigurationError` for an unknown name or two
 * candidates; does not check that the chosen provider has what it needs (`chooseProvider` does).
 */
export const selectProvider = <P extends Port>(
  port: P,
  env: NodeJS.ProcessEnv = process.env,
): { provider: ProviderName<P>; because: string } => {
  const choices = providerChoices[port] as Record<string, readonly string[]>;
  const names = ['sandbox', ...Object.keys(choices)];
  const explicit = env[port];
  if (explicit) {
    if (!names.includes(explicit)) {
      throw new ConfigurationError(`Invalid configuration: ${port}: expected one of ${names.join(', ')}`);
    }
    return { provider: explicit as ProviderName<P>, because: `${port}=${explicit}` };
  }
  const configured = Object.entries(choices).filter(([, signals]) =>
    signals.every((name) => present(env, name)),
  );
  if (configured.length > 1) {
    throw new ConfigurationError(
      `Invalid configuration: ${port}: credentials for ${configured.map(([n]) => n).join(' and ')} are both set; name one`,
    );
  }
  const [auto] = configured;
  return auto
    ? { provider: auto[0] as ProviderName<P>, because: `${auto[1].join(', ')} set` }
    : { provider: 'sandbox' as ProviderName<P>, because: 'no provider credentials set' };
};

/**
 * The provider a port uses (`selectProvider`); a named provider without its credentials is a
 * `ConfigurationError` naming them. The full settings are read when the adapter is built (and by
 * `npm start` before anything starts, `shared/wiring/provider-check.ts`).
 */
export const chooseProvider = <P extends Port>(
  port: P,
  env: NodeJS.ProcessEnv = process.env,
): ProviderName<P> => {
  const { provider } = selectProvider(port, env);
  const name = String(provider);
  const signals = (providerChoices[port] as Record<string, readonly string[]>)[name] ?? [];
  const missing = signals.filter((signal) => !present(env, signal));
  if (env[port] && missing.length > 0) {
    throw new ConfigurationError(
      `Invalid configuration: ${port}=${name} needs ${missing.join(', ')} (environment, or its secret in the cloud)`,
    );
  }
  return provider;
};

/** OpenAI, for qualification (and reply drafting): the model answers when a key is set. */
export const readOpenAiSettings = (env: NodeJS.ProcessEnv = process.env) =>
  readEnv(
    {
      OPENAI_API_KEY: z.string().min(1).optional(),
      OPENAI_BASE_URL: z.url().optional(),
      OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
      /** Speed-to-lead is measured in seconds: the model gets a few of them, then rules answer. */
      OPENAI_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(4000),
      OPENAI_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(1),
    },
    env,
  );

/**
 * Every port's provider at once, for `npm start`'s summary. A function chooses only the ports it
 * uses (`chooseProvider` in `shared/wiring/`): it can read only its own secrets, so another
 * port's named provider would look unconfigured from there.
 */
export const readProviderSettings = (env: NodeJS.ProcessEnv = process.env) => ({
  SMS_PROVIDER: chooseProvider('SMS_PROVIDER', env),
  EMAIL_PROVIDER: chooseProvider('EMAIL_PROVIDER', env),
  CRM_PROVIDER: chooseProvider('CRM_PROVIDER', env),
  CALENDAR_PROVIDER: chooseProvider('CALENDAR_PROVIDER', env),
  CHAT_PROVIDER: chooseProvider('CHAT_PROVIDER', env),
  ...readOpenAiSettings(env),
});
