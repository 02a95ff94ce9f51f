import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TwilioSmsSender, type TwilioSmsSenderOptions } from '#shared/adapters/twilio/twilio-sms-sender.ts';
import { PermanentError, RecipientOptedOutError, TransientError } from '#shared/ports/errors.ts';
import {
  messagesPath,
  startTwilioFake,
  TEST_ACCOUNT_SID,
  TEST_AUTH_TOKEN,
  twilioError,
} from '../fakes/twilio-fake.ts';

const LEAD = '+15125550123';
const BUSINESS = '+15125550100';
const STATUS_CALLBACK = 'https://leads.example.com/webhooks/twilio/status';
const SERVICE_SID = `MG${'b2'.repeat(16)}`;

describe('TwilioSmsSender, the twilio SDK against a loopback Twilio', () => {
  let twilio: Awaited<ReturnType<typeof startTwilioFake>>;
  const path = messagesPath();

  const sender = (options: Partial<TwilioSmsSenderOptions> = {}) =>
    new TwilioSmsSender({
      accountSid: TEST_ACCOUNT_SID,
      authToken: TEST_AUTH_TOKEN,
      apiBaseUrl: twilio.url,
      statusCallbackUrl: STATUS_CALLBACK,
      retryBudget: { retries: 2, minDelayMs: 10, maxDelayMs: 2_000 },
      ...options,
    });
  const send = (options: Partial<TwilioSmsSenderOptions> = {}) =>
    sender(options).send({ to: LEAD, from: BUSINESS, body: 'Hi Maria, a plumber can come today at 2pm.' });
  const failure = async (options: Partial<TwilioSmsSenderOptions> = {}) => {
    const error = await send(options).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  };

  beforeAll(async () => {
    twilio = await startTwilioFake();
  });
  afterAll(async () => {
    await twilio.close();
  });
  beforeEach(() => {
    twilio.fake.reset();
    twilio.taken.length = 0;
  });

  it('posts the text to the Messages resource from the business number, with basic auth and a status callback', async () => {
    const sent = await send();

    const [request, ...others] = twilio.fake.requestsTo('POST', path);
    expect(others).toHaveLength(0);
    expect(sent.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${TEST_ACCOUNT_SID}:${TEST_AUTH_TOKEN}`).toString('base64')}`,
    );
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers['user-agent']).toMatch(/^twilio-node\//);
    expect(request?.body).toEqual({
      To: LEAD,
      From: BUSINESS,
      Body: 'Hi Maria, a plumber can come today at 2pm.',
      StatusCallback: STATUS_CALLBACK,
    });
  });

  it('sends through the Messaging Service instead of a From number when one is configured', async () => {
    await send({ messagingServiceSid: SERVICE_SID });

    const [request] = twilio.fake.requestsTo('POST', path);
    expect(request?.body).toEqual({
      To: LEAD,
      MessagingServiceSid: SERVICE_SID,
      Body: 'Hi Maria, a plumber can come today at 2pm.',
      StatusCallback: STATUS_CALLBACK,
    });
  });

  it.each([
    [400, 21211, "The 'To' number +15125550123 is not a valid phone number.", 'not a valid phone number'],
    [400, 21614, "'To' number +15125550123 is not a valid mobile number", 'not a mobile number'],
    [400, 21612, "The 'To' phone number: +15125550123, is not currently reachable", 'cannot be reached'],
    [400, 21408, 'Permission to send an SMS has not been enabled for the region', 'not permitted'],
    [401, 20003, 'Authenticate', 'check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN'],
  ])(
    'treats %i / error %i as permanent, sends once and never repeats the number in the error',
    async (status, code, message, says) => {
      twilio.fake.enqueue('POST', path, twilioError(status, code, message));

      const error = await failure();

      expect(error).toBeInstanceOf(PermanentError);
      expect(error).not.toBeInstanceOf(RecipientOptedOutError);
      expect(error.message).toContain(says);
      expect(error.message).toContain(String(code));
      expect(error.message).not.toContain('+1512');
      expect(twilio.fake.requestsTo('POST', path)).toHaveLength(1);
    },
  );

  it('reports an unsubscribed recipient (21610) as opted out', async () => {
    twilio.fake.enqueue('POST', path, twilioError(400, 21610, 'Attempt to send to unsubscribed recipient'));

    const error = await failure();

    expect(error).toBeInstanceOf(RecipientOptedOutError);
    expect(error).toBeInstanceOf(PermanentError);
    expect(twilio.fake.requestsTo('POST', path)).toHaveLength(1);
  });

  it('treats a 404 (a wrong account or resource) as permanent', async () => {
    twilio.fake.enqueue(
      'POST',
      path,
      twilioError(
        404,
        20404,
        'The requested resource /2010-04-01/Accounts/AC.../Messages.json was not found',
      ),
    );

    const error = await failure();

    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toContain('twilio 404');
    expect(twilio.fake.requestsTo('POST', path)).toHaveLength(1);
  });

  it('waits out a 429 for its Retry-After and sends once it passes', async () => {
    twilio.fake.enqueue('POST', path, twilioError(429, 20429, 'Too Many Requests', { 'retry-after': '1' }));
    const started = Date.now();

    const sent = await send();

    expect(sent.providerMessageId).toMatch(/^SM/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(twilio.fake.requestsTo('POST', path)).toHaveLength(2);
  });

  it('gives a 429 whose Retry-After is longer than the budget back to the queue at once, with the wait', async () => {
    twilio.fake.enqueue('POST', path, twilioError(429, 20429, 'Too Many Requests', { 'retry-after': '120' }));

    const error = await failure();

    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).retryAfterMs).toBe(120_000);
    expect(twilio.fake.requestsTo('POST', path)).toHaveLength(1);
  });

  it('retries a 500 and a 503 and sends on the third attempt', async () => {
    twilio.fake.enqueue('POST', path, twilioError(500, 20500, 'Internal Server Error'), {
      status: 503,
      headers: { 'content-type': 'text/html' },
      body: '<html>Service Unavailable</html>',
    });

    const sent = await send();

    expect(sent.providerMessageId).toMatch(/^SM/);
    expect(twilio.fake.requestsTo('POST', path)).toHaveLength(3);
  });

  it('does not send again when Twilio took the text but answered 500: the retry finds it first', async () => {
    twilio.fake.enqueue('POST', path, (request) => {
      twilio.take(request);
      return twilioError(500, 20500, 'Internal Server Error');
    });

    const sent = await send();

    expect(twilio.fake.requestsTo('POST', path)).toHaveLength(1);
    expect(twilio.fake.requestsTo('GET', path)).toHaveLength(1);
    expect(sent.providerMessageId).toBe(twilio.taken[0]?.sid);
  });

  it('looks up an interrupted send: the text Twilio took since the claim, else none', async () => {
    const since = new Date(Math.floor(Date.now() / 1000) * 1000);
    const body = 'Hi Maria, a plumber can come today at 2pm.';
    expect(await sender().findSent({ to: LEAD, body, since, reference: 'out-sms-1' })).toBeNull();
    const sent = await send();
    expect(await sender().findSent({ to: LEAD, body, since, reference: 'out-sms-1' })).toEqual(sent);
    expect(
      await sender().findSent({ to: LEAD, body: 'Other words', since, reference: 'out-sms-1' }),
    ).toBeNull();
    const [list] = twilio.fake.requestsTo('GET', path);
    expect(list?.query.get('To')).toBe(LEAD);
  });

  it('fails transiently when Twilio keeps answering 503, after the retry budget only', async () => {
    const unavailable = twilioError(503, 20503, 'Service Unavailable');
    twilio.fake.enqueue('POST', path, unavailable, unavailable, unavailable, unavailable);

    const error = await failure();

    expect(error).toBeInstanceOf(TransientError);
    expect(error.message).toContain('twilio 503');
    expect(twilio.fake.requestsTo('POST', path)).toHaveLength(3);
  });

  it('fails transiently when Twilio cannot be reached', async () => {
    const error = await failure({
      apiBaseUrl: 'http://127.0.0.1:9',
      retryBudget: { retries: 0, minDelayMs: 1, maxDelayMs: 1 },
    });

    expect(error).toBeInstanceOf(TransientError);
  });
});
