/**
 * `npm start`: the whole Leadline pipeline on this machine, no AWS account, no credentials.
 * Settings come from the environment or a git-ignored `.env` (see `.env.example`).
 */
import { resolve } from 'node:path';
import * as z from 'zod';
import { ConfigurationError } from '#shared/config/env.ts';
import { readOpenAiSettings } from '#shared/config/providers.ts';
import { readReplyDraftingSettings } from '#shared/config/reply-drafting.ts';
import { readBookingPageSecrets } from '#shared/inbound/booking-page-settings.ts';
import { checkProviders, describeProviderProblems } from '#shared/wiring/provider-check.ts';
import { parseCli } from '../lib/cli.ts';
import { readPlaceholders } from '../lib/env-example.ts';
import { loadDotEnv } from '../lib/load-dotenv.ts';
import { DEV_DEFAULTS, type LocalRuntime, startLocalRuntime } from './runtime.ts';
import { webhookBannerLines } from './webhook-banner.ts';

loadDotEnv();
parseCli({
  command: 'npm start --',
  usage: `
Runs the whole pipeline on this machine: the real handlers, embedded DynamoDB, S3, EventBridge
and SQS stand-ins, sandbox providers unless a provider's credentials are set. Settings come from
the environment or .env (every one is listed in .env.example), among them:
  PORT (3000), HOST (127.0.0.1), PUBLIC_BASE_URL, LEADLINE_DATA_DIR (.data),
  LOCAL_VISIBILITY_TIMEOUT_SECONDS (retry failed records sooner), LOG_LEVEL (WARN),
  LOCAL_DYNAMODB_PORT, LOCAL_S3_PORT, LOCAL_EVENTBRIDGE_PORT (fixed ports for the AWS stand-ins).
Stops on Ctrl-C or any termination signal; queued and in-flight messages stay in the data folder.`,
  options: { help: { type: 'boolean', short: 'h' } },
});

const port = z.coerce.number().int().min(0).max(65_535);
const settings = z
  .object({
    PORT: port.default(3000),
    HOST: z.string().default('127.0.0.1'),
    PUBLIC_BASE_URL: z.url().optional(),
    LEADLINE_DATA_DIR: z.string().default('.data'),
    LOCAL_VISIBILITY_TIMEOUT_SECONDS: z.coerce.number().int().min(1).optional(),
    LOCAL_DYNAMODB_PORT: port.optional(),
    LOCAL_S3_PORT: port.optional(),
    LOCAL_EVENTBRIDGE_PORT: port.optional(),
  })
  .safeParse(Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== '')));
if (!settings.success) {
  for (const issue of settings.error.issues)
    console.error(`Invalid ${issue.path.join('.')}: ${issue.message}`);
  process.exit(1);
}
const { PORT, HOST, PUBLIC_BASE_URL, LEADLINE_DATA_DIR, LOCAL_VISIBILITY_TIMEOUT_SECONDS } = settings.data;

// Which adapter serves each port, each with every setting it needs: checked before anything
// starts, so a half-configured provider stops here instead of failing every message.
let check: ReturnType<typeof checkProviders>;
let openAi: ReturnType<typeof readOpenAiSettings>;
let drafting: ReturnType<typeof readReplyDraftingSettings>;
try {
  check = checkProviders(process.env, readPlaceholders());
  openAi = readOpenAiSettings(process.env);
  drafting = readReplyDraftingSettings(process.env);
  readBookingPageSecrets(process.env);
} catch (error) {
  if (!(error instanceof ConfigurationError)) throw error;
  console.error(error.message);
  process.exit(1);
}
if (check.problems.length > 0) {
  console.error(
    [
      'Leadline cannot start: a provider is not fully configured.',
      ...describeProviderProblems(check.problems),
      'Set what is missing in .env or the environment (.env.example describes each setting), or use',
      `the sandbox for that port (${check.problems.map((p) => `${p.port}=sandbox`).join(', ')}).`,
    ].join('\n'),
  );
  process.exit(1);
}
const { providers } = check;
const providerLine = [
  `SMS ${providers.SMS_PROVIDER}`,
  `email ${providers.EMAIL_PROVIDER}`,
  `CRM ${providers.CRM_PROVIDER}`,
  `calendar ${providers.CALENDAR_PROVIDER}`,
  `chat ${providers.CHAT_PROVIDER}`,
  `qualification ${openAi.OPENAI_API_KEY ? `OpenAI ${openAi.OPENAI_MODEL} + rules fallback` : 'rules'}`,
  `replies ${openAi.OPENAI_API_KEY && drafting.OPENAI_DRAFT_REPLIES ? 'drafted by OpenAI, checked, template fallback' : 'templates'}`,
].join(' · ');

