/**
 * Sends a correctly signed Twilio incoming-SMS webhook, so a person can try the pipeline
 * without a phone: `npm run sms -- --from +15125550123 --body "My drain is clogged"`.
 */
import { parseArgs } from 'node:util';
import { loadDotEnv } from './lib/load-dotenv.ts';
import { signedSmsRequest } from './lib/webhook-requests.ts';
import { DEV_DEFAULTS } from './local/runtime.ts';

loadDotEnv();

const { values } = parseArgs({
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
});

if (values.help || !values.body) {
  console.log(`Usage: npm run sms -- --body "text" [--from +15125550123] [--to +15125550100]
       [--url http://localhost:3000/webhooks/twilio/sms] [--public-url <URL Twilio was given>]
       [--token <TWILIO_AUTH_TOKEN>] [--sid SM...]
Signs with --token, else TWILIO_AUTH_TOKEN, else the local development default.`);
  process.exit(values.help ? 0 : 2);
}

const base = process.env.PUBLIC_BASE_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
const url = values.url ?? `${base.replace(/\/$/, '')}/webhooks/twilio/sms`;
const request = signedSmsRequest({
  publicUrl: values['public-url'] ?? url,
  targetUrl: url,
  authToken: values.token ?? process.env.TWILIO_AUTH_TOKEN ?? DEV_DEFAULTS.TWILIO_AUTH_TOKEN,
  from: values.from,
  to: values.to,
  body: values.body,
  ...(values.sid && { messageSid: values.sid }),
});
const response = await fetch(request.url, request.init);
console.log(`${response.status} ${response.statusText}: ${(await response.text()).trim()}`);
process.exit(response.ok ? 0 : 1);
