import { describe, expect, it } from 'vitest';
import { decideSendTime, isWithinQuietHours, type QuietHours } from '#shared/domain/quiet-hours.ts';

const federal: QuietHours = { start: '21:00', end: '08:00', strict: false };
const strict: QuietHours = { ...federal, strict: true };
const NY = 'America/New_York';

describe('isWithinQuietHours', () => {
  it.each([
    ['2026-06-10T00:59:00Z', false, '20:59 EDT'],
    ['2026-06-10T01:00:00Z', true, '21:00 EDT'],
    ['2026-06-10T04:00:00Z', true, 'midnight EDT'],
    ['2026-06-10T11:59:00Z', true, '07:59 EDT'],
    ['2026-06-10T12:00:00Z', false, '08:00 EDT'],
    ['2026-06-10T17:00:00Z', false, '13:00 EDT'],
  ])('at %s is %s (%s) for a window that wraps midnight', (iso, expected) => {
    expect(isWithinQuietHours(new Date(iso), NY, federal)).toBe(expected);
  });

  it('handles a window that does not wrap midnight', () => {
    const lunch = { start: '12:00', end: '13:00' };
    expect(isWithinQuietHours(new Date('2026-06-10T16:30:00Z'), NY, lunch)).toBe(true);
    expect(isWithinQuietHours(new Date('2026-06-10T17:00:00Z'), NY, lunch)).toBe(false);
    expect(isWithinQuietHours(new Date('2026-06-10T02:00:00Z'), NY, lunch)).toBe(false);
  });

  it('treats an empty window (start equals end) as no quiet hours', () => {
    expect(isWithinQuietHours(new Date('2026-06-10T04:00:00Z'), NY, { start: '21:00', end: '21:00' })).toBe(
      false,
    );
  });

  it("reads the clock in the lead's zone, not the server's", () => {
    const instant = new Date('2026-06-10T03:30:00Z'); // 23:30 in New York, 20:30 in Los Angeles
    expect(isWithinQuietHours(instant, NY, federal)).toBe(true);
    expect(isWithinQuietHours(instant, 'America/Los_Angeles', federal)).toBe(false);
  });
});

describe('decideSendTime', () => {
  it('sends a direct reply at once even at night', () => {
    const now = new Date('2026-06-10T03:30:00Z');
    expect(decideSendTime({ now, timeZone: NY, quietHours: federal, kind: 'reply' })).toEqual({
      sendNow: true,
    });
  });

  it('holds even a direct reply until 8am when quiet hours are strict', () => {
    const now = new Date('2026-06-10T03:30:00Z'); // 23:30 EDT
    expect(decideSendTime({ now, timeZone: NY, quietHours: strict, kind: 'reply' })).toEqual({
      sendNow: false,
      sendAt: new Date('2026-06-10T12:00:00Z'),
    });
  });

  it("holds an initiated text sent before midnight until 8am the next day in the lead's time zone", () => {
    const now = new Date('2026-06-10T03:30:00Z'); // Tue 23:30 EDT
    expect(decideSendTime({ now, timeZone: NY, quietHours: federal, kind: 'initiated' })).toEqual({
      sendNow: false,
      sendAt: new Date('2026-06-10T12:00:00Z'),
    });
  });

  it('holds an initiated text sent after midnight until 8am the same day', () => {
    const now = new Date('2026-06-10T07:00:00Z'); // 03:00 EDT
    const decision = decideSendTime({ now, timeZone: NY, quietHours: federal, kind: 'initiated' });
    expect(decision).toEqual({ sendNow: false, sendAt: new Date('2026-06-10T12:00:00Z') });
  });

  it('sends an initiated text at once during the day', () => {
    const now = new Date('2026-06-10T15:00:00Z');
    expect(decideSendTime({ now, timeZone: NY, quietHours: strict, kind: 'initiated' })).toEqual({
      sendNow: true,
    });
  });

  it('uses the window end the business configured (a stricter 9am state)', () => {
    const now = new Date('2026-06-10T12:30:00Z'); // 07:30 CDT in Texas
    const decision = decideSendTime({
      now,
      timeZone: 'America/Chicago',
      quietHours: { start: '21:00', end: '09:00', strict: false },
      kind: 'initiated',
    });
    expect(decision).toEqual({ sendNow: false, sendAt: new Date('2026-06-10T14:00:00Z') });
  });

  describe('across DST changes in New York', () => {
    it.each([
      ['the evening before spring-forward', '2026-03-08T04:00:00Z', '2026-03-08T12:00:00Z'],
      ['the night of spring-forward, before the change', '2026-03-08T06:30:00Z', '2026-03-08T12:00:00Z'],
      ['the night of spring-forward, after the change', '2026-03-08T07:30:00Z', '2026-03-08T12:00:00Z'],
      ['the evening before fall-back', '2026-11-01T02:00:00Z', '2026-11-01T13:00:00Z'],
      ['the first 1:30 of fall-back night', '2026-11-01T05:30:00Z', '2026-11-01T13:00:00Z'],
      ['the second 1:30 of fall-back night', '2026-11-01T06:30:00Z', '2026-11-01T13:00:00Z'],
    ])('holds an initiated text sent %s until 8am local', (_label, now, expected) => {
      const decision = decideSendTime({
        now: new Date(now),
        timeZone: NY,
        quietHours: federal,
        kind: 'initiated',
      });
      expect(decision).toEqual({ sendNow: false, sendAt: new Date(expected) });
    });

    it('starts quiet hours at 9pm EDT on the evening of spring-forward day (01:00Z, not 02:00Z)', () => {
      expect(isWithinQuietHours(new Date('2026-03-09T00:59:00Z'), NY, federal)).toBe(false);
      expect(isWithinQuietHours(new Date('2026-03-09T01:00:00Z'), NY, federal)).toBe(true);
    });
  });
});
