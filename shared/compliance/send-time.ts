import type { QuietHours } from '#shared/domain/quiet-hours.ts';
import { addCalendarDays, atLocalMinutes, localParts, minutesOfDay } from '#shared/domain/time.ts';
import type { Lead } from '#shared/ports/lead-store.ts';
import { callingDay } from './calling-windows.ts';

/** How the sending path treats a text (see `SendKind` in shared/messaging/lead-messenger.ts). */
export type SendTimeKind = 'reply' | 'initiated' | 'opt-out-confirmation' | 'opt-in-confirmation';

export type SendTimeDecision =
  | { action: 'send' }
  | { action: 'hold'; sendAt: Date; reason: string }
  | { action: 'drop'; reason: string };

/**
 * 47 CFR 64.1200(a)(12) (FCC 24-24): the one text confirming a revocation must go within five
 * minutes of it; a confirmation that could only go later is not sent.
 */
export const OPT_OUT_CONFIRMATION_MINUTES = 5;

/** How far ahead a window is looked for: any day's rules open within a week; a margin for holidays. */
const SEARCH_DAYS = 14;
const MINUTE_MS = 60_000;

export interface SendPolicy {
  quietHours: QuietHours & {
    /** A reply past this many minutes after the lead's message follows the business-initiated rules. */
    liveReplyMinutes: number;
  };
}

/** Every (zone, region) pair a lead may be in. */
const placesOf = (lead: Pick<Lead, 'timeZone' | 'localTime'>) => {
  const zones = lead.localTime?.zones.length ? lead.localTime.zones : [lead.timeZone];
  const regions: Array<string | undefined> = lead.localTime?.regions.length
    ? lead.localTime.regions
    : [undefined];
  return zones.flatMap((zone) => regions.map((region) => ({ zone, region })));
};

/** Why a business-initiated text may not go at `instant` in one of the lead's places, or undefined. */
function closedAt(
  instant: Date,
  places: ReadonlyArray<{ zone: string; region: string | undefined }>,
  quiet: QuietHours,
): string | undefined {
  for (const { zone, region } of places) {
    const local = localParts(instant, zone);
    const why = callingDay(local, region, quiet).closedAt(minutesOfDay(local));
    if (why) return `${why} (${zone})`;
  }
  return undefined;
}

/**
 * The first instant at or after `now` when a business-initiated text may go to every place the
 * lead may be in: the latest opening among the zones is always one of the window starts, so
 * those are the only candidates. Throws when none opens within `SEARCH_DAYS` (bad data).
 */
function nextOpening(
  now: Date,
  places: ReadonlyArray<{ zone: string; region: string | undefined }>,
  quiet: QuietHours,
): Date {
  const candidates: Date[] = [];
  for (const { zone, region } of places) {
    const today = localParts(now, zone);
    for (let days = 0; days <= SEARCH_DAYS; days++) {
      const date = addCalendarDays(today, days);
      for (const { start } of callingDay(date, region, quiet).open) {
        const instant = atLocalMinutes(date, start, zone);
        if (instant.getTime() > now.getTime()) candidates.push(instant);
      }
    }
  }
  candidates.sort((a, b) => a.getTime() - b.getTime());
  const first = candidates.find((instant) => closedAt(instant, places, quiet) === undefined);
  if (!first) throw new Error(`no calling window opens within ${SEARCH_DAYS} days of ${now.toISOString()}`);
  return first;
}

/**
 * When a text to a lead may go (the one call the sending path makes):
 * - the opt-out confirmation goes at once, whatever the quiet hours, within five minutes of the
 *   opt-out (`OPT_OUT_CONFIRMATION_MINUTES`), else it is dropped;
 * - a reply (and an opt-in confirmation) to a message the lead sent less than
 *   `quietHours.liveReplyMinutes` ago is a live conversation and goes at once, unless the
 *   business chose strict quiet hours;
 * - anything else (business-initiated texts, stale replies after retries or a redrive, strict
 *   quiet hours) waits until it is inside the federal or national window, the region's calling
 *   rules (days, Sundays, holidays) and the business's quiet hours, in every zone the lead may be
 *   in (`lead.localTime`, else `lead.timeZone`).
 * `answeredAt` is the ISO time of the lead's message the text answers. Times are UTC instants.
 */
export function decideSendTime(args: {
  now: Date;
  lead: Pick<Lead, 'timeZone' | 'localTime'>;
  kind: SendTimeKind;
  answeredAt?: string | undefined;
  profile: SendPolicy;
}): SendTimeDecision {
  const { now, lead, kind, profile } = args;
  const quiet = profile.quietHours;
  const answered = args.answeredAt ? Date.parse(args.answeredAt) : Number.NaN;
  const ageMinutes = Number.isNaN(answered) ? undefined : (now.getTime() - answered) / MINUTE_MS;

  if (kind === 'opt-out-confirmation') {
    if (ageMinutes !== undefined && ageMinutes > OPT_OUT_CONFIRMATION_MINUTES) {
      return {
        action: 'drop',
        reason: `the opt-out came ${Math.round(ageMinutes)} minutes ago: its confirmation may only go within ${OPT_OUT_CONFIRMATION_MINUTES} minutes (47 CFR 64.1200(a)(12))`,
      };
    }
    return { action: 'send' };
  }

  const answersLiveMessage =
    kind !== 'initiated' && ageMinutes !== undefined && ageMinutes <= quiet.liveReplyMinutes;
  if (answersLiveMessage && !quiet.strict) return { action: 'send' };

  const places = placesOf(lead);
  const closed = closedAt(now, places, quiet);
  if (!closed) return { action: 'send' };
  const stale =
    kind !== 'initiated' && !answersLiveMessage
      ? ageMinutes === undefined
        ? 'no live message to answer, so business-initiated rules apply: '
        : `the lead wrote ${Math.round(ageMinutes)} minutes ago, so business-initiated rules apply: `
      : '';
  return { action: 'hold', sendAt: nextOpening(now, places, quiet), reason: `${stale}${closed}` };
}
