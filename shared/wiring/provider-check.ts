import { readSchedulingPageSettings } from '#shared/adapters/booking-link/scheduling-page-link.ts';
import { readGoogleCalendarSettings } from '#shared/adapters/google/google-calendar.ts';
import { readHubSpotSettings } from '#shared/adapters/hubspot/settings.ts';
import { readSalesforceSettings } from '#shared/adapters/salesforce/settings.ts';
import { readSendGridSettings } from '#shared/adapters/sendgrid/sendgrid-email-sender.ts';
import { readSlackSettings } from '#shared/adapters/slack/slack-webhook-chat-poster.ts';
import { readTwilioSettings } from '#shared/adapters/twilio/settings.ts';
import { ConfigurationError, type SettingProblem } from '#shared/config/env.ts';
import { type Port, providerChoices, selectProvider } from '#shared/config/providers.ts';

/**
 * Each real provider's settings as its adapter reads them when it is first built (nothing is built
 * here), and the prefix of the variables that belong to it. Only `npm start` imports this module,
 * so no function bundle carries every provider's settings.
 */
const providerSettings: {
  [P in Port]: Record<
    keyof (typeof providerChoices)[P],
    { read: (env: NodeJS.ProcessEnv) => unknown; prefix: string }
  >;
} = {
  SMS_PROVIDER: { twilio: { read: readTwilioSettings, prefix: 'TWILIO_' } },
  EMAIL_PROVIDER: { sendgrid: { read: readSendGridSettings, prefix: 'SENDGRID_' } },
  CRM_PROVIDER: {
    salesforce: { read: readSalesforceSettings, prefix: 'SALESFORCE_' },
    hubspot: { read: readHubSpotSettings, prefix: 'HUBSPOT_' },
  },
  CALENDAR_PROVIDER: {
    google: { read: readGoogleCalendarSettings, prefix: 'GOOGLE_' },
    'booking-link': { read: readSchedulingPageSettings, prefix: 'BOOKING_LINK_' },
  },
  CHAT_PROVIDER: { slack: { read: readSlackSettings, prefix: 'SLACK_' } },
};

/** A port whose provider cannot work with the settings it has. */
export interface ProviderProblem {
  readonly port: Port;
  readonly provider: string;
  /** Why this provider was chosen: `SMS_PROVIDER=twilio`, or `TWILIO_ACCOUNT_SID set`. */
  readonly because: string;
  readonly problems: readonly SettingProblem[];
}

export interface ProviderCheck {
  readonly providers: Readonly<Record<Port, string>>;
  readonly problems: readonly ProviderProblem[];
}

/**
 * Chooses every port's provider as the functions will, and reads each real provider's settings in
 * full, so a half-configured provider stops start-up instead of failing every message. Collects,
 * per port, every setting that is missing, malformed, or still a placeholder: a value equal to its
 * example in `placeholders` (the illustrative values of `.env.example`, such as `ACxxxx…`).
 * Throws `ConfigurationError` only for an unknown provider name or two candidates for one port.
 */
export const checkProviders = (
  env: NodeJS.ProcessEnv,
  placeholders: Readonly<Record<string, string>> = {},
): ProviderCheck => {
  const providers = {} as Record<Port, string>;
  const problems: ProviderProblem[] = [];
  for (const port of Object.keys(providerChoices) as Port[]) {
    const { provider, because } = selectProvider(port, env);
    providers[port] = String(provider);
    if (provider === 'sandbox') continue;
    const settings = (
      providerSettings[port] as Record<string, { read: (e: NodeJS.ProcessEnv) => unknown; prefix: string }>
    )[String(provider)]!;
    const found: SettingProblem[] = Object.entries(placeholders)
      .filter(([name, example]) => name.startsWith(settings.prefix) && env[name] === example)
      .map(([setting]) => ({ setting, problem: 'still the .env.example placeholder' }));
    try {
      settings.read(env);
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      const listed =
        error.problems.length > 0
          ? error.problems
          : [{ setting: port, problem: error.message.replace(/^Invalid configuration: /, '') }];
      for (const problem of listed)
        if (!found.some((f) => f.setting === problem.setting)) found.push(problem);
    }
    if (found.length > 0) problems.push({ port, provider: String(provider), because, problems: found });
  }
  return { providers, problems };
};

/** The check's problems as lines for a person: one per port, then one per setting. */
export const describeProviderProblems = (problems: readonly ProviderProblem[]): string[] =>
  problems.flatMap((p) => [
    `  ${p.port.replace('_PROVIDER', '')} ${p.provider} (${p.because}):`,
    ...p.problems.map((s) => `    ${s.setting}: ${s.problem}`),
  ]);
