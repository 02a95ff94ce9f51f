import { describe, expect, it } from 'vitest';
import { isWithinQuietHours, type QuietHours } from '#shared/domain/quiet-hours.ts';

const federal: QuietHours = { start: '21:00', end: '08:00', strict: false };
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
