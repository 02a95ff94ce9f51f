import { describe, expect, it } from 'vitest';
import {
  BookingPageEventReceived,
  CallMissed,
  ConversationStageChanged,
  FollowUpDue,
  FollowUpSent,
  HelpRequested,
  LeadMessageReceived,
  LeadOptedIn,
  LeadOptedOut,
  LeadQualified,
  LeadRouted,
  LeadScored,
  LeadSyncedToCrm,
  MeetingBooked,
  MeetingCancelled,
  MeetingNoShowReported,
  MeetingReminderDue,
  MeetingSlotsOffered,
  MissedCallHandled,
  ReplySent,
  RepMessageReceived,
  RepNotified,
  RepResponded,
  RepResponseDue,
  RepResponseMissed,
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
    ['a qualified new lead', sampleEnvelope(LeadQualified), ['conversation', 'score']],
    ['a qualified reply', sampleEnvelope(LeadQualified, { intent: 'reply' }), ['conversation', 'score']],
    ['spam', sampleEnvelope(LeadQualified, { intent: 'spam' }), []],
    ['a wrong number', sampleEnvelope(LeadQualified, { intent: 'wrong_number' }), []],
    ['an automatic reply', sampleEnvelope(LeadQualified, { intent: 'auto_reply' }), []],
    // A lead that needs a person is routed to a rep first; notify alerts the rep it was routed to.
    ['a lead turning hot', sampleEnvelope(LeadScored), ['auto-respond', 'conversation', 'crm-sync', 'route']],
    [
      'an emergency in a lead that was hot already',
      sampleEnvelope(LeadScored, { previousGrade: 'hot', emergency: true }),
      ['auto-respond', 'conversation', 'crm-sync', 'route'],
    ],
    [
      'a lead that was hot already',
      sampleEnvelope(LeadScored, { previousGrade: 'hot' }),
      ['auto-respond', 'conversation', 'crm-sync'],
    ],
    [
      'a warm lead',
      sampleEnvelope(LeadScored, { grade: 'warm', score: 50 }),
      ['auto-respond', 'conversation', 'crm-sync'],
    ],
    [
      'a lead asking for a meeting',
      sampleEnvelope(LeadScored, { meeting: 'requested', grade: 'warm' }),
      ['calendar', 'conversation', 'crm-sync'],
    ],
    [
      'a lead picking a slot',
      sampleEnvelope(LeadScored, { meeting: 'slot-chosen', grade: 'warm' }),
      ['calendar', 'conversation', 'crm-sync'],
    ],
    ['slots offered', sampleEnvelope(MeetingSlotsOffered), ['auto-respond', 'conversation']],
    [
      'a meeting booked on the calendar',
      sampleEnvelope(MeetingBooked),
      ['auto-respond', 'conversation', 'crm-sync', 'notify'],
    ],
    [
      'a meeting booked on a booking page (which confirms it itself)',
      sampleEnvelope(MeetingBooked, { bookedVia: 'calendly' }),
      ['conversation', 'crm-sync', 'notify'],
    ],
    [
      'a meeting cancelled',
      sampleEnvelope(MeetingCancelled, { reason: 'cancelled', bookedVia: 'calendar' }),
      ['auto-respond', 'conversation', 'crm-sync', 'notify'],
    ],
    [
      'a meeting moved (answered with new times instead)',
      sampleEnvelope(MeetingCancelled, { reason: 'rescheduled', bookedVia: 'calendar' }),
      ['conversation', 'crm-sync', 'notify'],
    ],
    [
      'an opt-out (the rep who has the lead is told)',
      sampleEnvelope(LeadOptedOut),
      ['auto-respond', 'conversation', 'crm-sync', 'notify'],
    ],
    ['an opt-in', sampleEnvelope(LeadOptedIn), ['auto-respond', 'conversation']],
    ['a HELP', sampleEnvelope(HelpRequested), ['auto-respond']],
    ['a reply sent', sampleEnvelope(ReplySent), ['conversation', 'crm-sync']],
    ['a missed call', sampleEnvelope(CallMissed), ['missed-call']],
    ['a missed call handled', sampleEnvelope(MissedCallHandled), ['notify']],
    ['a booking page event', sampleEnvelope(BookingPageEventReceived), ['calendar']],
    ['a stage change', sampleEnvelope(ConversationStageChanged), ['crm-sync']],
    ['a follow-up due', sampleEnvelope(FollowUpDue), ['conversation']],
    ['a follow-up sent', sampleEnvelope(FollowUpSent), []],
    ['a meeting reminder due', sampleEnvelope(MeetingReminderDue), ['conversation']],
    ['a CRM sync', sampleEnvelope(LeadSyncedToCrm), []],
    ['a rep alerted about a hot lead (the response clock starts)', sampleEnvelope(RepNotified), ['route']],
    ['a rep alerted about a booked meeting', sampleEnvelope(RepNotified, { reason: 'meeting-booked' }), []],
    ['a lead routed to a rep', sampleEnvelope(LeadRouted), ['notify']],
    ['a rep’s response time running out', sampleEnvelope(RepResponseDue), ['route']],
    ['a rep’s response missed (the manager is told)', sampleEnvelope(RepResponseMissed), ['notify']],
    ['a rep’s text back', sampleEnvelope(RepMessageReceived), ['route']],
    ['a rep’s acknowledgement', sampleEnvelope(RepResponded), []],
    ['a rep taking over', sampleEnvelope(RepResponded, { response: 'took-over' }), ['conversation']],
    [
      'a rep taking over a lead routed to another rep (who is told)',
      sampleEnvelope(RepResponded, { response: 'took-over', releasedRepId: 'rep-sam' }),
      ['conversation', 'notify'],
    ],
    ['a no-show reported', sampleEnvelope(MeetingNoShowReported), ['conversation']],
  ])('routes %s to the right functions', (_name, envelope, expected) => {
    expect(routedTo(envelope)).toEqual([...expected].sort());
  });

  it('routes nothing from a source it does not own', () => {
    expect(routedTo({ ...sampleEnvelope(LeadScored), source: 'someone.else' })).toEqual([]);
  });
});
