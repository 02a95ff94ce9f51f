import { describe, expect, it } from 'vitest';
import { LeadMessageReceived, LeadQualified, LeadScored } from '#events/catalog.ts';
import type { EventDefinition } from '#events/envelope.ts';
import { sampleDetail } from '#events/samples.ts';
import { DynamoLeadHistory } from '#shared/adapters/aws/dynamo-lead-history.ts';
import { SandboxCrm } from '#shared/adapters/sandbox/sandbox-crm.ts';
import { SandboxOutbox } from '#shared/adapters/sandbox/sandbox-outbox.ts';
import { SandboxEmailSender, SandboxSmsSender } from '#shared/adapters/sandbox/sandbox-senders.ts';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import { leadIdForContact } from '#shared/domain/contact.ts';
import { blankQualification, type Qualification } from '#shared/domain/qualification.ts';
import { LeadMessenger } from '#shared/messaging/lead-messenger.ts';
import type { Qualifier } from '#shared/ports/qualifier.ts';
import type { ReplyDrafter } from '#shared/ports/reply-drafter.ts';
import { respond } from '../../functions/auto-respond/respond.ts';
import { syncLead } from '../../functions/crm-sync/sync-lead.ts';
import { qualifyMessage } from '../../functions/qualify/qualify-message.ts';
import { scoreQualifiedLead } from '../../functions/score/score-lead.ts';
import { toRecordedEvent } from '../../functions/timeline/record-event.ts';
import { TEST_TABLES, useTestLeadStore } from '../support/dynamo.ts';
import { invoked } from '../support/lambda.ts';

const profile = BusinessProfile.parse(demoBusinessProfile);

/** Every event published, with its detail, in order. */
const recordingPublisher = () => {
  const published: Array<{ detailType: string; detail: unknown }> = [];
  return {
    published,
    publish: async (event: EventDefinition, detail: unknown) =>
      void published.push({ detailType: event.detailType, detail }),
  };
};

/** A model that reads every message as `qualification` says, and counts how often it was asked. */
const model = (qualification: Partial<Qualification>) => {
  const calls = { count: 0 };
  const qualifier: Qualifier = {
    qualify: async () => {
      calls.count++;
      return { qualification: blankQualification(qualification), qualifiedBy: 'openai' };
    },
  };
  return { qualifier, calls };
};

const received = (from: string, body: string) =>
  LeadMessageReceived.schema.parse(
    sampleDetail(LeadMessageReceived, {
      from,
      leadId: leadIdForContact(from),
      messageId: `sms-${from}`,
      correlationId: `sms-${from}`,
      body,
      receivedAt: new Date().toISOString(),
    }),
  );

/**
 * Issue 13's kinds: the functions that keep no idempotency record (two writes an event) because
 * their own conditional writes already make a second delivery of a fact change nothing but
 * announcing the same outcome again.
 */
