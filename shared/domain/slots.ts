import {
  addCalendarDays,
  cachedFormatter,
  localDay,
  localParts,
  parseHhMm,
  type Weekday,
} from '#shared/domain/time.ts';

export interface Slot {
  start: Date;
  end: Date;
}

export interface OpeningHours {
  days: ReadonlyArray<Weekday>;
  open: string;
  close: string;
}

const MINUTE_MS = 60_000;
const SLOT_STEP_MINUTES = 30;
/** Two offers on one day start at least this far apart, so they are two real options. */
const SPREAD_MINUTES = 180;

export type PartOfDay = 'morning' | 'afternoon' | 'evening';

/** The day (YYYY-MM-DD, business zone) and part of day a lead asked for; either may be absent. */
export interface SlotPreference {
  date?: string | undefined;
  partOfDay?: PartOfDay | undefined;
}

function partOfDay(minutes: number): PartOfDay {
  if (minutes < 12 * 60) return 'morning';
  if (minutes < 17 * 60) return 'afternoon';
  return 'evening';
}

interface Candidate extends Slot {
  localMinutes: number;
}

function overlaps(a: Slot, b: Slot): boolean {
  return a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
}

/** Free slots of one local day, in order, aligned to the hour or half hour. */
function freeSlotsOfDay(
  date: { year: number; month: number; day: number },
  args: {
    timeZone: string;
    open: number;
    close: number;
    durationMinutes: number;
    earliest: number;
    busy: ReadonlyArray<Slot>;
  },
): Candidate[] {
  const slots: Candidate[] = [];
  const firstStart = Math.ceil(args.open / SLOT_STEP_MINUTES) * SLOT_STEP_MINUTES;
  // The day's offset is found once (two Intl lookups), not per candidate.
  const instantOf = localDay(date, args.timeZone);
  for (let minutes = firstStart; minutes + args.durationMinutes <= args.close; minutes += SLOT_STEP_MINUTES) {
    const { at: start, exact } = instantOf(minutes);
    // A wall time skipped by a DST change resolves to another time: not a real slot.
    if (!exact) continue;
    const slot = {
      start,
      end: new Date(start.getTime() + args.durationMinutes * MINUTE_MS),
      localMinutes: minutes,
    };
    if (start.getTime() < args.earliest) continue;
    if (args.busy.some((busy) => overlaps(slot, busy))) continue;
    slots.push(slot);
  }
  return slots;
}

/** Up to two slots of one day, hours apart and from different parts of the day when it has them. */
function spreadPicks(day: ReadonlyArray<Candidate>): Candidate[] {
  const first = day[0];
  if (!first) return [];
  const firstPart = partOfDay(first.localMinutes);
  const apart = (slot: Candidate, minutes: number) => slot.localMinutes >= first.localMinutes + minutes;
  const second =
    day.find((slot) => partOfDay(slot.localMinutes) !== firstPart && apart(slot, SPREAD_MINUTES)) ??
    day.find((slot) => apart(slot, SPREAD_MINUTES));
  return second ? [first, second] : [first];
}

/**
 * Free meeting slots to offer a lead: within opening hours in the business's zone, clear of
 * busy intervals, at least `minNoticeMinutes` after `from`. Offers are spread (at most two a
 * day, from different parts of the day) so the lead gets a real choice; if that leaves too
 * few, the remaining free slots fill in, earliest first. With a `preference` ("Tuesday
 * afternoon"), the free slots that match it are offered; when none does, the usual ones are.
 */
export function findFreeSlots(args: {
  from: Date;
  timeZone: string;
  hours: OpeningHours;
  durationMinutes: number;
  minNoticeMinutes: number;
  busy: ReadonlyArray<Slot>;
  count: number;
  horizonDays?: number;
  preference?: SlotPreference | undefined;
}): Slot[] {
  const { from, timeZone, hours, durationMinutes, count } = args;
  if (count <= 0 || durationMinutes <= 0) return [];
  const open = parseHhMm(hours.open);
  const close = parseHhMm(hours.close);
  const earliest = from.getTime() + args.minNoticeMinutes * MINUTE_MS;
  const horizonDays = args.horizonDays ?? 14;
  const today = localParts(from, timeZone);

  const allDays: Candidate[][] = [];
  const wantedDays: Candidate[][] = [];
  const { preference } = args;
  for (let offset = 0; offset <= horizonDays; offset++) {
    const date = addCalendarDays(today, offset);
    if (!hours.days.includes(date.weekday)) continue;
    const free = freeSlotsOfDay(date, { timeZone, open, close, durationMinutes, earliest, busy: args.busy });
    if (free.length > 0) allDays.push(free);
    if (!preference?.date && !preference?.partOfDay) continue;
    const iso = `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
    if (preference.date && preference.date !== iso) continue;
    const wanted = free.filter(
      (slot) => !preference.partOfDay || partOfDay(slot.localMinutes) === preference.partOfDay,
    );
    if (wanted.length > 0) wantedDays.push(wanted);
  }
  const days = wantedDays.length > 0 ? wantedDays : allDays;

  const picked: Candidate[] = [];
  for (const day of days) {
    for (const slot of spreadPicks(day)) if (picked.length < count) picked.push(slot);
    if (picked.length >= count) break;
  }
  if (picked.length < count) {
    for (const slot of days.flat()) {
      if (picked.length >= count) break;
      if (!picked.includes(slot)) picked.push(slot);
    }
  }
  return picked
    .sort((a, b) => a.start.getTime() - b.start.getTime())
    .map((slot) => ({ start: slot.start, end: slot.end }));
}

const SLOT_OPTIONS: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
  timeZoneName: 'short',
};

function slotFormatter(timeZone: string): Intl.DateTimeFormat {
  return cachedFormatter('slot', timeZone, SLOT_OPTIONS);
}

/**
 * A slot's start as a lead reads it in a text: "Tue Nov 24, 10:00 AM CST" (en-US), "mar 24 nov,
 * 10:00 a.m. CST" in another locale. Built from parts so ICU's narrow no-break spaces never reach
 * an SMS (they are not GSM-7).
 */
export function formatSlot(slot: { start: Date }, timeZone: string, locale = 'en-US'): string {
  const formatter = locale === 'en-US' ? slotFormatter(timeZone) : localeFormatter(locale, timeZone);
  const values: Record<string, string> = {};
  for (const part of formatter.formatToParts(slot.start)) values[part.type] = part.value.replace(/\s/g, ' ');
  if (locale.startsWith('en')) {
    return `${values.weekday} ${values.month} ${values.day}, ${values.hour}:${values.minute} ${values.dayPeriod} ${values.timeZoneName}`;
  }
  const weekday = (values.weekday ?? '').replace(/\.$/, '');
  const month = (values.month ?? '').replace(/\.$/, '');
  return `${weekday} ${values.day} ${month}, ${values.hour}:${values.minute} ${values.dayPeriod} ${values.timeZoneName}`;
}

const localeFormatters = new Map<string, Intl.DateTimeFormat>();

function localeFormatter(locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}`;
  let formatter = localeFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { ...SLOT_OPTIONS, timeZone });
    localeFormatters.set(key, formatter);
  }
  return formatter;
}
