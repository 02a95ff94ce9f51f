import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordStatus } from '#functions/sms-status/record-status.ts';
import { DynamoLeadStore } from '#shared/adapters/aws/dynamo-lead-store.ts';
import { TwilioSmsSender } from '#shared/adapters/twilio/twilio-sms-sender.ts';
import { twilioSignature } from '#shared/adapters/twilio/twilio-webhook.ts';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import { WebhookRejection } from '#shared/lambda/http.ts';
import { LeadMessenger } from '#shared/messaging/lead-messenger.ts';
import type { Lead, LeadMessage } from '#shared/ports/lead-store.ts';
import {
  startTwilioFake,
  statusCallbackParams,
  TEST_ACCOUNT_SID,
  TEST_AUTH_TOKEN,
} from '../fakes/twilio-fake.ts';
import { startTestDynamo, TEST_TABLES } from '../support/dynamo.ts';
import { invoked } from '../support/lambda.ts';

const PUBLIC_BASE_URL = 'https://leads.example.com';
const STATUS_PATH = '/webhooks/twilio/status';
const logger = new Logger({ serviceName: 'sms-status', logLevel: 'SILENT' });
const profile = BusinessProfile.parse(demoBusinessProfile);
/** 10am in Chicago: replies go at once. */
const DAYTIME = new Date('2026-11-24T16:00:00Z');

/** The API Gateway (HTTP API v2) event for a status callback Twilio signed, or not. */
const callbackEvent = (
  params: Record<string, string>,
  signature: string | null = twilioSignature({
    authToken: TEST_AUTH_TOKEN,
    url: `${PUBLIC_BASE_URL}${STATUS_PATH}`,
    params,
  }),
  body = new URLSearchParams(params).toString(),
): APIGatewayProxyEventV2 => ({
  version: '2.0',
  routeKey: `POST ${STATUS_PATH}`,
  rawPath: STATUS_PATH,
  rawQueryString: '',
  headers: {
    'content-type': 'application/x-www-form-urlencoded',
    ...(signature !== null && { 'x-twilio-signature': signature }),
  },
  body,
  isBase64Encoded: false,
  requestContext: {
    accountId: '000000000000',
    apiId: 'local',
    domainName: 'leads.example.com',
    domainPrefix: 'leads',
    http: {
      method: 'POST',
      path: STATUS_PATH,
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'TwilioProxy/1.1',
    },
    requestId: 'request-1',
    routeKey: `POST ${STATUS_PATH}`,
    stage: '$default',
    time: '24/Nov/2026:16:00:00 +0000',
    timeEpoch: DAYTIME.getTime(),
  },
});

