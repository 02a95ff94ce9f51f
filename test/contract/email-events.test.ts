import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoLeadStore } from '#shared/adapters/aws/dynamo-lead-store.ts';
import { SendGridEmailSender } from '#shared/adapters/sendgrid/sendgrid-email-sender.ts';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import { leadIdForContact } from '#shared/domain/contact.ts';
import { readSendGridPublicKey } from '#shared/inbound/sendgrid-signature.ts';
import { WebhookRejection } from '#shared/lambda/http.ts';
import { LeadMessenger } from '#shared/messaging/lead-messenger.ts';
import type { Lead } from '#shared/ports/lead-store.ts';
import {
  EmailEventRecorder,
  type EventVerification,
  receiveEmailEvents,
} from '../../functions/email-events/record-email-events.ts';
import { eventWebhookSigner, sendGridEvent, startSendGridFake } from '../fakes/sendgrid-fake.ts';
import { startTestDynamo, TEST_TABLES } from '../support/dynamo.ts';
import { invoked } from '../support/lambda.ts';

const profile = BusinessProfile.parse(demoBusinessProfile);
const logger = new Logger({ serviceName: 'email-events', logLevel: 'SILENT' });

/** An API Gateway HTTP API (v2) request, as the webhook receives it. */
const httpEvent = (
  body: string,
  headers: Record<string, string>,
  method = 'POST',
): APIGatewayProxyEventV2 => ({
  version: '2.0',
  routeKey: 'POST /webhooks/sendgrid/events',
  rawPath: '/webhooks/sendgrid/events',
  rawQueryString: '',
  headers,
  body,
  isBase64Encoded: false,
  requestContext: {
    accountId: '000000000000',
    apiId: 'local',
    domainName: 'localhost',
    domainPrefix: 'localhost',
    http: {
      method,
      path: '/webhooks/sendgrid/events',
      protocol: 'HTTP/1.1',
      sourceIp: '127.0.0.1',
      userAgent: 'SendGrid Event API',
    },
    requestId: 'request-1',
    routeKey: 'POST /webhooks/sendgrid/events',
    stage: '$default',
    time: '01/Jan/2026:00:00:00 +0000',
    timeEpoch: 0,
  },
});

