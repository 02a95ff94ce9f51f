import { describe, expect, it } from 'vitest';
import {
  LeadMessageReceived,
  LeadOptedOut,
  LeadQualified,
  LeadRouted,
  LeadScored,
  LeadSyncedToCrm,
  MeetingBooked,
  MeetingNoShowReported,
  MeetingSlotsOffered,
  ReplySent,
  RepNotified,
  RepResponded,
  RepResponseMissed,
} from '#events/catalog.ts';
import { bookingLinkOffered } from '#events/samples.ts';
import { buildTimeline } from '#shared/console/timeline.ts';
import type { RecordedEvent } from '#shared/ports/lead-history.ts';
import { toRecordedEvent } from '../../../functions/timeline/record-event.ts';
import { aLead, aMessage, demoProfile, recorded } from '../../support/console.ts';

const SAME_SECOND = '2026-11-21T15:04:06Z';
const timeline = (input: Partial<Parameters<typeof buildTimeline>[0]>) =>
  buildTimeline({
    lead: aLead(),
    events: [],
    messages: [],
    meetings: [],
    consent: [],
    profile: demoProfile,
    ...input,
  });

describe("a lead's timeline", () => {
  it("tells a routed lead's story in words: the rep, the clock, who missed it, who answered", () => {
    const events = [
      recorded(LeadRouted, '2026-11-21T15:04:06Z', { repId: 'rep-dana' }),
      recorded(RepResponseMissed, '2026-11-21T15:09:07Z', { repId: 'rep-dana', nextRepId: 'rep-sam' }),
      recorded(RepNotified, '2026-11-21T15:09:08Z', { repId: 'manager', reason: 'response-missed' }),
      recorded(RepResponded, '2026-11-21T15:10:07Z', { repId: 'rep-sam', response: 'took-over' }),
      recorded(MeetingNoShowReported, '2026-11-23T15:40:00Z', { repId: 'rep-dana' }),
    ];
    expect(timeline({ events }).map((i) => [i.title, ...i.details])).toEqual([
      ['Routed to Dana Ortiz', 'to answer within 5 min'],
      ['Dana Ortiz did not answer in time', 'passed to rep-sam'],
      ['Alerted manager', 'by slack', 'a rep did not answer in time'],
      ['rep-sam took the conversation over: nothing automatic goes to the lead', 'after 1 min 35 s'],
      ['Missed the meeting', 'reported by Dana Ortiz: the lead is offered a new time'],
    ]);
  });

  it('orders the events of one second as the pipeline runs them, whatever order they were stored in', () => {
    const events = [
      recorded(RepNotified, SAME_SECOND),
      recorded(ReplySent, SAME_SECOND),
      recorded(LeadScored, SAME_SECOND),
      recorded(LeadQualified, SAME_SECOND),
      recorded(LeadMessageReceived, '2026-11-21T15:04:05Z'),
    ];
    expect(timeline({ events }).map((i) => i.title)).toEqual([
      'Text received',
      'Qualified: new enquiry',
      'Scored 85 · hot',
      'Replied by text',
      'Alerted Dana Ortiz',
    ]);
  });

  it('keeps what each of two messages of one second caused together, in the order the messages came', () => {
    const second = '2026-11-21T15:04:05Z';
    const of = (correlationId: string, receivedAt?: string) => ({
      correlationId,
      messageId: correlationId,
      ...(receivedAt && { receivedAt }),
    });
    const first = of('sms-SM1', '2026-11-21T15:04:05.100Z');
    const answer = of('sms-SM2', '2026-11-21T15:04:05.800Z');
    const events = [
      recorded(LeadScored, second, { ...of('sms-SM2'), score: 100 }),
      recorded(LeadMessageReceived, second, { ...answer, body: '2' }),
      recorded(LeadQualified, second, { ...of('sms-SM2'), intent: 'reply' }),
      recorded(LeadScored, second, { ...of('sms-SM1'), score: 90 }),
      recorded(LeadQualified, second, of('sms-SM1')),
      recorded(LeadMessageReceived, second, first),
    ].map((event) => ({ ...event, correlationId: String(event.facts.messageId) }));
    expect(timeline({ events }).map((i) => i.title)).toEqual([
      'Text received',
      'Qualified: new enquiry',
      'Scored 90 · hot',
      'Text received',
      'Qualified: reply',
      'Scored 100 · hot',
    ]);
  });

  it('says what qualify decided and by which qualifier, the score with its reasons, and a grade change', () => {
    const [qualified, scored] = timeline({
      events: [
        recorded(LeadQualified, SAME_SECOND, { qualifiedBy: 'openai', meeting: 'requested' }),
        recorded(LeadScored, SAME_SECOND, {
          score: 72,
          grade: 'warm',
          previousGrade: 'cold',
          reasons: ['needs it this week (+15)', 'inside the service area (+10)'],
        }),
      ],
    });
    expect(qualified).toMatchObject({
      title: 'Qualified: new enquiry',
      details: ['by OpenAI (structured output)', 'wants a meeting', 'first message of a new lead'],
    });
    expect(scored).toMatchObject({
      title: 'Scored 72 · warm (was cold)',
      details: ['needs it this week (+15)', 'inside the service area (+10)'],
    });
  });

  it("shows offered slots and the booked meeting in the lead's time zone, with the rep's name", () => {
    const items = timeline({
      events: [recorded(MeetingSlotsOffered, SAME_SECOND), recorded(MeetingBooked, '2026-11-21T15:10:00Z')],
    });
    expect(items[0]).toMatchObject({
      title: 'Offered 2 times',
      details: ['Mon Nov 23, 9:00 AM CST', 'Mon Nov 23, 2:00 PM CST'],
    });
    expect(items[1]).toMatchObject({
      title: 'Meeting booked',
      details: ['Mon Nov 23, 9:00 AM CST with Dana Ortiz'],
      tone: 'good',
    });
  });

  it('links the booking page and the CRM record an event carries, and nothing that is not a web address', () => {
    const salesforce = 'https://brightside.my.salesforce.com/lightning/r/Lead/00Q1/view';
    const [offered, synced, updated] = timeline({
      events: [
        recorded(MeetingSlotsOffered, SAME_SECOND, bookingLinkOffered),
        recorded(LeadSyncedToCrm, SAME_SECOND, { crm: 'salesforce', crmId: '00Q1', recordUrl: salesforce }),
        {
          ...recorded(LeadSyncedToCrm, '2026-11-21T15:04:07Z'),
          facts: { crm: 'salesforce', crmId: '00Q1', created: false, recordUrl: 'javascript:alert(1)' },
        },
      ],
    });
    expect(offered).toMatchObject({
      title: 'Sent the booking link',
      link: { href: bookingLinkOffered.bookingUrl },
    });
    expect(synced).toMatchObject({
      title: 'Created in Salesforce',
      details: ['record 00Q1', 'after: Lead Scored'],
      link: { href: salesforce, label: 'open in the CRM' },
    });
    expect(updated).toMatchObject({ title: 'Updated in Salesforce' });
    expect(updated).not.toHaveProperty('link');
  });

  it('tells what became of outbound messages: held until when, suppressed and why, delivered, bounced', () => {
    const items = timeline({
      messages: [
        aMessage({ messageId: 'in-1', direction: 'in', status: 'received' }),
        aMessage({
          messageId: 'out-held',
          status: 'held',
          sendAt: '2026-11-22T14:00:00.000Z',
          reason: 'quiet hours',
        }),
        aMessage({ messageId: 'out-stop', status: 'suppressed', reason: 'the contact opted out' }),
        aMessage({
          messageId: 'out-ok',
          smsDelivery: { status: 'delivered', at: '2026-11-21T15:04:09.000Z', rank: 5 },
        }),
        aMessage({
          messageId: 'out-mail',
          channel: 'email',
          emailDelivery: {
            status: 'bounced',
            at: '2026-11-21T15:05:00.000Z',
            reason: '550 no such user',
            providerEventId: 'sg-1',
          },
        }),
      ],
    });
    expect(items.map((i) => [i.title, i.details, i.tone])).toEqual([
      ['Text held', ['until Sun Nov 22, 8:00 AM CST', 'quiet hours'], 'warn'],
      ['Text not sent', ['the contact opted out'], 'bad'],
      ['Text delivered', [], 'good'],
      ['Email bounced', ['550 no such user'], 'bad'],
    ]);
  });

  it("shows the consent ledger's entries for the contact when there are any", () => {
    const items = timeline({
      consent: [{ at: '2026-11-21T15:04:05.500Z', action: 'opt-out', channel: 'sms', keyword: 'STOP' }],
      events: [recorded(LeadOptedOut, '2026-11-21T15:04:05Z')],
    });
    expect(items.map((i) => i.title)).toEqual(['Opted out', 'Consent: opt out']);
    expect(items[1]).toMatchObject({
      source: 'consent',
      title: 'Consent: opt out',
      details: ['channel: sms', 'keyword: STOP'],
      tone: 'bad',
    });
  });

  it('shows an event it does not know by its name and plain facts, rather than dropping it', () => {
    const unknown: RecordedEvent = toRecordedEvent({
      detailType: 'Lead Merged',
      detail: { leadId: 'ld_1', correlationId: 'c', into: 'ld_2', nested: { a: 1 } } as never,
      eventId: 'e1',
      time: SAME_SECOND,
    });
    expect(timeline({ events: [unknown] })).toEqual([
      {
        at: '2026-11-21T15:04:06.000Z',
        source: 'event',
        title: 'Lead Merged',
        details: ['into: ld_2'],
        tone: 'neutral',
      },
    ]);
  });

  it('falls back to what the lead item holds for a lead whose history was never recorded', () => {
    const items = timeline({
      lead: aLead({
        qualification: {
          intent: 'new_lead',
          qualifiedBy: 'rules',
          messageId: 'm1',
          at: '2026-11-21T15:04:05.000Z',
        } as never,
        score: { score: 60, grade: 'warm', reasons: ['enquiry (base 20)'], at: '2026-11-21T15:04:06.000Z' },
        crm: { provider: 'hubspot', id: '901', syncedAt: '2026-11-21T15:04:07.000Z' },
      }),
    });
    expect(items.map((i) => [i.source, i.title])).toEqual([
      ['stored', 'Qualified: new enquiry'],
      ['stored', 'Scored 60 · warm'],
      ['stored', 'Updated in HubSpot'],
    ]);
  });
});

describe('recording an event for the timeline', () => {
  it("keeps the event's facts but not the lead's words or the envelope fields", () => {
    const event = recorded(LeadMessageReceived, '2026-11-21T15:04:05Z', {
      subject: 'Leak',
      body: 'My words',
    });
    expect(event).toMatchObject({ leadId: 'ld_0123456789abcdef0123', at: '2026-11-21T15:04:05.000Z' });
    expect(event.facts).toMatchObject({ channel: 'sms', from: '+15125550123' });
    for (const field of ['body', 'subject', 'version', 'leadId', 'correlationId']) {
      expect(event.facts).not.toHaveProperty(field);
    }
  });
});
