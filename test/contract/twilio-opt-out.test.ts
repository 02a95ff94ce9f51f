import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoLeadStore } from '#shared/adapters/aws/dynamo-lead-store.ts';
import { TwilioSmsSender } from '#shared/adapters/twilio/twilio-sms-sender.ts';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import { LeadMessenger, type OutboundText } from '#shared/messaging/lead-messenger.ts';
import type { Lead } from '#shared/ports/lead-store.ts';
import {
  messagesPath,
  startTwilioFake,
  TEST_ACCOUNT_SID,
  TEST_AUTH_TOKEN,
  twilioError,
} from '../fakes/twilio-fake.ts';
import { startTestDynamo, TEST_TABLES } from '../support/dynamo.ts';
import { invoked } from '../support/lambda.ts';

const profile = BusinessProfile.parse(demoBusinessProfile);
/** 10:30pm and 8:00am on a Tuesday in Chicago. */
const LATE_EVENING = new Date('2026-11-24T04:30:00Z');
const MORNING = new Date('2026-11-24T14:00:00Z');
const unsubscribed = twilioError(400, 21610, 'Attempt to send to unsubscribed recipient');

describe('the lead messenger when Twilio says the recipient unsubscribed (21610)', () => {
  let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
  let twilio: Awaited<ReturnType<typeof startTwilioFake>>;
  let store: DynamoLeadStore;
  let now: Date;
  let counter = 0;

  const messenger = () =>
    invoked(
      new LeadMessenger({
        store,
        sms: new TwilioSmsSender({
          accountSid: TEST_ACCOUNT_SID,
          authToken: TEST_AUTH_TOKEN,
          apiBaseUrl: twilio.url,
          statusCallbackUrl: 'https://leads.example.com/webhooks/twilio/status',
        }),
        email: { send: async () => ({ providerMessageId: 'unused' }), findSent: async () => null },
        profile,
        identity: { smsNumber: '+15125550100', emailFrom: 'hello@leadline.example' },
        clock: () => now,
      }),
    );

  const newLead = async (): Promise<Lead> => {
    counter += 1;
    const phone = `+1512555${String(5000 + counter)}`;
    const { lead } = await store.recordInbound({
      leadId: `lead-optout-${counter}`,
      contact: phone,
      channel: 'sms',
      phone,
      timeZone: 'America/Chicago',
      message: { messageId: `sms-in-${counter}`, channel: 'sms', body: 'Hi', at: now.toISOString() },
    });
    return lead;
  };

  const text = (lead: Lead, kind: OutboundText['kind'], purpose: string): OutboundText => ({
    lead,
    channel: 'sms',
    kind,
    purpose,
    // Each purpose stands for another message of the lead's: one message gets one answer.
    answering: `sms-in-${lead.leadId}-${purpose}`,
    text: 'Following up on your leak.',
  });

  beforeAll(async () => {
    [dynamo, twilio] = await Promise.all([startTestDynamo(), startTwilioFake()]);
    store = new DynamoLeadStore(dynamo.documents, TEST_TABLES.leads, () => now);
  });
  afterAll(async () => {
    await Promise.all([dynamo.stop(), twilio.close()]);
  });
  beforeEach(() => {
    twilio.fake.reset();
    now = MORNING;
  });

  it('records the contact as opted out, the text as suppressed, and sends nothing after', async () => {
    const lead = await newLead();
    twilio.fake.enqueue('POST', messagesPath(), unsubscribed);

    const outcome = await messenger().send(text(lead, 'reply', 'first-reply'));

    expect(outcome).toEqual({
      status: 'suppressed',
      reason: 'the contact opted out with the carrier (Twilio 21610)',
    });
    expect(await store.getOptOut(lead.phone!)).toMatchObject({
      contact: lead.phone,
      optedOut: true,
      channel: 'sms',
    });
    const [out] = (await store.getMessages(lead.leadId)).filter((m) => m.direction === 'out');
    expect(out).toMatchObject({ status: 'suppressed', purpose: 'first-reply' });

    const next = await messenger().send(text(lead, 'reply', 'slots-offered'));
    expect(next).toEqual({ status: 'suppressed', reason: 'the contact opted out' });
    expect(twilio.fake.requestsTo('POST', messagesPath())).toHaveLength(1);
  });

  it('suppresses a held text Twilio refuses in the morning and records the opt-out', async () => {
    now = LATE_EVENING;
    const lead = await newLead();
    expect((await messenger().send(text(lead, 'initiated', 'follow-up'))).status).toBe('held');

    now = MORNING;
    twilio.fake.enqueue('POST', messagesPath(), unsubscribed);
    const dispatched = await messenger().dispatchHeld();

    expect(dispatched.find((d) => d.lead.leadId === lead.leadId)?.outcome).toEqual({
      status: 'suppressed',
      reason: 'the contact opted out with the carrier (Twilio 21610)',
    });
    expect((await store.getOptOut(lead.phone!))?.optedOut).toBe(true);
    const [out] = (await store.getMessages(lead.leadId)).filter((m) => m.direction === 'out');
    expect(out?.status).toBe('suppressed');
    // Taken off the due list: the next run sends nothing.
    expect(await messenger().dispatchHeld()).toHaveLength(0);
  });

  it('links a held text sent in the morning to its MessageSid, so its status callbacks find it', async () => {
    now = LATE_EVENING;
    const lead = await newLead();
    await messenger().send(text(lead, 'initiated', 'follow-up'));

    now = MORNING;
    const [sent] = await messenger().dispatchHeld();
    if (sent?.outcome.status !== 'sent') throw new Error('expected the held text to be sent');

    const { outcome, message } = await store.recordSmsDelivery(sent.outcome.providerMessageId, {
      status: 'delivered',
      at: MORNING.toISOString(),
    });
    expect(outcome).toBe('recorded');
    expect(message).toMatchObject({ leadId: lead.leadId, messageId: sent.message.messageId });
    const [out] = (await store.getMessages(lead.leadId)).filter((m) => m.direction === 'out');
    expect(out).toMatchObject({ status: 'sent', smsDelivery: { status: 'delivered' } });
  });
});
