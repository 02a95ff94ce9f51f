import { describe, expect, it } from 'vitest';
import {
  HelpRequested,
  LeadMessageReceived,
  LeadOptedIn,
  LeadOptedOut,
  LeadQualified,
  LeadScored,
  LeadSyncedToCrm,
  MeetingBooked,
  MeetingSlotsOffered,
  ReplySent,
  RepNotified,
} from '#events/catalog.ts';
import { allEvents, sampleEnvelope } from '#events/samples.ts';
import { subscribers, visibilityTimeoutSeconds } from '#shared/pipeline.ts';
import { assertValidEventPattern, matchesEventPattern } from '../../../scripts/local/event-pattern.ts';

/** The timeline takes every event (the console's history); the pipeline steps are routed. */
const HISTORY = 'timeline';

const routedTo = (envelope: unknown) =>
  subscribers
    .filter((s) => s.name !== HISTORY && matchesEventPattern(s.pattern as never, envelope))
    .map((s) => s.name)
    .sort();

describe('the event catalog and the topology', () => {
  it('has a sample of every event that its schema accepts', () => {
    for (const event of allEvents) {
      expect(() => sampleEnvelope(event as never)).not.toThrow();
    }
  });

  it("records every event of the catalog in its lead's history", () => {
    const timeline = subscribers.find((s) => s.name === HISTORY)!;
    for (const event of allEvents) {
      expect(
        matchesEventPattern(timeline.pattern as never, sampleEnvelope(event as never)),
        event.detailType,
      ).toBe(true);
    }
  });

  it('declares only valid event patterns and SQS settings AWS accepts', () => {
    for (const subscriber of subscribers) {
      expect(() => assertValidEventPattern(subscriber.pattern)).not.toThrow();
      expect(subscriber.maxReceiveCount).toBeGreaterThanOrEqual(5);
      expect(subscriber.maxConcurrency).toBeGreaterThanOrEqual(2);
      // Lambda takes batches over 10 records only with a batching window of a second or more.
      expect(subscriber.batchSize).toBeLessThanOrEqual(
        subscriber.maxBatchingWindowSeconds >= 1 ? 10_000 : 10,
      );
      expect(visibilityTimeoutSeconds(subscriber)).toBeGreaterThanOrEqual(6 * subscriber.timeoutSeconds);
    }
  });

  it.each([
    ['a new message', sampleEnvelope(LeadMessageReceived), ['qualify']],
    [
      'an MMS with a photo',
      sampleEnvelope(LeadMessageReceived, {
        media: [
          {
            url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1',
            contentType: 'image/jpeg',
          },
        ],
      }),
      ['archive-media', 'qualify'],
    ],
    [
      'an email with an attachment',
      sampleEnvelope(LeadMessageReceived, {
        channel: 'email',
        provider: 'sendgrid',
        from: 'maria@example.com',
        media: [
          { url: 's3:inbound/email/2026/11/21/email-1/attachments/1-photo.jpg', contentType: 'image/jpeg' },
        ],
      }),
      ['qualify'],
    ],
    ['a qualified new lead', sampleEnvelope(LeadQualified), ['score']],
    ['a qualified reply', sampleEnvelope(LeadQualified, { intent: 'reply' }), ['score']],
    ['spam', sampleEnvelope(LeadQualified, { intent: 'spam' }), []],
    ['a wrong number', sampleEnvelope(LeadQualified, { intent: 'wrong_number' }), []],
    ['an automatic reply', sampleEnvelope(LeadQualified, { intent: 'auto_reply' }), []],
    ['a lead turning hot', sampleEnvelope(LeadScored), ['auto-respond', 'crm-sync', 'notify']],
    [
      'a lead that was hot already',
      sampleEnvelope(LeadScored, { previousGrade: 'hot' }),
      ['auto-respond', 'crm-sync'],
    ],
    ['a warm lead', sampleEnvelope(LeadScored, { grade: 'warm', score: 50 }), ['auto-respond', 'crm-sync']],
    [
      'a lead asking for a meeting',
      sampleEnvelope(LeadScored, { meeting: 'requested', grade: 'warm' }),
      ['calendar', 'crm-sync'],
    ],
    [
      'a lead picking a slot',
      sampleEnvelope(LeadScored, { meeting: 'slot-chosen', grade: 'warm' }),
      ['calendar', 'crm-sync'],
    ],
    ['slots offered', sampleEnvelope(MeetingSlotsOffered), ['auto-respond']],
    ['a meeting booked', sampleEnvelope(MeetingBooked), ['auto-respond', 'crm-sync', 'notify']],
    ['an opt-out', sampleEnvelope(LeadOptedOut), ['auto-respond', 'crm-sync']],
    ['an opt-in', sampleEnvelope(LeadOptedIn), ['auto-respond']],
    ['a HELP', sampleEnvelope(HelpRequested), ['auto-respond']],
    ['a reply sent', sampleEnvelope(ReplySent), ['crm-sync']],
    ['a CRM sync', sampleEnvelope(LeadSyncedToCrm), []],
    ['a rep notified', sampleEnvelope(RepNotified), []],
  ])('routes %s to the right functions', (_name, envelope, expected) => {
    expect(routedTo(envelope)).toEqual([...expected].sort());
  });

  it('routes nothing from a source it does not own', () => {
    expect(routedTo({ ...sampleEnvelope(LeadScored), source: 'someone.else' })).toEqual([]);
  });
});