let runtime: LocalRuntime | undefined;
let stopping = false;
/** Stops everything (server, pollers, schedules, stand-ins) and releases the data folder, then exits. */
const stop = async (why: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${why}: stopping; queued and in-flight messages stay on disk for the next start.`);
  await runtime?.close();
  process.exit(0);
};
// Any way a person or a supervisor stops `npm start` stops all of it.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
// npm forwards a signal only to the shell it started us under, which dies without passing it on:
// a new parent means whoever started us is gone, so stop rather than run on as an orphan.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void stop(`the process that started Leadline (pid ${parent}) exited`);
}, 500).unref();

runtime = await startLocalRuntime({
  port: PORT,
  host: HOST,
  dataDir: LEADLINE_DATA_DIR,
  ...(PUBLIC_BASE_URL && { publicBaseUrl: PUBLIC_BASE_URL }),
  ...(LOCAL_VISIBILITY_TIMEOUT_SECONDS && { visibilityTimeoutSeconds: LOCAL_VISIBILITY_TIMEOUT_SECONDS }),
  standInPorts: {
    dynamodb: settings.data.LOCAL_DYNAMODB_PORT,
    s3: settings.data.LOCAL_S3_PORT,
    eventbridge: settings.data.LOCAL_EVENTBRIDGE_PORT,
  },
  env: process.env,
  trace: (line) => console.log(`${new Date().toISOString().slice(11, 23)} ${line}`),
}).catch((error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') {
    const taken = (error as { port?: number }).port ?? PORT;
    console.error(
      `Port ${taken} is already in use. Stop what runs there, or choose another port (PORT=3001 npm start; LOCAL_*_PORT for the AWS stand-ins).`,
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
const { standIns } = runtime;
const { inProgress, acceptClaims, sendClaims } = runtime.releasedClaims;
const recovered =
  runtime.releasedInFlight + inProgress + acceptClaims + sendClaims > 0
    ? `\nRecovered: ${runtime.releasedInFlight} message(s) in flight when Leadline last stopped are queued again, with their receive count;
           ${inProgress} step(s), ${acceptClaims} webhook(s) and ${sendClaims} send(s) it left claimed are released (a send is first looked up at the provider).\n`
    : '';

console.log(`
Leadline is running locally on ${runtime.url} (data in ${resolve(LEADLINE_DATA_DIR)})
Console:   ${runtime.url}/   (leads, conversations, pipeline health; try it with the simulated phone)
Providers: ${providerLine}
           (sandbox ones record to ${runtime.url}/local/outbox; set a provider's credentials to use it, see .env.example)
${recovered}
Send webhooks to:
${webhookBannerLines({ publicUrl, inboundEmailUrl: emailUrl.href, env: process.env, devTwilioToken: DEV_DEFAULTS.TWILIO_AUTH_TOKEN }).join('\n')}

Try it:   npm run sms -- --from +15125550123 --body "Hi, my kitchen drain is clogged, can someone come today?"
          npm run email -- --from jane@example.com --subject "Water heater" --body "Can I get a quote?"
Look:     ${runtime.url}/local/leads   ${runtime.url}/local/outbox   ${runtime.url}/local/queues
Clock:    ${runtime.url}/local/clock   (GET: the time and pending timers; POST {"advance":"1h"} plays out follow-ups and reminders)
Health:   ${runtime.url}/health

AWS stand-ins, for the AWS CLI, NoSQL Workbench and the like (region ${standIns.region}, access key
and secret S3RVER / S3RVER; fixed ports with LOCAL_DYNAMODB_PORT, LOCAL_S3_PORT, LOCAL_EVENTBRIDGE_PORT):
  DynamoDB     ${standIns.dynamodb.padEnd(24)} tables ${standIns.tables.leads}, ${standIns.tables.idempotency}
  S3           ${standIns.s3.padEnd(24)} bucket ${standIns.bucket}
  EventBridge  ${standIns.eventbridge.padEnd(24)} bus ${standIns.eventBusName} (PutEvents)
  e.g. AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER aws dynamodb scan --region ${standIns.region} \\
         --endpoint-url ${standIns.dynamodb} --table-name ${standIns.tables.leads}
`);
