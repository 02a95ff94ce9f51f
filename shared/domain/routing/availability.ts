import type { BusinessProfile, Rep } from '#shared/config/business-profile.ts';
import { isWithinQuietHours } from '#shared/domain/quiet-hours.ts';
import { localParts } from '#shared/domain/time.ts';

/**
 * Whether a rep is on duty at `now`: one of their `workDays` and inside their `notifyHours`, both in
 * the rep's zone (the business's when the rep has none). Hours that start and end at the same
 * minute mean all day.
 */
export const isRepOn = (
  rep: Pick<Rep, 'notifyHours' | 'timeZone' | 'workDays'>,
  now: Date,
  profile: Pick<BusinessProfile, 'timeZone'>,
): boolean => {
  const zone = rep.timeZone ?? profile.timeZone;
  if (!rep.workDays.includes(localParts(now, zone).weekday)) return false;
  // Off duty is a quiet window from the end of their hours to their start.
  return !isWithinQuietHours(now, zone, { start: rep.notifyHours.end, end: rep.notifyHours.start });
};