describe('the SendGrid Event Webhook, against DynamoDB and a SendGrid fake', () => {
  let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
  let sendgrid: Awaited<ReturnType<typeof startSendGridFake>>;
  let store: DynamoLeadStore;
  let recorder: EmailEventRecorder;
  let messenger: LeadMessenger;
  let deliveryWrites: number;
  let leadCounter = 0;
  const signer = eventWebhookSigner();
  const signed: EventVerification = { publicKey: readSendGridPublicKey(signer.publicKeyBase64) };

  const persistence = () =>
    new DynamoDBPersistenceLayer({ tableName: TEST_TABLES.idempotency, awsSdkV3Client: dynamo.client });

  /** Posts events signed as SendGrid signs them. */
  const post = (events: unknown[], verification: EventVerification = signed) => {
    const body = JSON.stringify(events);
    return receiveEmailEvents(httpEvent(body, signer.headers(body)), { verification, recorder, logger });
  };
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) =>
        error instanceof WebhookRejection ? { status: error.statusCode, reason: error.message } : error,
    );

  const newEmailLead = async (): Promise<Lead> => {
    leadCounter += 1;
    const email = `lead${leadCounter}@example.com`;
    const { lead } = await store.recordInbound({
      leadId: leadIdForContact(email),
      contact: email,
      channel: 'email',
      email,
      timeZone: 'America/Chicago',
      emailThread: { messageId: `<lead${leadCounter}@mail.example.com>`, references: [] },
      message: {
        messageId: `email-in-${leadCounter}`,
        channel: 'email',
        body: 'Hi, my sink is leaking',
        at: new Date().toISOString(),
      },
    });
    return lead;
  };

  const reply = (lead: Lead, purpose = 'first-reply') => ({
    lead,
    channel: 'email' as const,
    kind: 'reply' as const,
    purpose,
    // Each purpose stands for another message of the lead's: one message gets one answer.
    answering: `email-in-${lead.leadId}-${purpose}`,
    text: 'Thanks, we can help.',
    subject: 'Re: sink',
  });

  /** Sends a reply through SendGrid and returns the custom args SendGrid will put on its events. */
  const sendReply = async (lead: Lead, purpose?: string) => {
    const outcome = await messenger.send(reply(lead, purpose));
    expect(outcome.status).toBe('sent');
    const args = sendgrid.sent().at(-1)?.custom_args;
    return { leadId: args?.leadline_lead_id ?? '', messageId: args?.leadline_message_id ?? '' };
  };
  const outbound = async (lead: Lead, messageId: string) =>
    (await store.getMessages(lead.leadId)).find((m) => m.messageId === messageId);

  beforeAll(async () => {
    dynamo = await startTestDynamo();
    sendgrid = await startSendGridFake();
    const realStore = new DynamoLeadStore(dynamo.documents, TEST_TABLES.leads);
    // Counts the delivery writes, to see what a repeated event really does.
    store = Object.assign(Object.create(realStore) as DynamoLeadStore, {
      recordEmailDelivery: (...args: Parameters<DynamoLeadStore['recordEmailDelivery']>) => {
        deliveryWrites += 1;
        return realStore.recordEmailDelivery(...args);
      },
    });
    messenger = invoked(
      new LeadMessenger({
        store,
        sms: {
          send: () => Promise.reject(new Error('no SMS in these tests')),
          findSent: async () => null,
        },
        email: new SendGridEmailSender({ apiKey: 'SG.test', baseUrl: sendgrid.url }),
        profile,
        identity: { smsNumber: '+15125550100', emailFrom: 'hello@leadline.example' },
      }),
    );
  });
  beforeEach(() => {
    recorder = invoked(new EmailEventRecorder({ store, persistenceStore: persistence() }));
    deliveryWrites = 0;
  });
  afterAll(async () => {
    await sendgrid.close();
    await dynamo.stop();
  });

  it('records a delivery on the reply it names through the custom args', async () => {
    const lead = await newEmailLead();
    const ids = await sendReply(lead);

    const counts = await post([
      sendGridEvent('processed', { email: lead.email!, ...ids }),
      sendGridEvent('delivered', { email: lead.email!, ...ids, response: '250 2.0.0 OK', sgEventId: 'dl-1' }),
    ]);

    expect(counts).toEqual({ applied: 1, repeated: 0, ignored: 1, unreadable: 0, unreachable: 0 });
    expect((await outbound(lead, ids.messageId))?.emailDelivery).toMatchObject({
      status: 'delivered',
      reason: '250 2.0.0 OK',
      providerEventId: 'dl-1',
    });
  });

  it('marks a bounced address unreachable, and the messenger then sends it nothing', async () => {
    const lead = await newEmailLead();
    const ids = await sendReply(lead);

    const counts = await post([
      sendGridEvent('bounce', {
        email: lead.email!,
        ...ids,
        type: 'bounce',
        bounce_classification: 'Invalid Address',
        reason: '550 5.1.1 No such user',
      }),
    ]);
    expect(counts.unreachable).toBe(1);
    expect((await outbound(lead, ids.messageId))?.emailDelivery).toMatchObject({
      status: 'bounced',
      reason: 'Invalid Address: 550 5.1.1 No such user',
    });
    expect(await store.getEmailUnreachable(lead.email!)).toMatchObject({
      contact: lead.email,
      reason: 'Invalid Address: 550 5.1.1 No such user',
    });

    const sentBefore = sendgrid.sent().length;
    const next = await messenger.send(reply(lead, 'slots-offered'));
    expect(next).toEqual({ status: 'suppressed', reason: 'the email address is unreachable' });
    expect(sendgrid.sent()).toHaveLength(sentBefore);
    const suppressed = (await store.getMessages(lead.leadId)).find((m) => m.purpose === 'slots-offered');
    expect(suppressed?.status).toBe('suppressed');
  });

  it('keeps an address reachable after a block, which is about us, not the address', async () => {
    const lead = await newEmailLead();
    const ids = await sendReply(lead);

    await post([
      sendGridEvent('bounce', { email: lead.email!, ...ids, type: 'blocked', reason: '554 blocklisted' }),
    ]);

    expect(await store.getEmailUnreachable(lead.email!)).toBeUndefined();
    expect((await messenger.send(reply(lead, 'follow-up'))).status).toBe('sent');
  });

  it('reads a spam report as an opt-out of email, which the messenger obeys', async () => {
    const lead = await newEmailLead();
    const ids = await sendReply(lead);

    await post([sendGridEvent('spamreport', { email: lead.email!, ...ids })]);

    expect(await store.getOptOut(lead.email!)).toMatchObject({
      optedOut: true,
      channel: 'email',
      messageId: ids.messageId,
    });
    expect(await messenger.send(reply(lead, 'follow-up'))).toEqual({
      status: 'suppressed',
      reason: 'the contact opted out',
    });
  });

  it('leaves a later opt-in alone when an older unsubscribe arrives', async () => {
    const lead = await newEmailLead();
    await store.setOptOut({
      contact: lead.email!,
      optedOut: false,
      at: new Date().toISOString(),
      channel: 'email',
      messageId: 'start-1',
    });

    await post([
      sendGridEvent('unsubscribe', { email: lead.email!, timestamp: Math.floor(Date.now() / 1000) - 3600 }),
    ]);

    expect((await store.getOptOut(lead.email!))?.optedOut).toBe(false);
  });

  it('handles a repeated sg_event_id once, in one batch or in a retried one', async () => {
    const lead = await newEmailLead();
    const ids = await sendReply(lead);
    const delivered = sendGridEvent('delivered', { email: lead.email!, ...ids, sgEventId: 'repeat-1' });

    expect(await post([delivered, delivered])).toMatchObject({ applied: 1, repeated: 1 });
    expect(await post([delivered])).toMatchObject({ applied: 0, repeated: 1 });
    expect(deliveryWrites).toBe(1);
  });

  it('never lets a late deferral or an older event replace a final state', async () => {
    const lead = await newEmailLead();
    const ids = await sendReply(lead);
    const t = Math.floor(Date.now() / 1000);

    await post([
      sendGridEvent('delivered', { email: lead.email!, ...ids, timestamp: t, sgEventId: 'late-1' }),
      sendGridEvent('deferred', { email: lead.email!, ...ids, timestamp: t - 60, response: '421 try later' }),
      sendGridEvent('bounce', {
        email: lead.email!,
        ...ids,
        timestamp: t - 30,
        type: 'blocked',
        reason: 'old',
      }),
    ]);

    expect((await outbound(lead, ids.messageId))?.emailDelivery).toMatchObject({
      status: 'delivered',
      providerEventId: 'late-1',
    });
  });

  it('marks an address unreachable even when the event names no message of ours', async () => {
    const counts = await post([
      sendGridEvent('dropped', { email: 'Rep.Dana@Example.com', reason: 'Bounced Address' }),
      sendGridEvent('dropped', {
        email: 'x@example.com',
        leadId: 'ld_gone',
        messageId: 'out-gone',
        reason: 'Invalid',
      }),
    ]);

    expect(counts).toMatchObject({ applied: 2, unreachable: 2 });
    expect(await store.getEmailUnreachable('rep.dana@example.com')).toMatchObject({
      reason: 'dropped: Bounced Address',
    });
  });

  it('refuses a body changed after signing', async () => {
    const body = JSON.stringify([sendGridEvent('delivered', { email: 'a@example.com' })]);
    const headers = signer.headers(body);
    const tampered = body.replace('a@example.com', 'b@example.com');

    expect(
      await refusal(
        receiveEmailEvents(httpEvent(tampered, headers), { verification: signed, recorder, logger }),
      ),
    ).toEqual({
      status: 403,
      reason: 'Invalid SendGrid signature',
    });
  });

  it('refuses a post without signature headers, or signed too long ago', async () => {
    const body = JSON.stringify([sendGridEvent('delivered', { email: 'a@example.com' })]);
    const stale = signer.headers(body, new Date(Date.now() - 3600_000));

    expect(
      await refusal(receiveEmailEvents(httpEvent(body, {}), { verification: signed, recorder, logger })),
    ).toEqual({ status: 403, reason: 'Missing SendGrid signature headers' });
    expect(
      await refusal(receiveEmailEvents(httpEvent(body, stale), { verification: signed, recorder, logger })),
    ).toEqual({ status: 403, reason: 'Invalid SendGrid signature' });
  });

  it('refuses every post when no verification key is configured, unless unsigned posts are allowed', async () => {
    const events = [sendGridEvent('dropped', { email: 'open@example.com', reason: 'Invalid' })];
    const body = JSON.stringify(events);

    expect(
      await refusal(
        receiveEmailEvents(httpEvent(body, {}), { verification: { notConfigured: true }, recorder, logger }),
      ),
    ).toEqual({ status: 403, reason: 'Event Webhook verification key not configured' });
    expect(await store.getEmailUnreachable('open@example.com')).toBeUndefined();

    await receiveEmailEvents(httpEvent(body, {}), {
      verification: { allowUnsigned: true },
      recorder,
      logger,
    });
    expect(await store.getEmailUnreachable('open@example.com')).toBeDefined();
  });

  it('answers 400 to a body that is not a JSON array of events, and 405 to a GET', async () => {
    const call = (body: string, method = 'POST') =>
      refusal(
        receiveEmailEvents(httpEvent(body, signer.headers(body), method), {
          verification: signed,
          recorder,
          logger,
        }),
      );

    expect(await call('[{"event":')).toEqual({ status: 400, reason: 'The body is not JSON' });
    expect(await call('{"event":"delivered"}')).toEqual({
      status: 400,
      reason: 'The body is not a JSON array of SendGrid events',
    });
    expect(await call('[]', 'GET')).toMatchObject({ status: 405 });
  });
});
