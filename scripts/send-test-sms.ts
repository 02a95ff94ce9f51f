/**
 * Sends a correctly signed Twilio incoming-SMS webhook, so a person can try the pipeline
 * without a phone: `npm run sms -- --from +15125550123 --body "My drain is clogged"`.
 */
import { webhookPath } from '#shared/pipeline.ts';
import { call, localRuntimeUrl, parseCli } from './lib/cli.ts';
import { loadDotEnv } from './lib/load-dotenv.ts';
import { signedSmsRequest } from './lib/webhook-requests.ts';
import { DEV_DEFAULTS } from './local/runtime.ts';

// PORT, PUBLIC_BASE_URL, the business's number and the credentials, as `npm start` reads them.
loadDotEnv();
const path = webhookPath('inbound-sms');
const { values } = parseCli({
  command: 'npm run sms --',
  usage: `--body "text" [--from +15125550123] [--to +15125550100] [--url <webhook URL>]
       [--public-url <URL Twilio was given>] [--token <TWILIO_AUTH_TOKEN>] [--sid SM...]
Sends a signed Twilio "A message comes in" webhook to the running npm start (found through
LEADLINE_DATA_DIR, else http://localhost:$PORT), or to --url (e.g. the InboundSmsWebhookUrl output).
Signs with --token, else TWILIO_AUTH_TOKEN, else the local development default, over --public-url,
else --url, else PUBLIC_BASE_URL + ${path}.`,
  options: {
    from: { type: 'string', default: '+15125550123' },
    to: { type: 'string', default: process.env.BUSINESS_SMS_NUMBER ?? '+15125550100' },
    body: { type: 'string' },
    url: { type: 'string' },
    'public-url': { type: 'string' },
    token: { type: 'string' },
    sid: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  required: ['body'],
});

const url = values.url ?? `${await localRuntimeUrl()}${path}`;
const signedUrl =
  values['public-url'] ??
  values.url ??
  (process.env.PUBLIC_BASE_URL ? `${process.env.PUBLIC_BASE_URL.replace(/\/$/, '')}${path}` : url);
const request = signedSmsRequest({
  publicUrl: signedUrl,
  targetUrl: url,
  authToken: values.token ?? process.env.TWILIO_AUTH_TOKEN ?? DEV_DEFAULTS.TWILIO_AUTH_TOKEN,
  from: values.from,
  to: values.to,
  body: values.body!,
  ...(values.sid && { messageSid: values.sid }),
});
const response = await call(request.url, request.init);
console.log(`${response.status} ${response.statusText}: ${(await response.text()).trim()}`);
process.exit(response.ok ? 0 : 1);
