import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoInboundAcceptance } from '#shared/adapters/aws/dynamo-inbound-acceptance.ts';
import { DynamoLeadStore } from '#shared/adapters/aws/dynamo-lead-store.ts';
import { LeadsTable } from '#shared/adapters/aws/dynamo-table.ts';
import { SandboxCrm } from '#shared/adapters/sandbox/sandbox-crm.ts';
import { SandboxOutbox } from '#shared/adapters/sandbox/sandbox-outbox.ts';
import type { CrmLeadRecord } from '#shared/ports/outbound.ts';
import { startTestDynamo, TEST_TABLES } from '../support/dynamo.ts';

/**
 * What the pipeline's exactly-once guarantees rest on, against DynamoDB: writes to one lead that
 * race never lose each other, a message is stored once under its provider id, and one lead is one
 * CRM record however many syncs run at once.
 */
describe('the leads table under concurrent writers', () => {
  let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
  let store: DynamoLeadStore;
  let acceptance: DynamoInboundAcceptance;

  beforeAll(async () => {
    dynamo = await startTestDynamo();
    store = new DynamoLeadStore(dynamo.documents, TEST_TABLES.leads);
    acceptance = new DynamoInboundAcceptance(new LeadsTable(dynamo.documents, TEST_TABLES.leads));
  });
  afterAll(async () => {
    await dynamo.stop();
  });

  const newLead = async (leadId: string) =>
    store.recordInbound({
      leadId,
      contact: `+1512555${leadId.slice(-4)}`,
      channel: 'sms',
      timeZone: 'America/Chicago',
      message: { messageId: `sms-${leadId}`, channel: 'sms', body: 'Hi', at: new Date().toISOString() },
    });

  it('keeps every fact when several messages of one lead update it at the same moment', async () => {
    await newLead('ld-occ-0001');
    const facts = ['need', 'service', 'location', 'timing', 'budget'] as const;
    await Promise.all(
      facts.map((fact) =>
        store.modifyLead('ld-occ-0001', (lead) => ({ known: { ...lead.known, [fact]: `${fact} told` } })),
      ),
    );
    const lead = await store.getLead('ld-occ-0001');
    expect(lead?.known).toEqual(Object.fromEntries(facts.map((f) => [f, `${f} told`])));
    expect(lead?.version).toBe(facts.length);
  });

  it('keeps every fact when writers start from a lead they read before one another wrote', async () => {
    await newLead('ld-occ-0002');
    const stale = await store.getLead('ld-occ-0002');
    const facts = ['need', 'service', 'location'] as const;
    // Each writes against the lead it read (no read of its own) until another got in first.
    await Promise.all(
      facts.map((fact) =>
        store.modifyLead('ld-occ-0002', (lead) => ({ known: { ...lead.known, [fact]: `${fact} told` } }), {
          current: stale ?? null,
        }),
      ),
    );
    expect((await store.getLead('ld-occ-0002'))?.known).toEqual(
      Object.fromEntries(facts.map((f) => [f, `${f} told`])),
    );
  });

  it('creates a lead once when its first messages are read at the same moment, keeping what each taught', async () => {
    const fresh = {
      leadId: 'ld-new-0001',
      contact: '+15125559001',
      channel: 'sms' as const,
      timeZone: 'America/Chicago',
      status: 'new' as const,
      createdAt: '2026-11-29T10:00:00.000Z',
      updatedAt: '2026-11-29T10:00:00.000Z',
      firstInboundAt: '2026-11-29T10:00:00.000Z',
      known: {},
    };
    await Promise.all(
      (['need', 'location'] as const).map((fact) =>
        store.modifyLead(fresh.leadId, (lead) => ({ known: { ...lead.known, [fact]: `${fact} told` } }), {
          current: null,
          create: fresh,
        }),
      ),
    );
    const conversation = await store.getConversation(fresh.leadId);
    expect(conversation.lead?.known).toEqual({ need: 'need told', location: 'location told' });
    expect(conversation.lead?.version).toBe(2);
  });

  it('reads a lead, its meetings and its messages in one conversation, not its recorded history', async () => {
    await newLead('ld-conv-0001');
    await store.saveMeeting({
      meetingId: 'mtg-1',
      leadId: 'ld-conv-0001',
      start: '2026-12-01T15:00:00.000Z',
      end: '2026-12-01T16:00:00.000Z',
      repId: 'rep-dana',
      calendarEventId: 'evt-1',
      bookedAt: '2026-11-29T10:00:00.000Z',
    });
    await dynamo.documents.send(
      new PutCommand({
        TableName: TEST_TABLES.leads,
        Item: { pk: 'LEAD#ld-conv-0001', sk: 'EVENT#Lead Scored#sms-x', kind: 'event' },
      }),
    );
    const conversation = await store.getConversation('ld-conv-0001');
    expect(conversation.lead?.leadId).toBe('ld-conv-0001');
    expect(conversation.meetings.map((m) => m.meetingId)).toEqual(['mtg-1']);
    expect(conversation.messages.map((m) => m.messageId)).toEqual(['sms-ld-conv-0001']);
    expect(await store.getConversation('ld-conv-none')).toEqual({
      lead: undefined,
      messages: [],
      meetings: [],
      pending: [],
    });
  });

  it('shows a message a webhook is still accepting as pending, not as part of the conversation', async () => {
    await newLead('ld-pend-0001');
    const message = {
      leadId: 'ld-pend-0001',
      messageId: 'sms-SMpending',
      channel: 'sms' as const,
      body: 'and we are in Austin',
      at: new Date().toISOString(),
    };
    await acceptance.claim(message, { now: new Date(), claimMs: 10_000 });
    const accepting = await store.getConversation('ld-pend-0001');
    expect(accepting.messages.map((m) => m.messageId)).toEqual(['sms-ld-pend-0001']);
    expect(accepting.pending.map((m) => m.messageId)).toEqual(['sms-SMpending']);

    await acceptance.markPublished(message);
    const published = await store.getConversation('ld-pend-0001');
    expect(published.messages.map((m) => m.messageId)).toContain('sms-SMpending');
    expect(published.pending).toEqual([]);
  });

  it('keeps the first reading of a message and hands it to a second reader', async () => {
    await newLead('ld-read-0001');
    const ref = { leadId: 'ld-read-0001', messageId: 'sms-ld-read-0001' };
    const first = {
      intent: 'new_lead' as const,
      answer: 'conversation' as const,
      at: '2026-11-29T10:00:00.000Z',
    };
    expect(await store.settleInbound(ref, first)).toEqual(first);
    expect(await store.settleInbound(ref, { ...first, answer: 'action' })).toEqual(first);
    await expect(store.settleInbound({ ...ref, messageId: 'sms-missing' }, first)).rejects.toThrow(
      /not found/,
    );
  });

  it('stores a redelivered message once, under its provider id, with the first receive time', async () => {
    const message = {
      leadId: 'ld-acc-0001',
      messageId: 'sms-SMredelivered',
      channel: 'sms' as const,
      body: 'Hi',
      at: '2026-11-29T10:00:00.000Z',
    };
    const now = new Date('2026-11-29T10:00:00.000Z');
    const first = await acceptance.claim(message, { now, claimMs: 10_000 });
    expect(first.state).toBe('claimed');
    // The provider retries while the first attempt still holds it: not accepted twice, not dropped.
    const during = await acceptance.claim(
      { ...message, at: '2026-11-29T10:00:03.000Z' },
      { now: new Date('2026-11-29T10:00:03.000Z'), claimMs: 10_000 },
    );
    expect(during).toEqual({ state: 'in-progress', until: '2026-11-29T10:00:10.000Z' });
    // The first attempt died; the retry takes it over, keeping the receive time it was accepted with.
    const later = new Date('2026-11-29T10:00:20.000Z');
    const takeover = await acceptance.claim(
      { ...message, at: later.toISOString() },
      { now: later, claimMs: 10_000 },
    );
    expect(takeover).toMatchObject({ state: 'claimed', message: { at: '2026-11-29T10:00:00.000Z' } });
    await acceptance.markPublished(message);
    const repeat = await acceptance.claim(
      { ...message, at: later.toISOString() },
      { now: later, claimMs: 10_000 },
    );
    expect(repeat.state).toBe('published');
    expect((await store.getMessages('ld-acc-0001')).map((m) => m.messageId)).toEqual(['sms-SMredelivered']);
  });

  it('never lets a late or retried STOP undo a START sent after it', async () => {
    const base = { contact: '+15125559001', channel: 'sms' as const };
    await acceptance.setOptOut({
      ...base,
      optedOut: true,
      at: '2026-11-29T10:00:00.000Z',
      messageId: 'stop',
    });
    await acceptance.setOptOut({
      ...base,
      optedOut: false,
      at: '2026-11-29T10:05:00.000Z',
      messageId: 'start',
    });
    await store.setOptOut({ ...base, optedOut: true, at: '2026-11-29T10:00:00.000Z', messageId: 'stop' });
    expect(await store.getOptOut(base.contact)).toMatchObject({ optedOut: false, messageId: 'start' });
  });

  it('makes one CRM record of two syncs of one lead at the same moment', async () => {
    const outbox = new SandboxOutbox(dynamo.documents, TEST_TABLES.leads);
    const crm = new SandboxCrm(dynamo.documents, TEST_TABLES.leads, outbox);
    const record: CrmLeadRecord = {
      externalId: 'ld-crm-0001',
      status: 'new',
      sourceChannel: 'sms',
      optedOut: false,
      conversationLog: [],
      meetings: [],
    };
    const results = await Promise.all([
      crm.upsertLead(record),
      crm.upsertLead({ ...record, status: 'engaged' }),
    ]);
    expect(new Set(results.map((r) => r.crmId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('shows a message while its webhook is accepting it, and hides it once that attempt died unpublished', async () => {
    let now = new Date('2026-11-29T12:00:00.000Z');
    const clocked = new DynamoLeadStore(dynamo.documents, TEST_TABLES.leads, () => now);
    const message = {
      leadId: 'ld-claim-0001',
      messageId: 'sms-SMclaimed',
      channel: 'sms' as const,
      body: 'Hi',
      at: now.toISOString(),
    };
    await acceptance.claim(message, { now, claimMs: 10_000 });
    // Not part of the conversation yet, but pending: an answer to an earlier message of the burst
    // sees it, and waits for it to be read.
    const accepting = await clocked.getConversation('ld-claim-0001');
    expect(accepting.messages).toEqual([]);
    expect(accepting.pending.map((m) => m.messageId)).toEqual(['sms-SMclaimed']);
    expect(await clocked.getMessages('ld-claim-0001')).toEqual([]);
    now = new Date(now.getTime() + 11_000);
    // The attempt died before publishing: the provider will retry it; it is not accepted yet.
    const died = await clocked.getConversation('ld-claim-0001');
    expect(died.messages).toEqual([]);
    expect(died.pending).toEqual([]);
  });

  it('lists each lead once, however often it was updated', async () => {
    await newLead('ld-list-0001');
    await Promise.all(
      Array.from({ length: 5 }, (_, i) => store.updateLead('ld-list-0001', { name: `Name ${i}` })),
    );
    const listed = (await store.listLeads()).filter((l) => l.leadId === 'ld-list-0001');
    expect(listed).toHaveLength(1);
  });
});
