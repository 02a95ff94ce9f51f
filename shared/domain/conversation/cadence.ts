import type { BusinessProfile } from '#shared/config/business-profile.ts';
import { addCalendarDays, atLocalMinutes, localParts, minutesOfDay, parseHhMm } from '#shared/domain/time.ts';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** How far ahead business hours are looked for (a business open one day a week still opens). */
const SEARCH_DAYS = 8;

/**
 * The first instant at or after `from` inside the business's opening hours (`profile.hours`, in
 * its zone). Throws when no opening comes within a week (a profile with no open day cannot parse).
 */
export const nextBusinessMoment = (
  from: Date,
  profile: Pick<BusinessProfile, 'hours' | 'timeZone'>,
): Date => {
  const { days, open, close } = profile.hours;
  const [openAt, closeAt] = [parseHhMm(open), parseHhMm(close)];
  const today = localParts(from, profile.timeZone);
  for (let offset = 0; offset < SEARCH_DAYS; offset++) {
    const date = addCalendarDays(today, offset);
    if (!days.includes(date.weekday)) continue;
    if (offset === 0) {
      const minute = minutesOfDay(today);
      if (minute >= closeAt) continue;
      if (minute >= openAt) return from;
    }
    return atLocalMinutes(date, openAt, profile.timeZone);
  }
  throw new Error(`the business opens on none of the next ${SEARCH_DAYS} days`);
};

/**
 * When a follow-up step falls due, counted from `from` (the last text, or the step before):
 * `30m`, `1h`, `3d` after it, or `next-morning` (the next business day's opening, in the
 * business's zone); then moved into business hours. The messenger still holds it for the lead's
 * calling windows.
 */
export const followUpDueAt = (
  step: string,
  from: Date,
  profile: Pick<BusinessProfile, 'hours' | 'timeZone'>,
): Date => {
  if (step === 'next-morning') {
    const tomorrow = addCalendarDays(localParts(from, profile.timeZone), 1);
    return nextBusinessMoment(atLocalMinutes(tomorrow, 0, profile.timeZone), profile);
  }
  const match = /^(\d+)([mhd])$/.exec(step);
  if (!match) throw new Error(`not a follow-up step: ${step}`);
  const after = new Date(from.getTime() + Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
  return nextBusinessMoment(after, profile);
};
