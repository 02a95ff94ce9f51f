import { describe, expect, it, vi } from 'vitest';
import { addCalendarDays, localDay, localParts, parseHhMm, zonedTimeToUtc } from '#shared/domain/time.ts';

describe('localParts', () => {
  it('reads the wall clock of an instant in a zone', () => {
    expect(localParts(new Date('2026-11-24T16:05:09Z'), 'America/Chicago')).toEqual({
      year: 2026,
      month: 11,
      day: 24,
      hour: 10,
      minute: 5,
      second: 9,
      weekday: 'tue',
    });
  });

  it('shows midnight as hour 0, not 24', () => {
    expect(localParts(new Date('2026-01-01T05:00:00Z'), 'America/New_York').hour).toBe(0);
  });
});

describe('zonedTimeToUtc', () => {
  it.each([
    ['America/New_York', { year: 2026, month: 1, day: 15, hour: 9, minute: 0 }, '2026-01-15T14:00:00.000Z'],
    ['America/New_York', { year: 2026, month: 7, day: 15, hour: 9, minute: 0 }, '2026-07-15T13:00:00.000Z'],
    ['America/Chicago', { year: 2026, month: 11, day: 24, hour: 10, minute: 0 }, '2026-11-24T16:00:00.000Z'],
    ['Asia/Kolkata', { year: 2026, month: 5, day: 1, hour: 8, minute: 0 }, '2026-05-01T02:30:00.000Z'],
    ['Australia/Sydney', { year: 2026, month: 1, day: 10, hour: 8, minute: 0 }, '2026-01-09T21:00:00.000Z'],
    ['UTC', { year: 2026, month: 2, day: 28, hour: 23, minute: 59 }, '2026-02-28T23:59:00.000Z'],
  ])('finds the instant of a wall-clock time in %s', (zone, parts, expected) => {
    expect(zonedTimeToUtc(parts, zone).toISOString()).toBe(expected);
  });

  it('round-trips every half hour across both 2026 DST changes in New York', () => {
    for (const day of [
      { year: 2026, month: 3, day: 8 },
      { year: 2026, month: 11, day: 1 },
    ]) {
      for (let minutes = 0; minutes < 24 * 60; minutes += 30) {
        const hour = Math.floor(minutes / 60);
        if (day.month === 3 && hour === 2) continue; // does not exist that night
        const instant = zonedTimeToUtc({ ...day, hour, minute: minutes % 60 }, 'America/New_York');
        const back = localParts(instant, 'America/New_York');
        expect([back.day, back.hour, back.minute]).toEqual([day.day, hour, minutes % 60]);
      }
    }
  });

  it('moves a time skipped by spring-forward on by the gap (2:30 becomes 3:30 EDT)', () => {
    const instant = zonedTimeToUtc({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York');
    expect(instant.toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(localParts(instant, 'America/New_York')).toMatchObject({ hour: 3, minute: 30 });
  });

  it('takes the first of the two 1:30s when clocks fall back', () => {
    const instant = zonedTimeToUtc(
      { year: 2026, month: 11, day: 1, hour: 1, minute: 30 },
      'America/New_York',
    );
    expect(instant.toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it('knows the offset changes on the DST days themselves', () => {
    const zone = 'America/New_York';
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 8, hour: 1, minute: 0 }, zone).toISOString()).toBe(
      '2026-03-08T06:00:00.000Z',
    );
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 8, hour: 8, minute: 0 }, zone).toISOString()).toBe(
      '2026-03-08T12:00:00.000Z',
    );
    expect(zonedTimeToUtc({ year: 2026, month: 11, day: 1, hour: 0, minute: 30 }, zone).toISOString()).toBe(
      '2026-11-01T04:30:00.000Z',
    );
    expect(zonedTimeToUtc({ year: 2026, month: 11, day: 1, hour: 8, minute: 0 }, zone).toISOString()).toBe(
      '2026-11-01T13:00:00.000Z',
    );
  });
});

describe('localDay', () => {
  const NEW_YORK = 'America/New_York';
  it('gives every half hour the instant zonedTimeToUtc gives, on ordinary days and both 2026 DST days', () => {
    for (const day of [
      { year: 2026, month: 3, day: 8 },
      { year: 2026, month: 7, day: 14 },
      { year: 2026, month: 11, day: 1 },
      { year: 2026, month: 12, day: 31 },
    ]) {
      const instantOf = localDay(day, NEW_YORK);
      for (let minutes = 0; minutes < 24 * 60; minutes += 30) {
        const expected = zonedTimeToUtc(
          { ...day, hour: Math.floor(minutes / 60), minute: minutes % 60 },
          NEW_YORK,
        );
        expect(instantOf(minutes).at.toISOString(), `${JSON.stringify(day)} ${minutes}`).toBe(
          expected.toISOString(),
        );
      }
    }
  });

  it('says which wall times spring-forward skips', () => {
    const instantOf = localDay({ year: 2026, month: 3, day: 8 }, NEW_YORK);
    expect(instantOf(2 * 60 + 30).exact).toBe(false);
    expect(instantOf(3 * 60 + 30).exact).toBe(true);
  });

  it('reads a day without a clock change with two zone lookups, not several per minute asked', () => {
    const formatToParts = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    const instantOf = localDay({ year: 2026, month: 7, day: 14 }, 'America/Los_Angeles');
    for (let minutes = 0; minutes < 24 * 60; minutes += 30) instantOf(minutes);
    expect(formatToParts).toHaveBeenCalledTimes(2);
  });
});

describe('calendar helpers', () => {
  it('adds days across month and year ends with the right weekday', () => {
    expect(addCalendarDays({ year: 2026, month: 12, day: 31 }, 1)).toEqual({
      year: 2027,
      month: 1,
      day: 1,
      weekday: 'fri',
    });
    expect(addCalendarDays({ year: 2028, month: 2, day: 28 }, 1)).toMatchObject({ month: 2, day: 29 });
  });

  it('parses HH:MM into minutes and rejects anything else', () => {
    expect(parseHhMm('08:30')).toBe(510);
    expect(parseHhMm('21:00')).toBe(1260);
    expect(() => parseHhMm('8am')).toThrow();
  });
});