describe('functions that dedupe by their own writes, against DynamoDB', () => {
  const db = useTestLeadStore();

  it('qualify reads a redelivered message once and announces the same Lead Qualified again', async () => {
    const message = received('+15125550601', 'My water heater is leaking, can someone come this week?');
    const { qualifier, calls } = model({ intent: 'new_lead', service: 'Water heater', wantsMeeting: true });
    const publisher = recordingPublisher();
    const deps = { store: db.store, qualifier, publisher, profile };

    const first = await qualifyMessage(message, deps);
    const leadAfterFirst = await db.store.getLead(message.leadId);
    const again = await qualifyMessage(message, deps);

    expect(calls.count).toBe(1);
    expect(first.repeated).toBeUndefined();
    expect(again).toMatchObject({ intent: first.intent, isNewLead: first.isNewLead, repeated: true });
    expect(publisher.published.map((p) => p.detailType)).toEqual(['Lead Qualified', 'Lead Qualified']);
    expect(publisher.published[1]?.detail).toEqual(publisher.published[0]?.detail);
    // Nothing written on the second delivery: the lead is as the first left it.
    expect((await db.store.getLead(message.leadId))?.version).toBe(leadAfterFirst?.version);
  });

  it('qualify keeps the first reading when two deliveries of a message are read at once', async () => {
    const message = received('+15125550602', 'Can you come Tuesday to look at the drain?');
    const publisher = recordingPublisher();
    // Two readings that disagree (a model is not deterministic): both deliveries announce one.
    const results = await Promise.all([
      qualifyMessage(message, {
        store: db.store,
        qualifier: model({ intent: 'new_lead', wantsMeeting: true }).qualifier,
        publisher,
        profile,
      }),
      qualifyMessage(message, {
        store: db.store,
        qualifier: model({ intent: 'new_lead', wantsMeeting: false }).qualifier,
        publisher,
        profile,
      }),
    ]);
    expect(results.map((r) => r.intent)).toEqual(['new_lead', 'new_lead']);
    const [one, two] = publisher.published.map((p) => p.detail as { meeting: string });
    expect(one?.meeting).toBe(two?.meeting);
    const stored = (await db.store.getMessages(message.leadId)).find(
      (m) => m.messageId === message.messageId,
    );
    expect(stored?.reading?.announced).toMatchObject({ event: 'Lead Qualified', meeting: one?.meeting });
  });

  it('score announces the same score for a redelivered Lead Qualified and writes nothing', async () => {
    const message = received('+15125550603', 'Burst pipe flooding the kitchen, Austin, please come now');
    const qualifying = recordingPublisher();
    await qualifyMessage(message, {
      store: db.store,
      qualifier: model({ intent: 'new_lead', urgency: 'emergency', service: 'Leak repair' }).qualifier,
      publisher: qualifying,
      profile,
    });
    const qualified = LeadQualified.schema.parse(qualifying.published[0]?.detail);
    const publisher = recordingPublisher();

    const first = await scoreQualifiedLead(qualified, { store: db.store, publisher, profile });
    const version = (await db.store.getLead(message.leadId))?.version;
    const again = await scoreQualifiedLead(qualified, { store: db.store, publisher, profile });

    expect(again).toMatchObject({ score: first.score, grade: first.grade, repeated: true });
    expect(publisher.published[1]?.detail).toEqual(publisher.published[0]?.detail);
    expect(publisher.published[0]?.detail).toMatchObject({ previousGrade: 'none' });
    expect((await db.store.getLead(message.leadId))?.version).toBe(version);
  });

  it('auto-respond reports the answer a redelivery finds, composing nothing and sending nothing again', async () => {
    const message = received('+15125550604', 'Do you install tankless water heaters?');
    const qualifying = recordingPublisher();
    await qualifyMessage(message, {
      store: db.store,
      qualifier: model({ intent: 'new_lead', service: 'Water heater' }).qualifier,
      publisher: qualifying,
      profile,
    });
    const scoring = recordingPublisher();
    await scoreQualifiedLead(LeadQualified.schema.parse(qualifying.published[0]?.detail), {
      store: db.store,
      publisher: scoring,
      profile,
    });
    const trigger = {
      detailType: 'Lead Scored' as const,
      detail: LeadScored.schema.parse(scoring.published[0]?.detail),
    };
    const outbox = new SandboxOutbox(db.dynamo.documents, TEST_TABLES.leads);
    const drafts = { count: 0 };
    const drafter: ReplyDrafter = {
      draft: async () => {
        drafts.count++;
        return { text: 'Yes, we install tankless water heaters. What town are you in?', factsUsed: [] };
      },
    };
    const publisher = recordingPublisher();
    const deps = {
      store: db.store,
      messenger: invoked(
        new LeadMessenger({
          store: db.store,
          sms: new SandboxSmsSender(outbox),
          email: new SandboxEmailSender(outbox),
          profile,
          identity: { smsNumber: '+15125550100', emailFrom: 'hello@leadline.example' },
        }),
      ),
      publisher,
      profile,
      drafter,
    };

    const first = await respond(trigger, deps);
    const again = await respond(trigger, deps);

    expect(first.status).toBe('sent');
    expect(again).toMatchObject({ status: 'sent', repeated: true, composedBy: first.composedBy });
    expect(drafts.count).toBe(1);
    expect((await outbox.list({ kind: 'sms', to: message.from })).length).toBe(1);
    expect(publisher.published.map((p) => p.detailType)).toEqual(['Reply Sent', 'Reply Sent']);
    // The same fact, the first reply's speed-to-lead included.
    expect(publisher.published[1]?.detail).toEqual(publisher.published[0]?.detail);
    expect(publisher.published[0]?.detail).toHaveProperty('speedToLeadMs');
  });

  it('crm-sync syncs a redelivered trigger into the same record and links the lead to it once', async () => {
    const message = received('+15125550605', 'Need a quote for a new water softener in Austin');
    await qualifyMessage(message, {
      store: db.store,
      qualifier: model({ intent: 'new_lead', service: 'Water softener' }).qualifier,
      publisher: recordingPublisher(),
      profile,
    });
    const outbox = new SandboxOutbox(db.dynamo.documents, TEST_TABLES.leads);
    const crm = new SandboxCrm(db.dynamo.documents, TEST_TABLES.leads, outbox);
    const trigger = {
      detailType: 'Lead Scored',
      detail: { leadId: message.leadId, correlationId: message.correlationId },
    };
    const publisher = recordingPublisher();
    const first = await syncLead(trigger, { store: db.store, crm, publisher });
    const linked = await db.store.getLead(message.leadId);
    const again = await syncLead(trigger, { store: db.store, crm, publisher });

    expect(first).toMatchObject({ created: true });
    expect(again).toMatchObject({ created: false, crmId: (first as { crmId: string }).crmId });
    const after = await db.store.getLead(message.leadId);
    expect(after?.crm).toEqual(linked?.crm);
    expect(after?.version).toBe(linked?.version);
  });

  it('the timeline keeps one item per fact, however often it is delivered or republished', async () => {
    const history = new DynamoLeadHistory(db.dynamo.documents, TEST_TABLES.leads);
    const leadId = leadIdForContact('+15125550606');
    const scored = (eventId: string, time: string) =>
      toRecordedEvent({
        detailType: 'Lead Scored',
        detail: { ...sampleDetail(LeadScored, { leadId }), leadId, correlationId: 'sms-1' },
        eventId,
        time,
        dedupeKey: 'Lead Scored#sms-1',
      });
    const qualified = toRecordedEvent({
      detailType: 'Lead Qualified',
      detail: { ...sampleDetail(LeadQualified, { leadId }), leadId, correlationId: 'sms-1' },
      eventId: 'evt-q',
      time: '2026-11-21T15:04:05Z',
      dedupeKey: 'Lead Qualified#sms-1',
    });
    // A batch holding a fact twice, then a republish of it (a new event id) in a later batch.
    await history.recordAll([
      scored('evt-1', '2026-11-21T15:04:06Z'),
      scored('evt-1', '2026-11-21T15:04:06Z'),
    ]);
    await history.recordAll([qualified, scored('evt-2', '2026-11-21T15:04:09Z')]);

    const events = await history.events(leadId);
    expect(events.map((e) => e.detailType)).toEqual(['Lead Qualified', 'Lead Scored']);
  });
});
