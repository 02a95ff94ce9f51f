import { randomBytes } from 'node:crypto';
import { twilioSignature } from '#functions/inbound-sms/parse-twilio-sms.ts';
import { buildMultipart } from '../../test/support/multipart.ts';

export interface PreparedRequest {
  url: string;
  init: RequestInit & { headers: Record<string, string>; body: string | Buffer };
}

export const newMessageSid = () => `SM${randomBytes(16).toString('hex')}`;

/**
 * A Twilio incoming-message webhook as Twilio sends it: form-encoded, signed over the public
 * URL it was configured with. `targetUrl` is where it is actually sent (they differ behind a tunnel).
 */
export const signedSmsRequest = (options: {
  publicUrl: string;
  targetUrl?: string;
  authToken: string;
  from: string;
  to: string;
  body: string;
  messageSid?: string;
  extra?: Record<string, string>;
}): PreparedRequest => {
  const messageSid = options.messageSid ?? newMessageSid();
  const params: Record<string, string> = {
    ToCountry: 'US',
    SmsMessageSid: messageSid,
    NumMedia: '0',
    SmsSid: messageSid,
    SmsStatus: 'received',
    Body: options.body,
    To: options.to,
    NumSegments: '1',
    MessageSid: messageSid,
    AccountSid: `AC${'0'.repeat(32)}`,
    From: options.from,
    ApiVersion: '2010-04-01',
    ...options.extra,
  };
  return {
    url: options.targetUrl ?? options.publicUrl,
    init: {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        'x-twilio-signature': twilioSignature({
          authToken: options.authToken,
          url: options.publicUrl,
          params,
        }),
        'user-agent': 'TwilioProxy/1.1',
      },
      body: new URLSearchParams(params).toString(),
    },
  };
};

/** A SendGrid Inbound Parse post (multipart/form-data), with basic auth as SendGrid sends it. */
export const inboundEmailRequest = (options: {
  url: string;
  basicAuth: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  messageId?: string;
  inReplyTo?: string;
}): PreparedRequest => {
  const messageId = options.messageId ?? `<${randomBytes(12).toString('hex')}@mail.example.com>`;
  const headers = [
    `Message-ID: ${messageId}`,
    `From: ${options.from}`,
    `To: ${options.to}`,
    `Subject: ${options.subject}`,
    `Date: ${new Date().toUTCString()}`,
    ...(options.inReplyTo ? [`In-Reply-To: ${options.inReplyTo}`, `References: ${options.inReplyTo}`] : []),
    'MIME-Version: 1.0',
  ].join('\n');
  const fromAddress = /<([^>]+)>/.exec(options.from)?.[1] ?? options.from;
  const { body, contentType } = buildMultipart({
    headers,
    dkim: '{@example.com : pass}',
    to: options.to,
    from: options.from,
    subject: options.subject,
    text: options.text,
    ...(options.html && { html: options.html }),
    sender_ip: '203.0.113.7',
    envelope: JSON.stringify({ to: [options.to], from: fromAddress }),
    attachments: '0',
    charsets: JSON.stringify({ to: 'UTF-8', from: 'UTF-8', subject: 'UTF-8', text: 'UTF-8', html: 'UTF-8' }),
    SPF: 'pass',
  });
  return {
    url: options.url,
    init: {
      method: 'POST',
      headers: {
        'content-type': contentType,
        authorization: `Basic ${Buffer.from(options.basicAuth).toString('base64')}`,
        'user-agent': 'Sendlib/1.0',
      },
      body,
    },
  };
};
