import { describe, expect, it } from 'vitest';
import { localTimeFor } from '#shared/compliance/local-time.ts';
import { decideSendTime, type SendPolicy, type SendTimeKind } from '#shared/compliance/send-time.ts';
import type { Lead } from '#shared/ports/lead-store.ts';

const federal: SendPolicy = {
  quietHours: { start: '21:00', end: '08:00', strict: false, liveReplyMinutes: 30 },
};
const strict: SendPolicy = { quietHours: { ...federal.quietHours, strict: true } };
const NY = 'America/New_York';
const inNewYork: Pick<Lead, 'timeZone' | 'localTime'> = { timeZone: NY };

const decide = (
  now: string,
  kind: SendTimeKind,
  options: { lead?: Pick<Lead, 'timeZone' | 'localTime'>; policy?: SendPolicy; answeredAt?: string } = {},
) =>
  decideSendTime({
    now: new Date(now),
    lead: options.lead ?? inNewYork,
    kind,
    profile: options.policy ?? federal,
    ...(options.answeredAt && { answeredAt: options.answeredAt }),
  });

const heldUntil = (decision: ReturnType<typeof decideSendTime>) =>
  decision.action === 'hold' ? decision.sendAt.toISOString() : decision.action;

/** A lead whose phone number is `phone`: its zones and regions come from the area code. */
const withPhone = (phone: string): Pick<Lead, 'timeZone' | 'localTime'> => {
  const localTime = localTimeFor({ phone, businessTimeZone: 'America/Chicago' });
  return { timeZone: localTime.zones[0] ?? 'America/Chicago', localTime };
};

