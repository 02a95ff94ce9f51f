/**
 * Provider credentials as they are stored. In the cloud each group is one Secrets Manager
 * secret (created empty by the stack) holding a JSON object whose keys are these environment
 * variable names; a function lists the groups it may read in the topology, and
 * `shared/lambda/provider-secrets.ts` copies them into its environment before the first use.
 * Locally the same names are plain environment variables (or `.env`).
 *
 * A key ending in `?` is optional. A group left empty (`{}`) leaves its provider on the sandbox.
 */
export const secretGroups = {
  twilio: {
    description: 'Twilio: sending SMS, validating webhook signatures, fetching MMS media',
    keys: ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'],
  },
  sendgrid: {
    description: 'SendGrid: sending email as the business',
    keys: ['SENDGRID_API_KEY'],
  },
  'inbound-email': {
    description: 'Basic auth (user:password) SendGrid Inbound Parse sends with each email',
    keys: ['INBOUND_EMAIL_BASIC_AUTH'],
  },
  openai: {
    description: 'OpenAI: qualification and reply drafting',
    keys: ['OPENAI_API_KEY'],
  },
  salesforce: {
    description: 'Salesforce connected app (OAuth refresh token flow)',
    keys: ['SALESFORCE_CLIENT_ID', 'SALESFORCE_CLIENT_SECRET', 'SALESFORCE_REFRESH_TOKEN'],
  },
  hubspot: {
    description: 'HubSpot private app access token',
    keys: ['HUBSPOT_ACCESS_TOKEN'],
  },
  'google-calendar': {
    description: 'Google Calendar: a service account key (JSON) or an OAuth refresh token',
    keys: [
      'GOOGLE_SERVICE_ACCOUNT_JSON?',
      'GOOGLE_CLIENT_ID?',
      'GOOGLE_CLIENT_SECRET?',
      'GOOGLE_REFRESH_TOKEN?',
    ],
  },
  slack: {
    description: 'Slack incoming webhook URL for rep notifications',
    keys: ['SLACK_WEBHOOK_URL'],
  },
  'booking-pages': {
    description: 'Booking page webhooks: the Calendly signing key and the Cal.com secret',
    keys: ['CALENDLY_WEBHOOK_SIGNING_KEY?', 'CALCOM_WEBHOOK_SECRET?'],
  },
} as const satisfies Record<string, { description: string; keys: readonly string[] }>;

export type SecretGroup = keyof typeof secretGroups;

export const secretGroupNames = Object.keys(secretGroups) as SecretGroup[];

/** The environment variable a function reads its secrets' ARNs from (comma-separated). */
export const SECRET_ARNS_VARIABLE = 'LEADLINE_SECRET_ARNS';
