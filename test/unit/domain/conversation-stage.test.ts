import { describe, expect, it } from 'vitest';
import { followsUp, followsUpLead, nextStage } from '#shared/domain/conversation/stage.ts';

describe('a conversation’s stage, whatever order its events arrive in', () => {
  it('moves forward on automatic steps and never back on a late one', () => {
    expect(nextStage(undefined, { type: 'reply-sent' })).toBe('engaged');
    expect(nextStage('engaged', { type: 'lead-scored', grade: 'hot' })).toBe('qualified');
    expect(nextStage('qualified', { type: 'slots-offered' })).toBe('meeting_offered');
    // A reply sent before the slots, read after them.
    expect(nextStage('meeting_offered', { type: 'reply-sent' })).toBe('meeting_offered');
    expect(nextStage('booked', { type: 'lead-scored', grade: 'cold' })).toBe('booked');
  });

  it('keeps a moved meeting booked when the new booking was read before the old one’s cancellation', () => {
    // Cal.com BOOKING_RESCHEDULED: Meeting Booked (new time) and Meeting Cancelled (rescheduled) at once.
    const afterNew = nextStage('booked', { type: 'meeting-booked' }, { meetingAhead: true });
    expect(nextStage(afterNew, { type: 'meeting-moved' }, { meetingAhead: true })).toBe('booked');
    // The other order.
    const afterMove = nextStage('booked', { type: 'meeting-moved' }, { meetingAhead: true });
    expect(nextStage(afterMove, { type: 'meeting-booked' }, { meetingAhead: true })).toBe('booked');
  });

  it('moves back only when no meeting is left ahead', () => {
    expect(nextStage('booked', { type: 'meeting-moved' }, { meetingAhead: false })).toBe('meeting_offered');
    expect(nextStage('booked', { type: 'meeting-cancelled' }, { meetingAhead: false })).toBe('qualified');
    expect(nextStage('booked', { type: 'meeting-cancelled' }, { meetingAhead: true })).toBe('booked');
    expect(nextStage('booked', { type: 'no-show' }, { meetingAhead: false })).toBe('qualified');
  });

  it('books nothing on a booking read after its own cancellation', () => {
    expect(nextStage('qualified', { type: 'meeting-booked' }, { meetingAhead: false })).toBe('qualified');
    expect(nextStage('qualified', { type: 'meeting-booked' }, { meetingAhead: true })).toBe('booked');
  });

  it('lets an opt-out outrank everything and a rep’s takeover hold against a booking', () => {
    expect(nextStage('booked', { type: 'opted-out' })).toBe('opted_out');
    expect(nextStage('opted_out', { type: 'meeting-booked' }, { meetingAhead: true })).toBe('opted_out');
    expect(nextStage('opted_out', { type: 'opted-in' })).toBe('engaged');
    expect(nextStage('handed_to_rep', { type: 'meeting-booked' }, { meetingAhead: true })).toBe(
      'handed_to_rep',
    );
    expect(followsUp('booked')).toBe(false);
    expect(followsUp('meeting_offered')).toBe(true);
  });
});

describe('who follows up a quiet lead', () => {
  it('is Leadline only while no person has the lead', () => {
    expect(followsUpLead({ stage: 'qualified' })).toBe(true);
    // Routed to a rep (hot, an emergency): the lead was told someone will call.
    expect(
      followsUpLead({
        stage: 'qualified',
        routing: { repId: 'rep-a' } as NonNullable<Parameters<typeof followsUpLead>[0]['routing']>,
      }),
    ).toBe(false);
    expect(
      followsUpLead({
        stage: 'qualified',
        handedToRep: { repId: 'rep-a', at: '2026-12-01T17:00:00.000Z', messageId: 'sms-1' },
      }),
    ).toBe(false);
    expect(followsUpLead({ stage: 'booked' })).toBe(false);
  });
});
