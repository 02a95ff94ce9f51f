import { describe, expect, it } from 'vitest';
import {
  LeadListQuery,
  matchesQuery,
  matchesSearch,
  preview,
  shownStage,
  toLeadRow,
} from '#shared/console/lead-row.ts';
import { speedToLeadByHour } from '#shared/console/speed-to-lead.ts';
import { toThread } from '#shared/console/thread.ts';
import { aLead, aMessage, demoProfile } from '../../support/console.ts';

describe('the lead list', () => {
  it('finds a lead by any usual way of writing its phone number, by name, or by email', () => {
    const lead = aLead({ email: 'maria@example.com' });
    for (const q of [
      '512 555-0123',
      '(512) 555 0123',
      '5550123',
      '+15125550123',
      'maria',
      'LOPEZ',
      'example.com',
    ]) {
      expect(matchesSearch(lead, q), q).toBe(true);
    }
    for (const q of ['Tom', '555-9999', '12', 'gmail']) expect(matchesSearch(lead, q), q).toBe(false);
  });

  it('filters by grade (unscored leads under "none"), stage and channel together', () => {
    const hotSms = aLead({ score: { score: 90, grade: 'hot', reasons: [], at: '' } });
    const unscored = aLead({ channel: 'email', status: 'new' });
    expect(matchesQuery(hotSms, { grade: 'hot', channel: 'sms', stage: 'engaged' })).toBe(true);
    expect(matchesQuery(hotSms, { grade: 'hot', channel: 'email' })).toBe(false);
    expect(matchesQuery(unscored, { grade: 'none', stage: 'new' })).toBe(true);
    expect(matchesQuery(unscored, { grade: 'cold' })).toBe(false);
  });

  it("shows the conversation's stage, spam and wrong numbers as such, and a lead from before stages by its status", () => {
    expect(shownStage(aLead({ status: 'engaged', stage: 'handed_to_rep' }))).toBe('handed_to_rep');
    expect(toLeadRow(aLead({ stage: 'meeting_offered' }), { profile: demoProfile }).stage).toBe(
      'meeting_offered',
    );
    expect(shownStage(aLead({ status: 'spam', stage: 'new' }))).toBe('spam');
    expect(shownStage(aLead({ status: 'booked' }))).toBe('booked');
    const withRep = aLead({ stage: 'handed_to_rep' });
    expect(matchesQuery(withRep, { stage: 'handed_to_rep' })).toBe(true);
    expect(matchesQuery(withRep, { stage: 'engaged' })).toBe(false);
    expect(LeadListQuery.parse({ stage: 'opted_out' }).stage).toBe('opted_out');
  });

  it('refuses a filter value it does not know, naming the field', () => {
    expect(LeadListQuery.safeParse({ grade: 'lukewarm' }).error?.issues[0]?.path).toEqual(['grade']);
    expect(LeadListQuery.safeParse({ limit: '5000' }).success).toBe(false);
    expect(LeadListQuery.parse({})).toEqual({ limit: 50 });
  });

  it("shows the rep's name, speed to lead, the last message cut at a word, and opt-out", () => {
    const row = toLeadRow(aLead({ assignedRepId: 'rep-dana', firstReplyAt: '2026-11-21T15:04:06.250Z' }), {
      lastMessage: aMessage({
        messageId: 'm',
        direction: 'in',
        body: `Hello   there\n${'word '.repeat(60)}`,
      }),
      optOut: { contact: '+15125550123', optedOut: true, at: '', channel: 'sms', messageId: 'm' },
      profile: demoProfile,
    });
    expect(row).toMatchObject({
      rep: { id: 'rep-dana', name: 'Dana Ortiz' },
      speedToLeadMs: 1250,
      optedOut: true,
    });
    expect(row.lastMessage?.text.startsWith('Hello there word')).toBe(true);
    expect(row.lastMessage?.text.endsWith('word…')).toBe(true);
    expect(row.lastMessage!.text.length).toBeLessThanOrEqual(141);
    expect(preview('short')).toBe('short');
  });
});

describe('speed to lead by hour', () => {
  it('puts each lead in the hour of its first reply, with the median and the worst, and empty hours as zero', () => {
    const now = new Date('2026-11-21T15:30:00.000Z');
    const answered = (inbound: string, reply: string) =>
      aLead({ firstInboundAt: inbound, firstReplyAt: reply });
    const points = speedToLeadByHour(
      [
        answered('2026-11-21T15:00:00.000Z', '2026-11-21T15:00:02.000Z'),
        answered('2026-11-21T15:10:00.000Z', '2026-11-21T15:10:04.000Z'),
        answered('2026-11-21T15:20:00.000Z', '2026-11-21T15:20:30.000Z'),
        answered('2026-11-21T13:59:00.000Z', '2026-11-21T14:00:01.000Z'),
        // Before the window, and never answered: left out.
        answered('2026-11-21T10:00:00.000Z', '2026-11-21T10:00:01.000Z'),
        aLead(),
      ],
      3,
      now,
    );
    expect(points).toEqual([
      { hour: '2026-11-21T13:00:00.000Z', leads: 0 },
      { hour: '2026-11-21T14:00:00.000Z', leads: 1, medianMs: 61_000, worstMs: 61_000 },
      { hour: '2026-11-21T15:00:00.000Z', leads: 3, medianMs: 4000, worstMs: 30_000 },
    ]);
  });
});

describe('the conversation', () => {
  it('says in words what became of each outbound message', () => {
    const thread = toThread(
      [
        aMessage({
          messageId: 'c',
          at: '2026-11-21T15:04:08.000Z',
          status: 'suppressed',
          reason: 'the contact opted out',
        }),
        aMessage({ messageId: 'a', at: '2026-11-21T15:04:05.000Z', direction: 'in', status: 'received' }),
        aMessage({
          messageId: 'b',
          status: 'held',
          sendAt: '2026-11-22T14:00:00.000Z',
          reason: 'quiet hours',
        }),
        aMessage({
          messageId: 'd',
          at: '2026-11-21T15:04:09.000Z',
          smsDelivery: { status: 'undelivered', at: '', errorCode: '30006', rank: 5 },
        }),
      ],
      'America/Chicago',
    );
    expect(thread.map((m) => [m.messageId, m.status, m.statusDetail, m.tone])).toEqual([
      ['a', 'received', undefined, 'neutral'],
      ['b', 'held', 'held until Sun Nov 22, 8:00 AM CST (quiet hours)', 'warn'],
      ['c', 'suppressed', 'not sent: the contact opted out', 'bad'],
      ['d', 'undelivered', 'Twilio error 30006', 'bad'],
    ]);
  });
});
