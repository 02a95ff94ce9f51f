/**
 * Sends a SendGrid Inbound Parse webhook (multipart, basic auth) to a local or deployed endpoint:
 * `npm run email -- --from "Jane <jane@example.com>" --subject "Quote" --body "Can I get a quote?"`.
 */
import { parseArgs } from 'node:util';
import { loadDotEnv } from './lib/load-dotenv.ts';
import { inboundEmailRequest } from './lib/webhook-requests.ts';
import { DEV_DEFAULTS } from './local/runtime.ts';

loadDotEnv();

const { values } = parseArgs({
  options: {
    from: { type: 'string', default: 'Jane Doe <jane@example.com>' },
    to: { type: 'string', default: process.env.BUSINESS_EMAIL_FROM ?? 'hello@leadline.example' },
    subject: { type: 'string', default: 'Question' },
    body: { type: 'string' },
    html: { type: 'string' },
    url: { type: 'string' },
    auth: { type: 'string' },
    'message-id': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help || !values.body) {
  console.log(`Usage: npm run email -- --body "text" [--from "Jane <jane@example.com>"] [--subject "..."]
       [--html "<p>...</p>"] [--url http://localhost:3000/webhooks/sendgrid/inbound]
       [--auth user:password] [--message-id "<id@host>"]
Authenticates with --auth, else INBOUND_EMAIL_BASIC_AUTH, else the local development default.`);
  process.exit(values.help ? 0 : 2);
}

const base = process.env.PUBLIC_BASE_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
const request = inboundEmailRequest({
  url: values.url ?? `${base.replace(/\/$/, '')}/webhooks/sendgrid/inbound`,
  basicAuth: values.auth ?? process.env.INBOUND_EMAIL_BASIC_AUTH ?? DEV_DEFAULTS.INBOUND_EMAIL_BASIC_AUTH,
  from: values.from,
  to: values.to,
  subject: values.subject,
  text: values.body,
  ...(values.html && { html: values.html }),
  ...(values['message-id'] && { messageId: values['message-id'] }),
});
const response = await fetch(request.url, request.init);
console.log(`${response.status} ${response.statusText}: ${(await response.text()).trim()}`);
process.exit(response.ok ? 0 : 1);
