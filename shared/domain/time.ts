/**
 * Wall-clock arithmetic in IANA time zones with Intl only (no tz library), correct across DST.
 */

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** A local calendar date and time; month is 1-12. */
export interface DateTimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second?: number;
}

export interface LocalParts extends Required<DateTimeParts> {
  weekday: Weekday;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Intl formatters are costly to build: one per (use, zone), kept for the process. */
export function cachedFormatter(
  use: string,
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${use}|${timeZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { ...options, timeZone });
    formatters.set(key, formatter);
  }
  return formatter;
}

const PARTS_OPTIONS: Intl.DateTimeFormatOptions = {
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  weekday: 'short',
};

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  return cachedFormatter('parts', timeZone, PARTS_OPTIONS);
}

/** The wall-clock date and time `date` shows in `timeZone`. */
export function localParts(date: Date, timeZone: string): LocalParts {
  const values: Record<string, string> = {};
  for (const part of partsFormatter(timeZone).formatToParts(date)) values[part.type] = part.value;
  return {
    year: Number(values.year),
    month: Number(values.month),
    day: Number(values.day),
    hour: Number(values.hour) % 24,
    minute: Number(values.minute),
    second: Number(values.second),
    weekday: (values.weekday ?? 'Sun').slice(0, 3).toLowerCase() as Weekday,
  };
}

function wallClockAsUtcMs(parts: DateTimeParts): number {
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second ?? 0);
}

/** How far `timeZone` is ahead of UTC at `instantMs`, in milliseconds. */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  return wallClockAsUtcMs(localParts(new Date(whole), timeZone)) - whole;
}

/**
 * The UTC instant at which the wall clock in `timeZone` shows `parts`.
 * A time that happens twice (clocks going back) resolves to the first occurrence; a time that
 * never happens (clocks going forward) moves forward by the gap, as a wall clock would read it.
 */
export function zonedTimeToUtc(parts: DateTimeParts, timeZone: string): Date {
  const wall = wallClockAsUtcMs(parts);
  // Offsets either side of any transition near this wall time; zones change at most once a day.
  const before = zoneOffsetMs(wall - DAY_MS, timeZone);
  const after = zoneOffsetMs(wall + DAY_MS, timeZone);
  const valid = [before, after].filter((offset) => zoneOffsetMs(wall - offset, timeZone) === offset);
  if (valid.length === 0) return new Date(wall - before);
  return new Date(wall - Math.max(...valid));
}

/** Minutes since midnight of an 'HH:MM' string. */
export function parseHhMm(hhmm: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!match) throw new Error(`expected HH:MM, got ${hhmm}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Minutes since local midnight shown by the wall clock. */
export function minutesOfDay(parts: { hour: number; minute: number }): number {
  return parts.hour * 60 + parts.minute;
}

/** The calendar date `days` after the given one (calendar arithmetic, independent of zones). */
export function addCalendarDays(
  date: { year: number; month: number; day: number },
  days: number,
): { year: number; month: number; day: number; weekday: Weekday } {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    weekday: WEEKDAYS[shifted.getUTCDay()] as Weekday,
  };
}

/** The instant the wall clock in `timeZone` shows `minutes` past midnight on the given date. */
export function atLocalMinutes(
  date: { year: number; month: number; day: number },
  minutes: number,
  timeZone: string,
): Date {
  return zonedTimeToUtc(
    {
      year: date.year,
      month: date.month,
      day: date.day,
      hour: Math.floor(minutes / 60),
      minute: minutes % 60,
    },
    timeZone,
  );
}

/**
 * The instants of wall-clock minutes of one local day in `timeZone`, for asking many of them (a
 * calendar's candidate slots): a day without a clock change has one offset, found with two zone
 * lookups for the whole day; a day with one resolves each minute on its own (`zonedTimeToUtc`).
 * `exact` is false for a minute the wall clock skips (its instant shows another time).
 */
export function localDay(
  date: { year: number; month: number; day: number },
  timeZone: string,
): (minutes: number) => { at: Date; exact: boolean } {
  const midnight = Date.UTC(date.year, date.month - 1, date.day);
  // The local day lies within these UTC instants whatever the zone's offset (-12 h to +14 h); zones
  // change their offset at most once in such a span.
  const before = zoneOffsetMs(midnight - 14 * HOUR_MS, timeZone);
  const after = zoneOffsetMs(midnight + 38 * HOUR_MS, timeZone);
  if (before === after) {
    return (minutes) => ({ at: new Date(midnight + minutes * MINUTE_MS - before), exact: true });
  }
  return (minutes) => {
    const at = atLocalMinutes(date, minutes, timeZone);
    return { at, exact: minutesOfDay(localParts(at, timeZone)) === minutes };
  };
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
