import { generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import * as z from 'zod';
import { type FakeResponse, HttpFake } from './http-fake.ts';

export const MAIL_SEND_PATH = '/v3/mail/send';

/** SendGrid's success: 202, an empty body, and the request's id in `X-Message-Id`. */
export const mailAccepted = (
  xMessageId = randomBytes(16).toString('base64url').slice(0, 22),
): FakeResponse => ({
  status: 202,
  headers: { 'x-message-id': xMessageId },
});

/** SendGrid's documented error body: `{ errors: [{ message, field, help }] }`. */
export const mailError = (
  status: number,
  errors: Array<{ message: string; field?: string | null }>,
  headers: Record<string, string> = {},
): FakeResponse => ({
  status,
  headers,
  body: { errors: errors.map((e) => ({ message: e.message, field: e.field ?? null, help: null })) },
});

/** The v3 Mail Send body, as far as the tests read it. */
export const MailSendBody = z.object({
  personalizations: z.array(
    z.object({ to: z.array(z.object({ email: z.string(), name: z.string().optional() })) }),
  ),
  from: z.object({ email: z.string(), name: z.string().optional() }),
  subject: z.string(),
  content: z.array(z.object({ type: z.string(), value: z.string() })),
  headers: z.record(z.string(), z.string()).optional(),
  custom_args: z.record(z.string(), z.string()).optional(),
});

/** A loopback SendGrid API: `POST /v3/mail/send` accepts every email unless a test queues errors. */
export const startSendGridFake = async () => {
  const fake = await HttpFake.start();
  fake.route('POST', MAIL_SEND_PATH, () => mailAccepted());
  return {
    fake,
    url: fake.url,
    /** The emails sent so far, parsed. */
    sent: () => fake.requestsTo('POST', MAIL_SEND_PATH).map((r) => MailSendBody.parse(r.body)),
    close: () => fake.close(),
  };
};

/**
 * The signing half of a signed Event Webhook: a P-256 key pair, the public key as SendGrid shows it
 * (base64 DER), and a signer making the headers SendGrid sends, over timestamp + raw body.
 */
export const eventWebhookSigner = () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const publicKeyBase64 = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  const signWith = (key: KeyObject, body: string, timestamp: string) =>
    sign('sha256', Buffer.from(timestamp + body, 'utf8'), { key, dsaEncoding: 'der' }).toString('base64');
  return {
    publicKeyBase64,
    /** Headers for `body`, signed now (or at `at`). */
    headers: (body: string, at: Date = new Date()): Record<string, string> => {
      const timestamp = String(Math.floor(at.getTime() / 1000));
      return {
        'content-type': 'application/json',
        'x-twilio-email-event-webhook-signature': signWith(privateKey, body, timestamp),
        'x-twilio-email-event-webhook-timestamp': timestamp,
      };
    },
  };
};

/** One Event Webhook event as SendGrid posts it, with our custom args as top-level fields. */
export const sendGridEvent = (
  event: string,
  fields: {
    email: string;
    leadId?: string;
    messageId?: string;
    sgEventId?: string;
    timestamp?: number;
    [extra: string]: unknown;
  },
) => {
  const { email, leadId, messageId, sgEventId, timestamp, ...extra } = fields;
  return {
    email,
    timestamp: timestamp ?? Math.floor(Date.now() / 1000),
    'smtp-id': '<14c5d75ce93.dfd.64b469@ismtpd-555>',
    event,
    category: [],
    sg_event_id: sgEventId ?? randomBytes(16).toString('base64url'),
    sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0',
    ...(leadId && { leadline_lead_id: leadId }),
    ...(messageId && { leadline_message_id: messageId }),
    ...extra,
  };
};
