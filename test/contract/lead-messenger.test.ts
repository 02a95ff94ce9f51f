import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoLeadStore } from '#shared/adapters/aws/dynamo-lead-store.ts';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import { LeadMessenger } from '#shared/messaging/lead-messenger.ts';
import { PermanentError, TransientError } from '#shared/ports/errors.ts';
import type { Lead } from '#shared/ports/lead-store.ts';
import type { SmsSender } from '#shared/ports/outbound.ts';
import { startTestDynamo, TEST_TABLES } from '../support/dynamo.ts';
import { invoked } from '../support/lambda.ts';

const profile = BusinessProfile.parse(demoBusinessProfile);
const strictProfile = BusinessProfile.parse({
  ...demoBusinessProfile,
  quietHours: { start: '21:00', end: '08:00', strict: true },
});

/** 10:30pm and 8:00am on a Tuesday in Chicago (CST, UTC-6). */
const LATE_EVENING = new Date('2026-11-24T04:30:00Z');
const MORNING = new Date('2026-11-24T14:00:00Z');

class RecordingSms implements SmsSender {
  sent: Array<{ to: string; body: string }> = [];
  failWith: Error | undefined;
  async send(sms: { to: string; from: string; body: string }) {
    if (this.failWith) throw this.failWith;
    this.sent.push({ to: sms.to, body: sms.body });
    return { providerMessageId: `SM${this.sent.length}` };
  }
}

describe('the lead messenger, against DynamoDB', () => {
  let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
  let store: DynamoLeadStore;
  let sms: RecordingSms;
  let now: Date;
  let leadCounter = 0;

  const messenger = (p = profile) =>
    invoked(
      new LeadMessenger({
        store,
        sms,
        email: { send: async () => ({ providerMessageId: 'email-1' }) },
        profile: p,
        identity: { smsNumber: '+15125550100', emailFrom: 'hello@leadline.example' },
        persistenceStore: new DynamoDBPersistenceLayer({
          tableName: TEST_TABLES.idempotency,
          awsSdkV3Client: dynamo.client,
        }),
        clock: () => now,
      }),
    );

  const newLead = async (): Promise<Lead> => {
    leadCounter += 1;
    const phone = `+1512555${String(3000 + leadCounter)}`;
    const { lead } = await store.recordInbound({
      leadId: `lead-${leadCounter}`,
      contact: phone,
      channel: 'sms',
      phone,
      timeZone: 'America/Chicago',
      message: { messageId: `in-${leadCounter}`, channel: 'sms', body: 'Hi', at: now.toISOString() },
    });
    return lead;
  };

  const text = (lead: Lead, kind: 'reply' | 'initiated' = 'reply') => ({
    lead,
    channel: 'sms' as const,
    kind,
    purpose: kind === 'reply' ? 'first-reply' : 'follow-up',
    answering: `in-${lead.leadId}`,
    text: `Hello ${lead.leadId}`,
  });

  beforeAll(async () => {
    dynamo = await startTestDynamo();
    store = new DynamoLeadStore(dynamo.documents, TEST_TABLES.leads, () => now);
  });
  afterAll(async () => {
    await dynamo.stop();
  });
  beforeEach(() => {
    sms = new RecordingSms();
    now = LATE_EVENING;
  });

  it('answers a lead at once even during quiet hours', async () => {
    const lead = await newLead();
    const outcome = await messenger().send(text(lead));
    expect(outcome.status).toBe('sent');
    expect(sms.sent).toEqual([{ to: lead.phone, body: `Hello ${lead.leadId}` }]);
  });

  it('sends the same reply to the same message once, however often it is asked', async () => {
    const lead = await newLead();
    const first = await messenger().send(text(lead));
    const again = await messenger().send(text(lead));
    expect(again).toEqual(first);
    expect(sms.sent).toHaveLength(1);
  });

  it('holds a text the business starts during quiet hours and sends it when the window opens', async () => {
    const lead = await newLead();
    const outcome = await messenger().send(text(lead, 'initiated'));
    expect(outcome).toMatchObject({ status: 'held', sendAt: '2026-11-24T14:00:00.000Z' });
    expect(sms.sent).toHaveLength(0);

    now = new Date(MORNING.getTime() - 60_000);
    expect(await messenger().dispatchHeld()).toHaveLength(0);

    now = MORNING;
    const dispatched = await messenger().dispatchHeld();
    expect(dispatched.map((d) => d.outcome.status)).toEqual(['sent']);
    expect(sms.sent).toEqual([{ to: lead.phone, body: `Hello ${lead.leadId}` }]);
    const stored = (await store.getMessages(lead.leadId)).find((m) => m.direction === 'out');
    expect(stored?.status).toBe('sent');

    // Dispatched once: a later run finds nothing due.
    expect(await messenger().dispatchHeld()).toHaveLength(0);
    expect(sms.sent).toHaveLength(1);
  });

  it('holds even direct replies for the window when quiet hours are strict', async () => {
    const lead = await newLead();
    expect((await messenger(strictProfile).send(text(lead))).status).toBe('held');
    expect(sms.sent).toHaveLength(0);
  });

  it('sends nothing to a contact that opted out and records why', async () => {
    const lead = await newLead();
    await store.setOptOut({
      contact: lead.phone!,
      optedOut: true,
      at: now.toISOString(),
      channel: 'sms',
      messageId: 'stop-1',
    });
    const outcome = await messenger().send(text(lead));
    expect(outcome).toEqual({ status: 'suppressed', reason: 'the contact opted out' });
    expect(sms.sent).toHaveLength(0);
    const stored = (await store.getMessages(lead.leadId)).find((m) => m.direction === 'out');
    expect(stored?.status).toBe('suppressed');
  });

  it('drops a held text when the lead opts out before the morning', async () => {
    const lead = await newLead();
    await messenger().send(text(lead, 'initiated'));
    await store.setOptOut({
      contact: lead.phone!,
      optedOut: true,
      at: now.toISOString(),
      channel: 'sms',
      messageId: 's',
    });
    now = MORNING;
    const dispatched = await messenger().dispatchHeld();
    expect(dispatched.find((d) => d.lead.leadId === lead.leadId)?.outcome.status).toBe('suppressed');
    expect(sms.sent.filter((s) => s.to === lead.phone)).toHaveLength(0);
  });

  it('gives a held text back when the provider fails for now, and records a permanent failure', async () => {
    const lead = await newLead();
    await messenger().send(text(lead, 'initiated'));
    now = MORNING;
    sms.failWith = new TransientError('Twilio answered 503');
    await expect(messenger().dispatchHeld()).rejects.toThrow('503');
    expect((await store.getMessages(lead.leadId)).find((m) => m.direction === 'out')?.status).toBe('held');

    sms.failWith = new PermanentError('21211 invalid To number');
    await messenger().dispatchHeld();
    const failed = (await store.getMessages(lead.leadId)).find((m) => m.direction === 'out');
    expect(failed?.status).toBe('failed');
    expect(failed?.reason).toContain('invalid');
  });
});
