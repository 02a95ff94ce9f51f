import { webhooks } from '#shared/pipeline.ts';

/** What `npm start` knows when it prints where to send webhooks. */
export interface WebhookBannerInput {
  /** The URL providers are told to call (PUBLIC_BASE_URL, else the runtime's), no trailing slash. */
  publicUrl: string;
  /** The Inbound Parse URL with its basic auth in it. */
  inboundEmailUrl: string;
  env: NodeJS.ProcessEnv;
  devTwilioToken: string;
}

type Entry = {
  label: string;
  note?: (input: WebhookBannerInput) => string;
  url?: (input: WebhookBannerInput) => string;
};

const twilioSigned = ({ env, devTwilioToken }: WebhookBannerInput) =>
  `signed with TWILIO_AUTH_TOKEN${env.TWILIO_AUTH_TOKEN ? '' : ` (development default "${devTwilioToken}")`}`;
const secretNote = (name: string) => (input: WebhookBannerInput) =>
  input.env[name] ? `signed with ${name}` : `off until ${name} is set (answers 503)`;

/**
 * How the banner names each webhook of the topology (`shared/pipeline.ts` `webhooks`), by name,
 * in the provider's own words for where the URL goes.
 */
const ENTRIES: Readonly<Record<string, Entry>> = {
  'inbound-sms': { label: 'Twilio SMS (A message comes in)', note: twilioSigned },
  'inbound-email': {
    label: 'SendGrid Inbound Parse',
    url: (input) => input.inboundEmailUrl,
    note: ({ env }) =>
      env.INBOUND_EMAIL_BASIC_AUTH
        ? 'basic auth from INBOUND_EMAIL_BASIC_AUTH'
        : 'basic auth is the development default (set INBOUND_EMAIL_BASIC_AUTH)',
  },
  'sms-status': { label: 'Twilio delivery status', note: () => '(sent with each Twilio text)' },
  voice: {
    label: 'Twilio Voice (A call comes in)',
    note: (input) => `${twilioSigned(input)}; rings the profile's missedCalls.forwardTo`,
  },
  'dial-status': {
    label: 'Twilio dial status',
    note: () => '(sent with each forwarded call; a missed one is texted back)',
  },
  calendly: { label: 'Calendly webhook subscription', note: secretNote('CALENDLY_WEBHOOK_SIGNING_KEY') },
  'cal-com': { label: 'Cal.com webhook', note: secretNote('CALCOM_WEBHOOK_SECRET') },
  'email-events': {
    label: 'SendGrid Event Webhook',
    note: () => '(signed: SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY)',
  },
};

/**
 * The banner's "Send webhooks to" lines: every webhook the topology serves, its method and URL,
 * then how it is authenticated. Returns lines without a trailing newline.
 * @throws Error for a webhook the banner has no words for (so a new one cannot be left out)
 */
export const webhookBannerLines = (input: WebhookBannerInput): string[] =>
  webhooks.flatMap((webhook) => {
    const entry = ENTRIES[webhook.name];
    if (!entry) throw new Error(`The npm start banner does not describe the ${webhook.name} webhook`);
    const url = entry.url?.(input) ?? `${input.publicUrl}${webhook.path}`;
    return [
      `  ${`${entry.label}:`.padEnd(34)}${webhook.method} ${url}`,
      ...(entry.note ? [`      ${entry.note(input)}`] : []),
    ];
  });
