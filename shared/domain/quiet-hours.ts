import { addCalendarDays, atLocalMinutes, localParts, minutesOfDay, parseHhMm } from '#shared/domain/time.ts';

export interface QuietHours {
  /** When the quiet window starts, 'HH:MM' in the lead's zone (e.g. 21:00). */
  start: string;
  /** When texting may resume, 'HH:MM' in the lead's zone (e.g. 08:00). */
  end: string;
  /** Every text, even a direct reply, waits for the window to open. */
  strict: boolean;
}

/** Whether `now` falls in the quiet window (which may wrap midnight) in `timeZone`. */
export function isWithinQuietHours(
  now: Date,
  timeZone: string,
  quietHours: Pick<QuietHours, 'start' | 'end'>,
): boolean {
  const start = parseHhMm(quietHours.start);
  const end = parseHhMm(quietHours.end);
  if (start === end) return false;
  const minute = minutesOfDay(localParts(now, timeZone));
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** The next instant after `now` at which the wall clock in `timeZone` shows `hhmm`. */
export function nextLocalTime(now: Date, timeZone: string, hhmm: string): Date {
  const today = localParts(now, timeZone);
  const minutes = parseHhMm(hhmm);
  for (let days = 0; days <= 2; days++) {
    const candidate = atLocalMinutes(addCalendarDays(today, days), minutes, timeZone);
    if (candidate.getTime() > now.getTime()) return candidate;
  }
  throw new Error(`no next ${hhmm} in ${timeZone} after ${now.toISOString()}`);
}
