/**
 * `npm start`: the whole Leadline pipeline on this machine, no AWS account, no credentials.
 * Settings come from the environment or a git-ignored `.env` (see `.env.example`).
 */
import { resolve } from 'node:path';
import * as z from 'zod';
import { readProviderSettings } from '#shared/config/providers.ts';
import { readReplyDraftingSettings } from '#shared/config/reply-drafting.ts';
import { loadDotEnv } from '../lib/load-dotenv.ts';
import { DEV_DEFAULTS, startLocalRuntime } from './runtime.ts';

loadDotEnv();

const settings = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    HOST: z.string().default('127.0.0.1'),
    PUBLIC_BASE_URL: z.url().optional(),
    LEADLINE_DATA_DIR: z.string().default('.data'),
    LOCAL_VISIBILITY_TIMEOUT_SECONDS: z.coerce.number().int().min(1).optional(),
  })
  .safeParse(process.env);
if (!settings.success) {
  for (const issue of settings.error.issues)
    console.error(`Invalid ${issue.path.join('.')}: ${issue.message}`);
  process.exit(1);
}
const { PORT, HOST, PUBLIC_BASE_URL, LEADLINE_DATA_DIR, LOCAL_VISIBILITY_TIMEOUT_SECONDS } = settings.data;

// Which adapter serves each port: checked before anything starts, so a wrong setting stops here.
let providers: ReturnType<typeof readProviderSettings>;
let drafting: ReturnType<typeof readReplyDraftingSettings>;
try {
  providers = readProviderSettings(process.env);
  drafting = readReplyDraftingSettings(process.env);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const providerLine = [
  `SMS ${providers.SMS_PROVIDER}`,
  `email ${providers.EMAIL_PROVIDER}`,
  `CRM ${providers.CRM_PROVIDER}`,
  `calendar ${providers.CALENDAR_PROVIDER}`,
  `chat ${providers.CHAT_PROVIDER}`,
  `qualification ${providers.OPENAI_API_KEY ? `OpenAI ${providers.OPENAI_MODEL} + rules fallback` : 'rules'}`,
  `replies ${providers.OPENAI_API_KEY && drafting.OPENAI_DRAFT_REPLIES ? 'drafted by OpenAI, checked, template fallback' : 'templates'}`,
].join(' · ');

const usingDevToken = !process.env.TWILIO_AUTH_TOKEN;
const usingDevAuth = !process.env.INBOUND_EMAIL_BASIC_AUTH;

const runtime = await startLocalRuntime({
  port: PORT,
  host: HOST,
  dataDir: LEADLINE_DATA_DIR,
  ...(PUBLIC_BASE_URL && { publicBaseUrl: PUBLIC_BASE_URL }),
  ...(LOCAL_VISIBILITY_TIMEOUT_SECONDS && { visibilityTimeoutSeconds: LOCAL_VISIBILITY_TIMEOUT_SECONDS }),
  env: process.env,
  trace: (line) => console.log(`${new Date().toISOString().slice(11, 23)} ${line}`),
}).catch((error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') {
    console.error(
      `Port ${PORT} is already in use. Stop what runs there, or start with another PORT (PORT=3001 npm start).`,
    );
  } else {
    console.error(`Leadline could not start: ${error.message}`);
  }
  process.exit(1);
});

const publicUrl = (PUBLIC_BASE_URL ?? runtime.url).replace(/\/$/, '');
const emailAuth = process.env.INBOUND_EMAIL_BASIC_AUTH ?? DEV_DEFAULTS.INBOUND_EMAIL_BASIC_AUTH;
const emailUrl = new URL(`${publicUrl}/webhooks/sendgrid/inbound`);
[emailUrl.username, emailUrl.password] = emailAuth.split(/:(.*)/s).map(encodeURIComponent) as [
  string,
  string,
];

console.log(`
Leadline is running locally on ${runtime.url} (data in ${resolve(LEADLINE_DATA_DIR)})
Console:   ${runtime.url}/   (leads, conversations, pipeline health; try it with the simulated phone)
Providers: ${providerLine}
           (sandbox ones record to ${runtime.url}/local/outbox; set a provider's credentials to use it, see .env.example)

Send webhooks to:
  Twilio SMS (A message comes in):  POST ${publicUrl}/webhooks/twilio/sms
      signed with TWILIO_AUTH_TOKEN${usingDevToken ? ` (development default "${DEV_DEFAULTS.TWILIO_AUTH_TOKEN}")` : ''}
  SendGrid Inbound Parse:           POST ${emailUrl.href}
      ${usingDevAuth ? 'basic auth is the development default (set INBOUND_EMAIL_BASIC_AUTH)' : 'basic auth from INBOUND_EMAIL_BASIC_AUTH'}
  Twilio delivery status:           POST ${publicUrl}/webhooks/twilio/status   (sent with each Twilio text)
  SendGrid Event Webhook:           POST ${publicUrl}/webhooks/sendgrid/events (signed: SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY)

Try it:   npm run sms -- --from +15125550123 --body "Hi, my kitchen drain is clogged, can someone come today?"
          npm run email -- --from jane@example.com --subject "Water heater" --body "Can I get a quote?"
Look:     ${runtime.url}/local/leads   ${runtime.url}/local/outbox   ${runtime.url}/local/queues
Health:   ${runtime.url}/health
`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping; queued and in-flight messages stay on disk for the next start.`);
  await runtime.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
