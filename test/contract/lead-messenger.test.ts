import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoLeadStore } from '#shared/adapters/aws/dynamo-lead-store.ts';
import { recordConsentSignal } from '#shared/compliance/consent-record.ts';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import { LeadMessenger, type OutboundText } from '#shared/messaging/lead-messenger.ts';
import { PermanentError, TransientError } from '#shared/ports/errors.ts';
import type { Lead } from '#shared/ports/lead-store.ts';
import type { EmailSender, SentLookup, SmsSender } from '#shared/ports/outbound.ts';
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

/** A provider that records what it took and, like Twilio's Messages API, can say so afterwards. */
class RecordingSms implements SmsSender {
  sent: Array<{ to: string; body: string }> = [];
  private readonly taken: Array<{ to: string; body: string; reference?: string; sid: string }> = [];
  failWith: Error | undefined;
  lookups: SentLookup[] = [];
  async send(sms: { to: string; from: string; body: string; reference?: string }) {
    if (this.failWith) throw this.failWith;
    this.sent.push({ to: sms.to, body: sms.body });
    const sid = `SM${this.sent.length}`;
    this.taken.push({ ...sms, sid });
    return { providerMessageId: sid };
  }
  async findSent(lookup: SentLookup) {
    this.lookups.push(lookup);
    const found = this.taken.find((t) => t.to === lookup.to && t.reference === lookup.reference);
    return found ? { providerMessageId: found.sid } : null;
  }
}

