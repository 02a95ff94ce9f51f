import type { BusinessProfile, Rep } from '#shared/config/business-profile.ts';
import { isWithinQuietHours, nextLocalTime } from '#shared/domain/quiet-hours.ts';

/** What a rep is told about (`Rep Notified`'s reasons). */
export type RepAlert =
  | 'hot-lead'
  | 'emergency'
  | 'meeting-booked'
  | 'meeting-cancelled'
  | 'meeting-moved'
  | 'missed-call'
  | 'response-missed'
  | 'lead-opted-out'
  | 'lead-taken';

/**
 * When an SMS notification may reach a rep: at once inside the rep's `notifyHours` (in the rep's
 * zone, else the business's), or when the business marks the alert urgent (`urgentRepAlerts`:
 * the alert's kind, or `urgent-lead` for a lead whose timing is urgent); otherwise at the next
 * start of the rep's hours. Other channels (Slack, email) are not held: they do not wake anyone.
 */
export function decideRepNotifyTime(args: {
  now: Date;
  rep: Pick<Rep, 'notifyHours' | 'timeZone'>;
  profile: Pick<BusinessProfile, 'timeZone' | 'urgentRepAlerts'>;
  alert: RepAlert;
  leadTiming?: string | undefined;
}): { action: 'send' } | { action: 'hold'; sendAt: Date; reason: string } {
  const { now, rep, profile, alert } = args;
  const urgent =
    profile.urgentRepAlerts.includes(alert) ||
    (profile.urgentRepAlerts.includes('urgent-lead') && args.leadTiming === 'urgent');
  if (urgent) return { action: 'send' };
  const zone = rep.timeZone ?? profile.timeZone;
  // Outside notify hours is a quiet window from their end to their start.
  const quiet = { start: rep.notifyHours.end, end: rep.notifyHours.start };
  if (!isWithinQuietHours(now, zone, quiet)) return { action: 'send' };
  return {
    action: 'hold',
    sendAt: nextLocalTime(now, zone, rep.notifyHours.start),
    reason: `outside the rep's notify hours ${rep.notifyHours.start}–${rep.notifyHours.end} (${zone})`,
  };
}
