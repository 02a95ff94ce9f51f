import { randomUUID } from 'node:crypto';
import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import * as z from 'zod';
import {
  callProvider,
  defaultRetryBudget,
  providerError,
  type RetryBudget,
} from '#shared/adapters/provider-call.ts';
import { readEnv } from '#shared/config/env.ts';
import { PermanentError } from '#shared/ports/errors.ts';
import type { EmailSender, SentLookup, SentLookupResult, SentMessage } from '#shared/ports/outbound.ts';
import { CUSTOM_ARG_LEAD_ID, CUSTOM_ARG_MESSAGE_ID } from './custom-args.ts';

export interface SendGridEmailSenderConfig {
  apiKey: string;
  /** For a loopback fake; SendGrid's own API when absent. */
  baseUrl?: string | undefined;
  /** Per attempt; SendGrid answers a send in well under a second. */
  timeoutMs?: number;
  retryBudget?: RetryBudget;
}

const SendGridErrorBody = z.object({
  errors: z.array(z.object({ message: z.string().nullish(), field: z.string().nullish() })).min(1),
});

/** An RFC 5322 msg-id as the inbound parser hands it over: `<left@right>`, printable ASCII, no spaces. */
const MSG_ID = /^<[\x21-\x3b\x3d\x3f-\x7e]+@[\x21-\x3b\x3d\x3f-\x7e]+>$/;

/** Characters of an RFC 5322 dot-atom, for the left side of the Message-ID we make. */
const atom = (value: string) => value.replace(/[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]/g, '_');

/**
 * Sends email through SendGrid's v3 Mail Send API (`@sendgrid/mail`), as the business, threaded
 * into the lead's conversation: `In-Reply-To` and `References` name the lead's messages, and a
 * Message-ID of our own lets the lead's answer thread back. The Message-ID is made from our
 * message id, so a retried send carries the same one (a receiver that dedupes on Message-ID
 * shows the copy once); it is what `providerMessageId` returns (SendGrid's `X-Message-Id` only
 * names the API request, and every Event Webhook event names our message through the custom args).
 *
 * `@sendgrid/mail` also sends the email's headers as HTTP headers of the API request, so only
 * well-formed Message-IDs are passed on: anything else would fail the request or inject a header.
 */
export class SendGridEmailSender implements EmailSender {
  private readonly mail: MailService;
  private readonly retryBudget: RetryBudget;

  constructor(config: SendGridEmailSenderConfig) {
    // An instance of our own, not the package's singleton, so nothing else shares its settings.
    const client = new Client();
    client.setApiKey(config.apiKey);
    // After the key: `setApiKey` resets the base URL to the region's host.
    if (config.baseUrl) client.setDefaultRequest('baseUrl', config.baseUrl);
    this.mail = new MailService();
    this.mail.setClient(client);
    this.mail.setTimeout(config.timeoutMs ?? 5_000);
    this.retryBudget = config.retryBudget ?? defaultRetryBudget;
  }

  /**
   * SendGrid cannot say whether a given mail was accepted: its Email Activity API is a paid
   * add-on and lags by minutes. An interrupted send is therefore never repeated (at most once).
   * https://www.twilio.com/docs/sendgrid/api-reference/e-mail-activity
   */
  async findSent(_lookup: SentLookup): Promise<SentLookupResult> {
    return 'unknown';
  }

  async send(email: Parameters<EmailSender['send']>[0]): Promise<SentMessage> {
    const domain = email.from.email.split('@')[1] ?? 'leadline.invalid';
    const local = email.tracking
      ? atom(`${email.tracking.messageId}.${email.tracking.leadId}`)
      : randomUUID();
    const messageId = `<${local}@${domain}>`;
    const inReplyTo = email.inReplyTo && MSG_ID.test(email.inReplyTo) ? email.inReplyTo : undefined;
    const references = (email.references ?? []).filter((id) => MSG_ID.test(id));

    await callProvider(async () => {
      try {
        await this.mail.send({
          to: email.to,
          from: { email: email.from.email, name: email.from.name },
          subject: email.subject,
          text: email.text,
          ...(email.html && { html: email.html }),
          headers: {
            'Message-ID': messageId,
            ...(inReplyTo && { 'In-Reply-To': inReplyTo }),
            ...(references.length > 0 && { References: references.join(' ') }),
          },
          ...(email.tracking && {
            customArgs: {
              [CUSTOM_ARG_LEAD_ID]: email.tracking.leadId,
              [CUSTOM_ARG_MESSAGE_ID]: email.tracking.messageId,
            },
          }),
        });
      } catch (error) {
        throw toProviderError(error);
      }
    }, this.retryBudget);
    return { providerMessageId: messageId };
  }
}

const ResponseErrorShape = z.object({
  code: z.number().int(),
  response: z.object({ headers: z.unknown(), body: z.unknown() }),
});

/** A response header from the SDK's error (axios headers: an object with lower-cased names). */
const headerValue = (headers: unknown, name: string): string | undefined => {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  const value: unknown = entry?.[1];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
};

/**
 * When to retry a 429: `Retry-After` if SendGrid sent one, else the seconds until
 * `X-RateLimit-Reset` (a Unix time). (twilio.com/docs/sendgrid/api-reference/how-to-use-the-sendgrid-v3-api/rate-limits)
 */
const retryAfter = (headers: unknown, now = Date.now()): string | undefined => {
  const header = headerValue(headers, 'retry-after');
  if (header) return header;
  const reset = Number(headerValue(headers, 'x-ratelimit-reset'));
  return Number.isFinite(reset) && reset > 0 ? String(Math.max(0, Math.ceil(reset - now / 1000))) : undefined;
};

/**
 * SendGrid's answer as our error kinds: 400/401/403/413 are permanent, 429 and 5xx transient
 * (`providerError`); no answer at all (timeout, connection refused) is transient; an email the SDK
 * refuses to build is permanent.
 */
const toProviderError = (error: unknown) => {
  const answered = ResponseErrorShape.safeParse(error);
  if (answered.success) {
    const { code, response } = answered.data;
    const body = SendGridErrorBody.safeParse(response.body);
    const message = body.success
      ? body.data.errors.map((e) => [e.field, e.message].filter(Boolean).join(': ') || 'error').join('; ')
      : error instanceof Error && error.message
        ? error.message
        : 'request failed';
    return providerError({
      provider: 'SendGrid',
      status: code,
      retryAfter: retryAfter(response.headers),
      message,
      cause: error,
    });
  }
  if (z.object({ isAxiosError: z.literal(true) }).safeParse(error).success) {
    const message = error instanceof Error ? error.message : 'no answer';
    return providerError({ provider: 'SendGrid', message, cause: error });
  }
  return new PermanentError(
    `SendGrid: the email could not be built: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error },
  );
};

/** SendGrid's settings; the key arrives with the `sendgrid` secret. Throws `ConfigurationError`. */
export const readSendGridSettings = (env: NodeJS.ProcessEnv = process.env) =>
  readEnv(
    {
      SENDGRID_API_KEY: z.string().min(1),
      SENDGRID_API_BASE_URL: z.url().optional(),
    },
    env,
  );

/** Built from the settings when `EMAIL_PROVIDER` is `sendgrid`. */
export const sendGridEmailSenderFromEnv = (env: NodeJS.ProcessEnv = process.env) => {
  const settings = readSendGridSettings(env);
  return new SendGridEmailSender({
    apiKey: settings.SENDGRID_API_KEY,
    baseUrl: settings.SENDGRID_API_BASE_URL,
  });
};