describe('Twilio status callbacks, recorded on the replies sent through the twilio SDK', () => {
  let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
  let twilio: Awaited<ReturnType<typeof startTwilioFake>>;
  let store: DynamoLeadStore;
  let counter = 0;

  const messenger = () =>
    invoked(
      new LeadMessenger({
        store,
        sms: new TwilioSmsSender({
          accountSid: TEST_ACCOUNT_SID,
          authToken: TEST_AUTH_TOKEN,
          apiBaseUrl: twilio.url,
          statusCallbackUrl: `${PUBLIC_BASE_URL}${STATUS_PATH}`,
        }),
        email: { send: async () => ({ providerMessageId: 'unused' }), findSent: async () => null },
        profile,
        identity: { smsNumber: '+15125550100', emailFrom: 'hello@leadline.example' },
        clock: () => DAYTIME,
      }),
    );

  const newLead = async (): Promise<Lead> => {
    counter += 1;
    const phone = `+1512555${String(4000 + counter)}`;
    const { lead } = await store.recordInbound({
      leadId: `lead-status-${counter}`,
      contact: phone,
      channel: 'sms',
      phone,
      timeZone: 'America/Chicago',
      message: {
        messageId: `sms-in-${counter}`,
        channel: 'sms',
        body: 'Leaking pipe',
        at: DAYTIME.toISOString(),
      },
    });
    return lead;
  };

  /** A lead whose message got a reply through Twilio: the lead and the reply's MessageSid. */
  const repliedLead = async () => {
    const lead = await newLead();
    const outcome = await messenger().send({
      lead,
      channel: 'sms',
      kind: 'reply',
      purpose: 'first-reply',
      answering: `sms-in-${counter}`,
      text: 'Thanks! A plumber can come today.',
    });
    if (outcome.status !== 'sent') throw new Error(`expected the reply to be sent, got ${outcome.status}`);
    return { lead, sid: outcome.providerMessageId };
  };

  const reply = async (leadId: string): Promise<LeadMessage | undefined> =>
    (await store.getMessages(leadId)).find((m) => m.direction === 'out');

  /** What recording the callback did: recorded, outdated, pending or ignored. */
  const callback = async (params: Record<string, string>, event = callbackEvent(params)) =>
    (
      await recordStatus(event, {
        authToken: TEST_AUTH_TOKEN,
        publicBaseUrl: PUBLIC_BASE_URL,
        store,
        logger,
        now: () => DAYTIME,
      })
    ).outcome;

  beforeAll(async () => {
    [dynamo, twilio] = await Promise.all([startTestDynamo(), startTwilioFake()]);
    store = new DynamoLeadStore(dynamo.documents, TEST_TABLES.leads, () => DAYTIME);
  });
  afterAll(async () => {
    await Promise.all([dynamo.stop(), twilio.close()]);
  });
  beforeEach(() => {
    twilio.fake.reset();
  });

  it('marks the reply delivered when Twilio says so', async () => {
    const { lead, sid } = await repliedLead();

    expect(await callback(statusCallbackParams({ messageSid: sid, status: 'sent', to: lead.phone! }))).toBe(
      'recorded',
    );
    expect(
      await callback(statusCallbackParams({ messageSid: sid, status: 'delivered', to: lead.phone! })),
    ).toBe('recorded');

    const stored = await reply(lead.leadId);
    expect(stored?.status).toBe('sent');
    expect(stored?.providerMessageId).toBe(sid);
    expect(stored?.smsDelivery).toMatchObject({ status: 'delivered', at: DAYTIME.toISOString() });
  });

  it('never moves a reply backwards when statuses arrive out of order', async () => {
    const { lead, sid } = await repliedLead();

    await callback(statusCallbackParams({ messageSid: sid, status: 'delivered', to: lead.phone! }));
    expect(await callback(statusCallbackParams({ messageSid: sid, status: 'sent', to: lead.phone! }))).toBe(
      'outdated',
    );
    expect(await callback(statusCallbackParams({ messageSid: sid, status: 'queued', to: lead.phone! }))).toBe(
      'outdated',
    );

    expect((await reply(lead.leadId))?.smsDelivery?.status).toBe('delivered');
  });

  it('takes a repeated callback once', async () => {
    const { lead, sid } = await repliedLead();
    const delivered = statusCallbackParams({ messageSid: sid, status: 'delivered', to: lead.phone! });

    expect(await callback(delivered)).toBe('recorded');
    expect(await callback(delivered)).toBe('outdated');
    expect((await reply(lead.leadId))?.smsDelivery?.status).toBe('delivered');
  });

  it('records an undelivered text as failed with its error code', async () => {
    const { lead, sid } = await repliedLead();

    await callback(
      statusCallbackParams({ messageSid: sid, status: 'undelivered', errorCode: '30006', to: lead.phone! }),
    );
    // A late `delivered` for the same text cannot turn the failure around.
    await callback(statusCallbackParams({ messageSid: sid, status: 'delivered', to: lead.phone! }));

    const stored = await reply(lead.leadId);
    expect(stored?.status).toBe('failed');
    expect(stored?.reason).toBe('the text was undelivered (Twilio error 30006)');
    expect(stored?.smsDelivery).toMatchObject({ status: 'undelivered', errorCode: '30006' });
    expect(await store.getOptOut(lead.phone!)).toBeUndefined();
  });

  it('marks the contact opted out when the text failed with 21610, so nothing more is sent', async () => {
    const { lead, sid } = await repliedLead();

    await callback(
      statusCallbackParams({ messageSid: sid, status: 'failed', errorCode: '21610', to: lead.phone! }),
    );

    expect(await store.getOptOut(lead.phone!)).toMatchObject({
      contact: lead.phone,
      optedOut: true,
      channel: 'sms',
      messageId: (await reply(lead.leadId))?.messageId,
    });
    twilio.fake.reset();
    const next = await messenger().send({
      lead,
      channel: 'sms',
      kind: 'reply',
      purpose: 'slots-offered',
      answering: `sms-in-${counter}-next`,
      text: 'We have Tuesday at 10.',
    });
    expect(next).toEqual({ status: 'suppressed', reason: 'the contact opted out' });
    expect(twilio.fake.requests).toHaveLength(0);
  });

  it('keeps a callback that beats the sender’s own record and applies it when the text is recorded', async () => {
    const lead = await newLead();
    const sid = `SM${'c3'.repeat(16)}`;

    expect(
      await callback(statusCallbackParams({ messageSid: sid, status: 'delivered', to: lead.phone! })),
    ).toBe('pending');
    await store.recordOutbound({
      messageId: 'out-first-reply-early',
      leadId: lead.leadId,
      channel: 'sms',
      body: 'Thanks!',
      at: DAYTIME.toISOString(),
      status: 'sent',
      providerMessageId: sid,
    });
    // And a later, lesser status still does not undo it.
    expect(await callback(statusCallbackParams({ messageSid: sid, status: 'sent', to: lead.phone! }))).toBe(
      'outdated',
    );

    expect((await reply(lead.leadId))?.smsDelivery?.status).toBe('delivered');
  });

  it('ignores a status it does not know rather than refusing it', async () => {
    const { lead, sid } = await repliedLead();

    expect(await callback(statusCallbackParams({ messageSid: sid, status: 'partially_delivered' }))).toBe(
      'ignored',
    );
    expect((await reply(lead.leadId))?.smsDelivery).toBeUndefined();
  });

  it.each([
    ['an unsigned callback', null, 403, 'Missing X-Twilio-Signature'],
    [
      'a callback signed with another token',
      'bm90IHRoZSByaWdodCBzaWduYXR1cmU=',
      403,
      'Invalid X-Twilio-Signature',
    ],
  ])('refuses %s and records nothing', async (_name, signature, status, reason) => {
    const { lead, sid } = await repliedLead();
    const params = statusCallbackParams({ messageSid: sid, status: 'delivered', to: lead.phone! });

    const error = await callback(params, callbackEvent(params, signature)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(WebhookRejection);
    expect(error).toMatchObject({ statusCode: status, message: reason });
    expect((await reply(lead.leadId))?.smsDelivery).toBeUndefined();
  });

  it('refuses a signed post that is not a status callback with 400', async () => {
    const params = { AccountSid: TEST_ACCOUNT_SID, MessageStatus: 'delivered' };

    const error = await callback(params).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(WebhookRejection);
    expect(error).toMatchObject({ statusCode: 400 });
    expect((error as Error).message).toContain('MessageSid');
  });
});
