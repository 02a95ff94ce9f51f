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

type Port = keyof typeof providerChoices;
export type ProviderName<P extends Port> = 'sandbox' | keyof (typeof providerChoices)[P];

const present = (env: NodeJS.ProcessEnv, name: string) => (env[name] ?? '') !== '';

/** The provider a port uses: the one named, else the one whose credentials are set, else the sandbox. */
export const chooseProvider = <P extends Port>(
  port: P,
  env: NodeJS.ProcessEnv = process.env,
): ProviderName<P> => {
  const choices = providerChoices[port] as Record<string, readonly string[]>;
  const names = ['sandbox', ...Object.keys(choices)];
  const explicit = env[port];
  if (explicit) {
    if (!names.includes(explicit)) {
      throw new ConfigurationError(`Invalid configuration: ${port}: expected one of ${names.join(', ')}`);
    }
    const missing = (choices[explicit] ?? []).filter((name) => !present(env, name));
    if (missing.length > 0) {
      throw new ConfigurationError(
        `Invalid configuration: ${port}=${explicit} needs ${missing.join(', ')} (environment, or its secret in the cloud)`,
      );
    }
    return explicit as ProviderName<P>;
  }
  const configured = Object.entries(choices).filter(([, signals]) =>
    signals.every((name) => present(env, name)),
  );
  if (configured.length > 1) {
    throw new ConfigurationError(
      `Invalid configuration: ${port}: credentials for ${configured.map(([n]) => n).join(' and ')} are both set; name one`,
    );
  }
  return (configured[0]?.[0] ?? 'sandbox') as ProviderName<P>;
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
