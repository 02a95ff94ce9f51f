import { describe, expect, it } from 'vitest';
import { recordConsentSignal } from '#shared/compliance/consent-record.ts';
import { buildConsentReport, timelineToCsv } from '#shared/compliance/consent-report.ts';
import { leadIdForContact } from '#shared/domain/contact.ts';
import { useTestLeadStore } from '../support/dynamo.ts';

describe('the consent ledger and opt-out state, against DynamoDB', () => {
  const db = useTestLeadStore();

  const signal = (contact: string, action: 'opt_out' | 'opt_in', messageId: string, at: string) =>
    recordConsentSignal(db.store, {
      contact,
      channel: 'sms',
      action,
      signal: 'keyword',
      detail: `keyword:${action === 'opt_out' ? 'stop' : 'start'}`,
      at,
      messageId,
      text: action === 'opt_out' ? 'STOP' : 'START',
    });

  it('keeps the first STOP as the state a second STOP cannot take over', async () => {
    const phone = '+15125550501';
    expect((await signal(phone, 'opt_out', 'm1', '2026-11-24T10:00:00.000Z')).effect).toBe('opted_out');
    expect((await signal(phone, 'opt_out', 'm2', '2026-11-24T10:01:00.000Z')).effect).toBe('unchanged');
    expect(await db.store.getOptOut(phone)).toMatchObject({
      optedOut: true,
      messageId: 'm1',
      signal: 'keyword',
    });
    // A retry of the first reports what it did, and writes its ledger line once.
    expect((await signal(phone, 'opt_out', 'm1', '2026-11-24T10:00:00.000Z')).effect).toBe('opted_out');
    expect((await db.store.getConsentLedger(phone)).map((e) => [e.messageId, e.effect])).toEqual([
      ['m1', 'opted_out'],
      ['m2', 'unchanged'],
    ]);
  });

  it('leaves a later state alone when an older signal arrives late', async () => {
    const phone = '+15125550502';
    await signal(phone, 'opt_in', 'start-late', '2026-11-24T11:00:00.000Z');
    expect((await signal(phone, 'opt_out', 'stop-early', '2026-11-24T10:00:00.000Z')).effect).toBe(
      'unchanged',
    );
    expect(await db.store.getOptOut(phone)).toMatchObject({ optedOut: false, messageId: 'start-late' });
  });

  it('completes a state the webhook put in force with what qualify knows (Twilio answered)', async () => {
    const phone = '+15125550503';
    await db.store.setOptOut({
      contact: phone,
      optedOut: true,
      at: '2026-11-24T10:00:00.000Z',
      channel: 'sms',
      messageId: 'sms-SM1',
    });
    const { effect } = await recordConsentSignal(db.store, {
      contact: phone,
      channel: 'sms',
      action: 'opt_out',
      signal: 'twilio-opt-out-type',
      detail: 'Twilio Advanced Opt-Out: OptOutType=STOP',
      at: '2026-11-24T10:00:00.000Z',
      messageId: 'sms-SM1',
      answeredByProvider: true,
    });
    expect(effect).toBe('opted_out');
    expect(await db.store.getOptOut(phone)).toMatchObject({
      answeredByProvider: true,
      signal: 'twilio-opt-out-type',
    });
  });

  it("builds a contact's report: ledger and messages, each text out with its answer and consent", async () => {
    const phone = '+15125550504';
    const leadId = leadIdForContact(phone);
    await db.store.recordInbound({
      leadId,
      contact: phone,
      channel: 'sms',
      phone,
      timeZone: 'America/Chicago',
      message: {
        messageId: 'sms-in-1',
        channel: 'sms',
        body: 'Leak, "urgent", help',
        at: '2026-11-24T09:00:00.000Z',
      },
    });
    await db.store.recordOutbound({
      messageId: 'out-first-reply-sms-in-1',
      leadId,
      channel: 'sms',
      body: 'On our way',
      at: '2026-11-24T09:00:05.000Z',
      status: 'sent',
      purpose: 'first-reply',
      inReplyTo: 'sms-in-1',
    });
    await signal(phone, 'opt_out', 'sms-in-2', '2026-11-24T10:00:00.000Z');

    const report = await buildConsentReport(db.store, phone);
    expect(report.optOut?.optedOut).toBe(true);
    expect(report.timeline.map((r) => r.event)).toEqual(['message_in', 'message_out', 'opt_out']);
    expect(report.timeline[1]?.detail).toBe(
      'answers sms-in-1 received 2026-11-24T09:00:00.000Z; consent: no consent fact recorded before it',
    );
    const csv = timelineToCsv(report.timeline).split('\r\n');
    expect(csv[1]).toContain('"Leak, ""urgent"", help"');
    expect(csv).toHaveLength(5);
  });
});
