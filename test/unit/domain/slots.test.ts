import { describe, expect, it } from 'vitest';
import { findFreeSlots, formatSlot, type OpeningHours } from '#shared/domain/slots.ts';
import { isGsm7 } from '#shared/domain/sms-text.ts';
import { localParts } from '#shared/domain/time.ts';

const CHICAGO = 'America/Chicago';
const NY = 'America/New_York';
const weekdaysAndSat: OpeningHours = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
  open: '08:00',
  close: '18:00',
};
const everyDay: OpeningHours = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
  open: '08:00',
  close: '18:00',
};

function labels(slots: ReadonlyArray<{ start: Date }>, zone = CHICAGO): string[] {
  return slots.map((slot) => formatSlot(slot, zone));
}

const base = {
  timeZone: CHICAGO,
  hours: weekdaysAndSat,
  durationMinutes: 30,
  minNoticeMinutes: 120,
  busy: [],
  count: 3,
};

describe('findFreeSlots', () => {
  it('offers spread slots: at most two a day, hours apart, from different parts of the day', () => {
    const slots = findFreeSlots({ ...base, from: new Date('2026-11-23T15:00:00Z') }); // Mon 09:00 CST
    expect(labels(slots)).toEqual([
      'Mon Nov 23, 11:00 AM CST',
      'Mon Nov 23, 2:00 PM CST',
      'Tue Nov 24, 8:00 AM CST',
    ]);
  });

  it('keeps the minimum notice after `from`', () => {
    const from = new Date('2026-11-23T15:00:00Z');
    const slots = findFreeSlots({ ...base, from, minNoticeMinutes: 240 });
    expect(slots[0]?.start.toISOString()).toBe('2026-11-23T19:00:00.000Z'); // 13:00 CST
    for (const slot of slots)
      expect(slot.start.getTime()).toBeGreaterThanOrEqual(from.getTime() + 240 * 60_000);
  });

  it('aligns starts to the hour or half hour', () => {
    const slots = findFreeSlots({
      ...base,
      from: new Date('2026-11-23T15:10:00Z'),
      minNoticeMinutes: 0,
      count: 5,
    });
    expect(slots[0] && formatSlot(slots[0], CHICAGO)).toBe('Mon Nov 23, 9:30 AM CST');
    for (const slot of slots) expect([0, 30]).toContain(localParts(slot.start, CHICAGO).minute);
  });

  it('never offers a slot that overlaps a busy interval', () => {
    const busy = [
      { start: new Date('2026-11-23T17:00:00Z'), end: new Date('2026-11-23T18:15:00Z') }, // 11:00-12:15 CST
      { start: new Date('2026-11-24T14:00:00Z'), end: new Date('2026-11-24T16:00:00Z') }, // Tue 08:00-10:00
    ];
    const slots = findFreeSlots({ ...base, from: new Date('2026-11-23T15:00:00Z'), busy, count: 4 });
    for (const slot of slots) {
      for (const b of busy) {
        expect(slot.start < b.end && b.start < slot.end).toBe(false);
      }
    }
    expect(labels(slots)).toEqual([
      'Mon Nov 23, 12:30 PM CST',
      'Mon Nov 23, 5:00 PM CST',
      'Tue Nov 24, 10:00 AM CST',
      'Tue Nov 24, 1:00 PM CST',
    ]);
  });

  it('skips days the business is closed', () => {
    const slots = findFreeSlots({ ...base, from: new Date('2026-11-28T23:00:00Z') }); // Sat 17:00 CST
    expect(labels(slots)[0]).toBe('Mon Nov 30, 8:00 AM CST');
    for (const slot of slots) expect(localParts(slot.start, CHICAGO).weekday).not.toBe('sun');
  });

  it('ends every slot by closing time', () => {
    const slots = findFreeSlots({
      ...base,
      from: new Date('2026-11-23T22:00:00Z'), // Mon 16:00 CST
      minNoticeMinutes: 0,
      durationMinutes: 60,
      horizonDays: 0,
      count: 10,
    });
    expect(labels(slots)).toEqual([
      'Mon Nov 23, 4:00 PM CST',
      'Mon Nov 23, 4:30 PM CST',
      'Mon Nov 23, 5:00 PM CST',
    ]);
    for (const slot of slots) expect(slot.end.getTime() - slot.start.getTime()).toBe(60 * 60_000);
  });

  it('fills in from the remaining free slots when spreading leaves too few', () => {
    const slots = findFreeSlots({
      ...base,
      from: new Date('2026-11-23T14:00:00Z'),
      horizonDays: 0,
      count: 3,
    });
    expect(labels(slots)).toEqual([
      'Mon Nov 23, 10:00 AM CST',
      'Mon Nov 23, 10:30 AM CST',
      'Mon Nov 23, 1:00 PM CST',
    ]);
  });

  it('returns nothing beyond the horizon or when asked for none', () => {
    const from = new Date('2026-11-23T15:00:00Z');
    expect(findFreeSlots({ ...base, from, count: 0 })).toEqual([]);
    const allBusy = [{ start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-12-31T00:00:00Z') }];
    expect(findFreeSlots({ ...base, from, busy: allBusy })).toEqual([]);
  });

  it('is deterministic', () => {
    const args = { ...base, from: new Date('2026-11-23T15:00:00Z'), count: 5 };
    expect(findFreeSlots(args)).toEqual(findFreeSlots(args));
  });

  it('puts 8am at 13:00Z the day before spring-forward and 12:00Z on the day itself', () => {
    const slots = findFreeSlots({
      ...base,
      timeZone: NY,
      hours: { ...everyDay, open: '08:00', close: '08:30' },
      from: new Date('2026-03-07T05:00:00Z'),
      minNoticeMinutes: 0,
      count: 3,
    });
    expect(slots.map((slot) => slot.start.toISOString())).toEqual([
      '2026-03-07T13:00:00.000Z',
      '2026-03-08T12:00:00.000Z',
      '2026-03-09T12:00:00.000Z',
    ]);
  });

  it('puts 8am at 12:00Z the day before fall-back and 13:00Z on the day itself', () => {
    const slots = findFreeSlots({
      ...base,
      timeZone: NY,
      hours: { ...everyDay, open: '08:00', close: '08:30' },
      from: new Date('2026-10-31T04:00:00Z'),
      minNoticeMinutes: 0,
      count: 2,
    });
    expect(slots.map((slot) => slot.start.toISOString())).toEqual([
      '2026-10-31T12:00:00.000Z',
      '2026-11-01T13:00:00.000Z',
    ]);
  });

  it('offers no slot in the hour that spring-forward skips', () => {
    const slots = findFreeSlots({
      ...base,
      timeZone: NY,
      hours: { ...everyDay, open: '00:00', close: '04:00' },
      from: new Date('2026-03-08T05:00:00Z'), // 00:00 EST
      minNoticeMinutes: 0,
      horizonDays: 0,
      count: 20,
    });
    expect(slots.map((slot) => formatSlot(slot, NY))).toEqual([
      'Sun Mar 8, 12:00 AM EST',
      'Sun Mar 8, 12:30 AM EST',
      'Sun Mar 8, 1:00 AM EST',
      'Sun Mar 8, 1:30 AM EST',
      'Sun Mar 8, 3:00 AM EDT',
      'Sun Mar 8, 3:30 AM EDT',
    ]);
    for (const slot of slots) expect(slot.end.getTime() - slot.start.getTime()).toBe(30 * 60_000);
  });
});

describe('formatSlot', () => {
  it.each([
    ['2026-11-24T16:00:00Z', CHICAGO, 'Tue Nov 24, 10:00 AM CST'],
    ['2026-06-01T19:30:00Z', CHICAGO, 'Mon Jun 1, 2:30 PM CDT'],
    ['2026-06-01T19:30:00Z', 'America/Los_Angeles', 'Mon Jun 1, 12:30 PM PDT'],
    ['2026-01-05T05:00:00Z', NY, 'Mon Jan 5, 12:00 AM EST'],
  ])('writes %s in %s as "%s"', (iso, zone, expected) => {
    const text = formatSlot({ start: new Date(iso) }, zone);
    expect(text).toBe(expected);
    expect(isGsm7(text)).toBe(true);
  });
});