/** SendGrid's position: it cannot say whether a given mail was taken. */
const email: EmailSender & { sent: string[] } = {
  sent: [],
  async send(mail) {
    email.sent.push(mail.text);
    return { providerMessageId: `<mail-${email.sent.length}@sendgrid>` };
  },
  findSent: async () => 'unknown' as const,
};

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
        email,
        profile: p,
        identity: { smsNumber: '+15125550100', emailFrom: 'hello@leadline.example' },
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

  /** What a send left behind when its attempt claimed it at `at` for 30 s (and then crashed, or runs on). */
  const claimedBy = (lead: Lead, body: string, at: Date) =>
    store.claimOutbound(
      { messageId: `out-in-${lead.leadId}`, leadId: lead.leadId, channel: 'sms', body, at: at.toISOString() },
      new Date(at.getTime() + 30_000),
    );

  const text = (lead: Lead, kind: 'reply' | 'initiated' = 'reply') => ({
    lead,
    channel: 'sms' as const,
    kind,
    purpose: kind === 'reply' ? 'first-reply' : 'follow-up',
    answering: `in-${lead.leadId}`,
    // A reply answers the message the lead just sent.
    ...(kind === 'reply' && { answeredAt: now.toISOString() }),
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
    sms.failWith = new TransientError('Twilio answered 503', undefined, { notProcessed: true });
    await expect(messenger().dispatchHeld()).rejects.toThrow('503');
    expect((await store.getMessages(lead.leadId)).find((m) => m.direction === 'out')?.status).toBe('held');

    sms.failWith = new PermanentError('21211 invalid To number');
    await messenger().dispatchHeld();
    const failed = (await store.getMessages(lead.leadId)).find((m) => m.direction === 'out');
    expect(failed?.status).toBe('failed');
    expect(failed?.reason).toContain('invalid');
  });

  it('answers one inbound message once, whatever purpose a retry computes for it', async () => {
    const lead = await newLead();
    await messenger().send(text(lead));
    // The retried trigger sees the first answer in the history and calls itself a follow-up.
    const again = await messenger().send({ ...text(lead), purpose: 'follow-up-reply', text: 'Other words' });
    expect(again.status).toBe('sent');
    expect(sms.sent).toEqual([{ to: lead.phone, body: `Hello ${lead.leadId}` }]);
  });

  it('claims the answer before calling the provider, so a second attempt meanwhile sends nothing', async () => {
    const lead = await newLead();
    await claimedBy(lead, 'x', now);
    await expect(messenger().send(text(lead))).rejects.toBeInstanceOf(TransientError);
    expect(sms.sent).toHaveLength(0);
  });

  it('finishes a send a crash interrupted after the provider took it, without sending again', async () => {
    const lead = await newLead();
    const claimedAt = now;
    // The crashed attempt: claimed, handed to the provider, never recorded as sent.
    await claimedBy(lead, `Hello ${lead.leadId}`, claimedAt);
    await sms.send({
      to: lead.phone!,
      from: '+15125550100',
      body: `Hello ${lead.leadId}`,
      reference: `out-in-${lead.leadId}`,
    });
    now = new Date(claimedAt.getTime() + 60_000);
    const outcome = await messenger().send(text(lead));
    expect(outcome).toMatchObject({ status: 'sent', providerMessageId: 'SM1' });
    expect(sms.sent).toHaveLength(1);
    expect((await store.getMessage(lead.leadId, `out-in-${lead.leadId}`))?.status).toBe('sent');
  });

  it('sends a claimed answer the provider never took once the crashed claim has run out', async () => {
    const lead = await newLead();
    await claimedBy(lead, `Hello ${lead.leadId}`, now);
    now = new Date(now.getTime() + 60_000);
    expect((await messenger().send(text(lead))).status).toBe('sent');
    expect(sms.sent).toEqual([{ to: lead.phone, body: `Hello ${lead.leadId}` }]);
    expect(sms.lookups).toHaveLength(1);
  });

  it('marks an interrupted email unconfirmed and never sends it again when the provider cannot tell', async () => {
    const lead = await store.recordInbound({
      leadId: 'lead-email-crash',
      contact: 'sam@example.com',
      channel: 'email',
      email: 'sam@example.com',
      timeZone: 'America/Chicago',
      message: { messageId: 'in-mail', channel: 'email', body: 'Hi', at: now.toISOString() },
    });
    await store.claimOutbound(
      {
        messageId: 'out-in-mail',
        leadId: 'lead-email-crash',
        channel: 'email',
        body: 'Hello Sam',
        at: now.toISOString(),
      },
      new Date(now.getTime() + 30_000),
    );
    now = new Date(now.getTime() + 60_000);
    const outcome = await messenger().send({
      lead: lead.lead,
      channel: 'email',
      kind: 'reply',
      purpose: 'first-reply',
      answering: 'in-mail',
      text: 'Hello Sam',
    });
    expect(outcome.status).toBe('unconfirmed');
    expect(email.sent).toEqual([]);
    expect((await store.getMessage('lead-email-crash', 'out-in-mail'))?.status).toBe('unconfirmed');
  });

  it('asks the provider before retrying a send that may have reached it', async () => {
    const lead = await newLead();
    const timeout = new TransientError('Twilio timed out');
    const original = sms.send.bind(sms);
    // The provider takes the text but the answer is lost on the way back.
    sms.send = async (m) => {
      await original(m);
      throw timeout;
    };
    await expect(messenger().send(text(lead))).rejects.toBe(timeout);
    sms.send = original;
    const outcome = await messenger().send(text(lead));
    expect(outcome.status).toBe('sent');
    expect(sms.sent).toHaveLength(1);
  });

  it('checks the opt-out again before resuming a send a crash interrupted', async () => {
    const lead = await newLead();
    await claimedBy(lead, `Hello ${lead.leadId}`, now);
    // The lead texted STOP while the crashed attempt's claim was running out.
    await store.setOptOut({
      contact: lead.phone!,
      optedOut: true,
      at: now.toISOString(),
      channel: 'sms',
      messageId: 'stop-during-crash',
    });
    now = new Date(now.getTime() + 60_000);
    expect(await messenger().send(text(lead))).toEqual({
      status: 'suppressed',
      reason: 'the contact opted out',
    });
    expect(sms.sent).toHaveLength(0);
    expect((await store.getMessage(lead.leadId, `out-in-${lead.leadId}`))?.status).toBe('suppressed');
  });

  describe('consent', () => {
    /** The lead texts STOP (or START) at `now`, as qualify records it. */
    const consentFrom = async (
      lead: Lead,
      action: 'opt_out' | 'opt_in',
      messageId: string,
      options: { answeredByProvider?: boolean } = {},
    ) =>
      recordConsentSignal(store, {
        contact: lead.phone!,
        channel: 'sms',
        action,
        signal: options.answeredByProvider ? 'twilio-opt-out-type' : 'keyword',
        detail: 'test',
        at: now.toISOString(),
        messageId,
        leadId: lead.leadId,
        ...options,
      });

    const confirmation = (
      lead: Lead,
      answering: string,
      kind: 'opt-out-confirmation' | 'opt-in-confirmation' = 'opt-out-confirmation',
    ): OutboundText => ({
      lead,
      channel: 'sms',
      kind,
      purpose: kind,
      answering,
      answeredAt: now.toISOString(),
      text: kind === 'opt-out-confirmation' ? 'You are unsubscribed.' : 'You are subscribed again.',
    });

    it('sends the one opt-out confirmation at once, even under strict quiet hours at night', async () => {
      const lead = await newLead();
      await consentFrom(lead, 'opt_out', 'stop-1');
      const outcome = await messenger(strictProfile).send(confirmation(lead, 'stop-1'));
      expect(outcome.status).toBe('sent');
      expect(sms.sent).toEqual([{ to: lead.phone, body: 'You are unsubscribed.' }]);
    });

    it('confirms a second STOP with nothing', async () => {
      const lead = await newLead();
      await consentFrom(lead, 'opt_out', 'stop-a');
      await messenger().send(confirmation(lead, 'stop-a'));
      now = new Date(now.getTime() + 60_000);
      await consentFrom(lead, 'opt_out', 'stop-b');
      const second = await messenger().send(confirmation(lead, 'stop-b'));
      expect(second).toEqual({
        status: 'suppressed',
        reason: 'already confirmed: the opt-out came with stop-a',
      });
      expect(sms.sent).toHaveLength(1);
    });

    it('sends nothing when Twilio Advanced Opt-Out answered the STOP already', async () => {
      const lead = await newLead();
      await consentFrom(lead, 'opt_out', 'stop-twilio', { answeredByProvider: true });
      const outcome = await messenger().send(confirmation(lead, 'stop-twilio'));
      expect(outcome).toEqual({
        status: 'suppressed',
        reason: 'Twilio Advanced Opt-Out already answered the lead',
      });
      expect(sms.sent).toHaveLength(0);
    });

    it('drops a confirmation that could only go more than five minutes after the STOP', async () => {
      const lead = await newLead();
      await consentFrom(lead, 'opt_out', 'stop-late');
      const late = {
        ...confirmation(lead, 'stop-late'),
        answeredAt: new Date(now.getTime() - 6 * 60_000).toISOString(),
      };
      const outcome = await messenger().send(late);
      expect(outcome).toMatchObject({
        status: 'suppressed',
        reason: expect.stringContaining('64.1200(a)(12)'),
      });
      expect(sms.sent).toHaveLength(0);
    });

    it('resumes after a START with one confirmation, and a second START gets none', async () => {
      now = MORNING;
      const lead = await newLead();
      await consentFrom(lead, 'opt_out', 'stop-x');
      now = new Date(MORNING.getTime() + 60_000);
      await consentFrom(lead, 'opt_in', 'start-1');
      expect((await messenger().send(confirmation(lead, 'start-1', 'opt-in-confirmation'))).status).toBe(
        'sent',
      );
      now = new Date(MORNING.getTime() + 120_000);
      await consentFrom(lead, 'opt_in', 'start-2');
      expect(await messenger().send(confirmation(lead, 'start-2', 'opt-in-confirmation'))).toMatchObject({
        status: 'suppressed',
      });
      expect((await messenger().send(text(lead))).status).toBe('sent');
      expect(sms.sent.map((s) => s.body)).toEqual(['You are subscribed again.', `Hello ${lead.leadId}`]);
    });

    it("keeps every suppressed send in the contact's consent ledger, with its reason", async () => {
      const lead = await newLead();
      await consentFrom(lead, 'opt_out', 'stop-ledger');
      await messenger().send(text(lead));
      const ledger = await store.getConsentLedger(lead.phone!);
      expect(ledger.map((e) => [e.event, e.effect])).toEqual([
        ['opt_out', 'opted_out'],
        ['send_suppressed', 'suppressed'],
      ]);
      expect(ledger[1]).toMatchObject({
        detail: 'the contact opted out',
        purpose: 'first-reply',
        text: `Hello ${lead.leadId}`,
        leadId: lead.leadId,
      });
    });
  });
});
