import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SendGridEmailSender } from '#shared/adapters/sendgrid/sendgrid-email-sender.ts';
import { PermanentError, TransientError } from '#shared/ports/errors.ts';
import { MAIL_SEND_PATH, mailAccepted, mailError, startSendGridFake } from '../fakes/sendgrid-fake.ts';

const API_KEY = 'SG.test-key.abcdef';
const QUICK_RETRIES = { retries: 2, minDelayMs: 10, maxDelayMs: 2_000 };

const reply = {
  to: 'tom.baker@example.com',
  from: { email: 'hello@leadline.example', name: 'Brightside Plumbing' },
  subject: 'Re: Water heater leaking',
  text: 'Thanks Tom, we can come today.',
  html: '<p>Thanks Tom, we can come today.</p>',
  inReplyTo: '<second@mail.example.com>',
  references: ['<first@mail.example.com>', '<second@mail.example.com>'],
  tracking: { leadId: 'ld_0123456789abcdef0123', messageId: 'out-first-reply-email-abc123' },
};

describe('SendGridEmailSender against a SendGrid fake, with the real @sendgrid/mail', () => {
  let sendgrid: Awaited<ReturnType<typeof startSendGridFake>>;
  let sender: SendGridEmailSender;

  beforeAll(async () => {
    sendgrid = await startSendGridFake();
    sender = new SendGridEmailSender({ apiKey: API_KEY, baseUrl: sendgrid.url, retryBudget: QUICK_RETRIES });
  });
  afterEach(() => sendgrid.fake.reset());
  afterAll(async () => {
    await sendgrid.close();
  });

  it('posts the reply to /v3/mail/send with the API key as a bearer token', async () => {
    await sender.send(reply);

    const [request] = sendgrid.fake.requestsTo('POST', MAIL_SEND_PATH);
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers['content-type']).toContain('application/json');
    expect(sendgrid.fake.requests).toHaveLength(1);
  });

  it('sends as the business, to the lead, in plain text then HTML', async () => {
    await sender.send(reply);

    const [body] = sendgrid.sent();
    expect(body?.from).toEqual({ email: 'hello@leadline.example', name: 'Brightside Plumbing' });
    expect(body?.personalizations).toEqual([{ to: [{ email: 'tom.baker@example.com' }] }]);
    expect(body?.subject).toBe('Re: Water heater leaking');
    expect(body?.content).toEqual([
      { type: 'text/plain', value: 'Thanks Tom, we can come today.' },
      { type: 'text/html', value: '<p>Thanks Tom, we can come today.</p>' },
    ]);
  });

  it("threads the reply under the lead's messages and returns the Message-ID it set", async () => {
    const { providerMessageId } = await sender.send(reply);

    const [body] = sendgrid.sent();
    expect(body?.headers?.['In-Reply-To']).toBe('<second@mail.example.com>');
    expect(body?.headers?.References).toBe('<first@mail.example.com> <second@mail.example.com>');
    expect(body?.headers?.['Message-ID']).toBe(
      '<out-first-reply-email-abc123.ld_0123456789abcdef0123@leadline.example>',
    );
    expect(providerMessageId).toBe(body?.headers?.['Message-ID']);
  });

  it('carries our lead and message ids as custom args for the Event Webhook', async () => {
    await sender.send(reply);

    expect(sendgrid.sent()[0]?.custom_args).toEqual({
      leadline_lead_id: 'ld_0123456789abcdef0123',
      leadline_message_id: 'out-first-reply-email-abc123',
    });
  });

  it('gives a resent message the same Message-ID, and an untracked one a fresh Message-ID', async () => {
    const first = await sender.send(reply);
    const again = await sender.send(reply);
    const { tracking: _tracking, ...untracked } = reply;
    const other = await sender.send(untracked);
    const another = await sender.send(untracked);

    expect(again.providerMessageId).toBe(first.providerMessageId);
    expect(other.providerMessageId).toMatch(/^<[0-9a-f-]{36}@leadline\.example>$/);
    expect(another.providerMessageId).not.toBe(other.providerMessageId);
    expect(sendgrid.sent()[2]?.custom_args).toBeUndefined();
  });

  it('sends a first email without threading headers and plain text alone', async () => {
    await sender.send({ to: reply.to, from: reply.from, subject: 'Hello', text: 'Hi there' });

    const [body] = sendgrid.sent();
    expect(Object.keys(body?.headers ?? {})).toEqual(['Message-ID']);
    expect(body?.content).toEqual([{ type: 'text/plain', value: 'Hi there' }]);
  });

  it('leaves out Message-IDs that are not <left@right>, so no header can be injected', async () => {
    await sender.send({
      ...reply,
      inReplyTo: '<evil@x>\r\nBcc: someone@example.com',
      references: ['not-a-message-id', '<ok@mail.example.com>', '<two words@x>'],
    });

    const headers = sendgrid.sent()[0]?.headers;
    expect(headers?.['In-Reply-To']).toBeUndefined();
    expect(headers?.References).toBe('<ok@mail.example.com>');
  });

  it.each([
    [400, 'The from address does not match a verified Sender Identity.', 'from'],
    [401, 'The provided authorization grant is invalid, expired, or revoked', null],
    [403, 'access forbidden', null],
    [413, 'The JSON payload you have included in your request is too large.', null],
  ])('fails for good on a %i, with SendGrid’s reason, without retrying', async (status, message, field) => {
    sendgrid.fake.enqueue('POST', MAIL_SEND_PATH, mailError(status, [{ message, field }]));

    const error = await sender.send(reply).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toBe(`SendGrid ${status}: ${field ? `${field}: ` : ''}${message}`);
    expect(sendgrid.fake.requests).toHaveLength(1);
  });

  it('waits out a 429 with a short Retry-After and sends once SendGrid accepts', async () => {
    sendgrid.fake.enqueue(
      'POST',
      MAIL_SEND_PATH,
      mailError(429, [{ message: 'too many requests' }], { 'retry-after': '1' }),
      mailAccepted(),
    );

    const started = Date.now();
    const sent = await sender.send(reply);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(sent.providerMessageId).toContain('@leadline.example>');
    expect(sendgrid.fake.requests).toHaveLength(2);
  });

  it('hands a 429 with a long Retry-After back to the queue as transient, with the wait', async () => {
    sendgrid.fake.enqueue(
      'POST',
      MAIL_SEND_PATH,
      mailError(429, [{ message: 'too many requests' }], { 'retry-after': '60' }),
    );

    const error = await sender.send(reply).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).retryAfterMs).toBe(60_000);
    expect(sendgrid.fake.requests).toHaveLength(1);
  });

  it('reads the wait from X-RateLimit-Reset when a 429 has no Retry-After', async () => {
    const reset = Math.floor(Date.now() / 1000) + 120;
    sendgrid.fake.enqueue(
      'POST',
      MAIL_SEND_PATH,
      mailError(429, [{ message: 'too many requests' }], {
        'x-ratelimit-limit': '600',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(reset),
      }),
    );

    const error = await sender.send(reply).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).retryAfterMs).toBeGreaterThan(115_000);
    expect((error as TransientError).retryAfterMs).toBeLessThanOrEqual(121_000);
  });

  it('retries a 5xx and succeeds when SendGrid recovers', async () => {
    sendgrid.fake.enqueue(
      'POST',
      MAIL_SEND_PATH,
      { status: 503, body: 'upstream unavailable' },
      mailAccepted(),
    );

    await sender.send(reply);
    expect(sendgrid.fake.requests).toHaveLength(2);
  });

  it('throws a transient error when 5xx answers outlast the retry budget', async () => {
    const failing = mailError(500, [{ message: 'internal error' }]);
    sendgrid.fake.enqueue('POST', MAIL_SEND_PATH, failing, failing, failing);

    const error = await sender.send(reply).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toBe('SendGrid 500: internal error');
    expect(sendgrid.fake.requests).toHaveLength(3);
  });

  it('treats an unreachable SendGrid as transient', async () => {
    const closed = await startSendGridFake();
    const url = closed.url;
    await closed.close();
    const offline = new SendGridEmailSender({
      apiKey: API_KEY,
      baseUrl: url,
      retryBudget: { retries: 0, minDelayMs: 10, maxDelayMs: 10 },
    });

    await expect(offline.send(reply)).rejects.toBeInstanceOf(TransientError);
  });
});
