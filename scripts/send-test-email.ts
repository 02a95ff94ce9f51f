/**
 * Sends a SendGrid Inbound Parse webhook (multipart, basic auth) to a local or deployed endpoint:
 * `npm run email -- --from "Jane <jane@example.com>" --subject "Quote" --body "Can I get a quote?"`.
 */
import { webhookPath } from '#shared/pipeline.ts';
import { call, localRuntimeUrl, parseCli } from './lib/cli.ts';
import { loadDotEnv } from './lib/load-dotenv.ts';
import { inboundEmailRequest } from './lib/webhook-requests.ts';
import { DEV_DEFAULTS } from './local/runtime.ts';

// PORT, PUBLIC_BASE_URL, the business's number and the credentials, as `npm start` reads them.
loadDotEnv();
const path = webhookPath('inbound-email');
const { values } = parseCli({
  command: 'npm run email --',
  usage: `--body "text" [--from "Jane <jane@example.com>"] [--subject "..."] [--html "<p>...</p>"]
       [--url <webhook URL>] [--auth user:password] [--message-id "<id@host>"]
Sends a SendGrid Inbound Parse post to the running npm start (found through LEADLINE_DATA_DIR,
else http://localhost:$PORT), or to --url (e.g. the InboundEmailWebhookUrl output).
Authenticates with --auth, else INBOUND_EMAIL_BASIC_AUTH, else the local development default.`,
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
  required: ['body'],
});

const request = inboundEmailRequest({
  url: values.url ?? `${await localRuntimeUrl()}${path}`,
  basicAuth: values.auth ?? process.env.INBOUND_EMAIL_BASIC_AUTH ?? DEV_DEFAULTS.INBOUND_EMAIL_BASIC_AUTH,
  from: values.from,
  to: values.to,
  subject: values.subject,
  text: values.body!,
  ...(values.html && { html: values.html }),
  ...(values['message-id'] && { messageId: values['message-id'] }),
});
const response = await call(request.url, request.init);
console.log(`${response.status} ${response.statusText}: ${(await response.text()).trim()}`);
process.exit(response.ok ? 0 : 1);
