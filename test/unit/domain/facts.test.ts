import { describe, expect, it } from 'vitest';
import { isNewEmergency, mergeFacts, upcomingMeeting } from '#shared/domain/facts.ts';
import { blankQualification } from '#shared/domain/qualification.ts';

const said = (overrides: Parameters<typeof blankQualification>[0]) =>
  blankQualification({ summary: 'x', ...overrides });

describe('mergeFacts', () => {
  it('adds what a later message says and keeps what it does not', () => {
    const first = mergeFacts(
      {},
      said({ need: 'Burst pipe', service: 'Leak repair', urgency: 'emergency', timing: 'urgent' }),
    );
    const second = mergeFacts(first, said({ location: 'Round Rock', timing: 'this_week' }));
    expect(second).toEqual({
      need: 'Burst pipe',
      service: 'Leak repair',
      location: 'Round Rock',
      timing: 'this_week',
      urgency: 'emergency',
      language: 'en',
    });
  });

  it('never lowers the urgency', () => {
    const urgent = mergeFacts({}, said({ urgency: 'urgent' }));
    expect(mergeFacts(urgent, said({ urgency: 'normal' })).urgency).toBe('urgent');
    expect(mergeFacts(urgent, said({ urgency: 'emergency' })).urgency).toBe('emergency');
  });

  it('lets a new fact correct an old one, and follows the language the lead writes in now', () => {
    const known = mergeFacts(
      { location: 'Austin', language: 'en' },
      said({ location: 'Kyle', language: 'es' }),
    );
    expect(known).toMatchObject({ location: 'Kyle', language: 'es' });
  });

  it('tells a newly reported emergency from one known already', () => {
    expect(isNewEmergency({}, said({ urgency: 'emergency' }))).toBe(true);
    expect(isNewEmergency({ urgency: 'emergency' }, said({ urgency: 'emergency' }))).toBe(false);
  });
});

describe('upcomingMeeting', () => {
  const meeting = (start: string, cancelled = false) => ({
    meetingId: start,
    leadId: 'ld',
    start,
    end: new Date(Date.parse(start) + 1_800_000).toISOString(),
    repId: 'rep',
    calendarEventId: 'evt',
    bookedAt: start,
    ...(cancelled && { cancelled: { at: start, messageId: 'm', reason: 'cancelled' as const } }),
  });

  it('is the soonest meeting still ahead that is not cancelled', () => {
    const now = new Date('2026-11-25T16:00:00Z');
    const meetings = [
      meeting('2026-11-20T16:00:00.000Z'),
      meeting('2026-11-27T16:00:00.000Z', true),
      meeting('2026-12-02T16:00:00.000Z'),
      meeting('2026-11-30T16:00:00.000Z'),
    ];
    expect(upcomingMeeting(meetings, now)?.start).toBe('2026-11-30T16:00:00.000Z');
    expect(upcomingMeeting([], now)).toBeUndefined();
  });
});