describe('decideSendTime', () => {
  describe('replies to a live conversation', () => {
    it('sends a reply to a message the lead just sent at once, even at night', () => {
      expect(decide('2026-06-10T03:30:00Z', 'reply', { answeredAt: '2026-06-10T03:29:00Z' })).toEqual({
        action: 'send',
      });
    });

    it('holds even a live reply until 8am when quiet hours are strict', () => {
      const decision = decide('2026-06-10T03:30:00Z', 'reply', {
        policy: strict,
        answeredAt: '2026-06-10T03:29:00Z',
      });
      expect(heldUntil(decision)).toBe('2026-06-10T12:00:00.000Z');
    });

    it('treats a reply hours after the lead wrote (a retry, a redrive) as business-initiated', () => {
      // Written 8:50pm EDT, answered 2:30am EDT.
      const decision = decide('2026-06-10T06:30:00Z', 'reply', { answeredAt: '2026-06-10T00:50:00Z' });
      expect(heldUntil(decision)).toBe('2026-06-10T12:00:00.000Z');
      expect(decision).toMatchObject({ reason: expect.stringContaining('the lead wrote 340 minutes ago') });
    });

    it('treats a reply with no message time as business-initiated', () => {
      expect(heldUntil(decide('2026-06-10T06:30:00Z', 'reply'))).toBe('2026-06-10T12:00:00.000Z');
    });

    it('sends a stale reply at once during the day', () => {
      expect(decide('2026-06-10T15:00:00Z', 'reply', { answeredAt: '2026-06-09T15:00:00Z' })).toEqual({
        action: 'send',
      });
    });
  });

  describe('the opt-out confirmation', () => {
    it('goes at once whatever the quiet hours, even strict ones', () => {
      expect(
        decide('2026-06-10T07:00:00Z', 'opt-out-confirmation', {
          policy: strict,
          answeredAt: '2026-06-10T06:59:30Z',
        }),
      ).toEqual({ action: 'send' });
    });

    it('is dropped when it could only go more than five minutes after the opt-out', () => {
      const decision = decide('2026-06-10T07:00:00Z', 'opt-out-confirmation', {
        answeredAt: '2026-06-10T06:50:00Z',
      });
      expect(decision).toMatchObject({ action: 'drop', reason: expect.stringContaining('64.1200(a)(12)') });
    });
  });

  describe('business-initiated texts', () => {
    it("holds a text started before midnight until 8am the next day in the lead's zone", () => {
      const decision = decide('2026-06-10T03:30:00Z', 'initiated');
      expect(heldUntil(decision)).toBe('2026-06-10T12:00:00.000Z');
      expect(decision).toMatchObject({ reason: 'quiet hours 21:00–08:00 (America/New_York)' });
    });

    it('holds a text started after midnight until 8am the same day', () => {
      expect(heldUntil(decide('2026-06-10T07:00:00Z', 'initiated'))).toBe('2026-06-10T12:00:00.000Z');
    });

    it('sends during the day', () => {
      expect(decide('2026-06-10T15:00:00Z', 'initiated', { policy: strict })).toEqual({ action: 'send' });
    });

    it('uses a stricter window the business configured', () => {
      const policy: SendPolicy = { quietHours: { ...federal.quietHours, start: '20:00', end: '09:00' } };
      const decision = decide('2026-06-10T12:30:00Z', 'initiated', {
        lead: { timeZone: 'America/Chicago' },
        policy,
      }); // 07:30 CDT
      expect(heldUntil(decision)).toBe('2026-06-10T14:00:00.000Z');
    });

    it('never lets a looser business window go past the federal 8am-9pm', () => {
      const policy: SendPolicy = { quietHours: { ...federal.quietHours, start: '23:30', end: '06:00' } };
      const decision = decide('2026-06-10T01:30:00Z', 'initiated', { policy }); // 21:30 EDT
      expect(decision).toMatchObject({
        action: 'hold',
        reason: 'US calling hours 08:00–21:00 (America/New_York)',
      });
      expect(heldUntil(decision)).toBe('2026-06-10T12:00:00.000Z');
    });

    describe('across DST changes in New York', () => {
      it.each([
        ['the evening before spring-forward', '2026-03-08T04:00:00Z', '2026-03-08T12:00:00Z'],
        ['the night of spring-forward, before the change', '2026-03-08T06:30:00Z', '2026-03-08T12:00:00Z'],
        ['the night of spring-forward, after the change', '2026-03-08T07:30:00Z', '2026-03-08T12:00:00Z'],
        ['the evening before fall-back', '2026-11-01T02:00:00Z', '2026-11-01T13:00:00Z'],
        ['the first 1:30 of fall-back night', '2026-11-01T05:30:00Z', '2026-11-01T13:00:00Z'],
        ['the second 1:30 of fall-back night', '2026-11-01T06:30:00Z', '2026-11-01T13:00:00Z'],
      ])('holds a text started %s until 8am local', (_label, now, expected) => {
        expect(heldUntil(decide(now, 'initiated'))).toBe(new Date(expected).toISOString());
      });
    });
  });

  describe("in every zone the lead's area code may be in", () => {
    const pensacolaOrTallahassee = withPhone('+18505550123'); // FL 850: Central and Eastern

    it('waits for 8am in the westernmost zone', () => {
      // 07:30 CDT is 08:30 EDT: open in Tallahassee, not yet in Pensacola.
      const decision = decide('2026-06-10T12:30:00Z', 'initiated', { lead: pensacolaOrTallahassee });
      expect(heldUntil(decision)).toBe('2026-06-10T13:00:00.000Z');
      expect(decision).toMatchObject({ reason: expect.stringContaining('America/Chicago') });
    });

    it("stops at Florida's 8pm in the easternmost zone", () => {
      // 19:30 CDT is 20:30 EDT: past Florida's 8pm in Tallahassee.
      const decision = decide('2026-06-11T00:30:00Z', 'initiated', { lead: pensacolaOrTallahassee });
      expect(decision).toMatchObject({ reason: 'US-FL calling hours 08:00–20:00 (America/New_York)' });
      expect(heldUntil(decision)).toBe('2026-06-11T13:00:00.000Z');
    });

    it('texts Honolulu and Los Angeles numbers only in their own mornings', () => {
      // 10:00 CDT on a Wednesday: 08:00 in Los Angeles, 05:00 in Honolulu.
      expect(decide('2026-06-10T15:00:00Z', 'initiated', { lead: withPhone('+12135550123') })).toEqual({
        action: 'send',
      });
      expect(
        heldUntil(decide('2026-06-10T14:59:00Z', 'initiated', { lead: withPhone('+12135550123') })),
      ).toBe('2026-06-10T15:00:00.000Z');
      expect(
        heldUntil(decide('2026-06-10T15:00:00Z', 'initiated', { lead: withPhone('+18085550123') })),
      ).toBe('2026-06-10T18:00:00.000Z');
    });
  });

  describe('state calling rules', () => {
    it("waits for Connecticut's 9am", () => {
      expect(
        heldUntil(decide('2026-06-10T12:30:00Z', 'initiated', { lead: withPhone('+12035550123') })),
      ).toBe('2026-06-10T13:00:00.000Z');
    });

    it.each([
      // Sunday 14 June 2026, 10:00 CDT in Austin.
      [
        'waits for noon on a Texas Sunday',
        '2026-06-14T15:00:00Z',
        '+15125550123',
        'US-TX',
        '2026-06-14T17:00:00.000Z',
      ],
      [
        'sends nothing on an Alabama Sunday and resumes Monday at 8am',
        '2026-06-14T15:00:00Z',
        '+12055550123',
        'Sundays in US-AL',
        '2026-06-15T13:00:00.000Z',
      ],
      // Tuesday 17 February 2026 is Mardi Gras: 10:00 CST in New Orleans.
      [
        'sends nothing on a Louisiana holiday (Mardi Gras) and resumes the next morning',
        '2026-02-17T16:00:00Z',
        '+15045550123',
        'Mardi Gras',
        '2026-02-18T14:00:00.000Z',
      ],
      // Friday 3 July 2026, Independence Day observed, 10:00 CDT in Jackson, MS; Saturday is the
      // holiday itself and Sunday is closed in Mississippi: Monday 8am.
      [
        'keeps a holiday that falls on a Saturday on the Friday before',
        '2026-07-03T15:00:00Z',
        '+16015550123',
        'Independence Day',
        '2026-07-06T13:00:00.000Z',
      ],
    ])('%s', (_label, now, phone, reason, until) => {
      const decision = decide(now, 'initiated', { lead: withPhone(phone) });
      expect(decision).toMatchObject({ reason: expect.stringContaining(reason) });
      expect(heldUntil(decision)).toBe(until);
    });

    it("follows Canada's telemarketing hours: 10am-6pm on weekends", () => {
      // Saturday 13 June 2026, 09:30 EDT in Toronto.
      const decision = decide('2026-06-13T13:30:00Z', 'initiated', { lead: withPhone('+14165550123') });
      expect(heldUntil(decision)).toBe('2026-06-13T14:00:00.000Z');
      expect(decide('2026-06-13T22:30:00Z', 'initiated', { lead: withPhone('+14165550123') })).toMatchObject({
        action: 'hold',
        reason: 'CA calling hours 10:00–18:00 (America/Toronto)',
      });
    });
  });
});
