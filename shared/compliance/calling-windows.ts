import * as z from 'zod';
import { parseHhMm, type Weekday } from '#shared/domain/time.ts';
import rawWindows from './data/calling-windows.json' with { type: 'json' };
import { type CalendarDate, holidayOn } from './holidays.ts';

/** Minutes of a local day, [start, end). */
export interface Interval {
  start: number;
  end: number;
}

const HhMm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
const Day = z.tuple([HhMm, HhMm]).nullable();
const DayRules = z.object({
  weekdays: Day,
  saturday: Day,
  sunday: Day,
  /** null: no business-initiated texts on the region's legal holidays; absent: the day's own rule. */
  holidays: Day.optional(),
  sources: z.array(z.string()).min(1),
  law: z.string().optional(),
});
type DayRules = z.infer<typeof DayRules>;

const data = z
  .object({
    sources: z.record(z.string(), z.string()),
    countries: z.record(z.string(), DayRules),
    regions: z.record(z.string(), DayRules),
  })
  .parse(rawWindows);
for (const rules of [...Object.values(data.countries), ...Object.values(data.regions)]) {
  for (const source of rules.sources) {
    if (!(source in data.sources)) throw new Error(`calling windows: unknown source "${source}"`);
  }
}

const WHOLE_DAY: Interval[] = [{ start: 0, end: 24 * 60 }];

/** The intervals both lists allow. */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const x of a) {
    for (const y of b) {
      const start = Math.max(x.start, y.start);
      const end = Math.min(x.end, y.end);
      if (start < end) out.push({ start, end });
    }
  }
  return out.sort((p, q) => p.start - q.start);
}

export const contains = (intervals: readonly Interval[], minute: number) =>
  intervals.some((i) => minute >= i.start && minute < i.end);

const interval = (day: readonly [string, string]): Interval => ({
  start: parseHhMm(day[0]),
  end: parseHhMm(day[1]),
});

/** The hours a business's quiet window leaves open (it may wrap midnight; start = end: no quiet hours). */
export function openOutsideQuietHours(quiet: { start: string; end: string }): Interval[] {
  const start = parseHhMm(quiet.start);
  const end = parseHhMm(quiet.end);
  if (start === end) return WHOLE_DAY;
  if (start > end) return [{ start: end, end: start }];
  return [
    { start: 0, end: start },
    { start: end, end: 24 * 60 },
  ].filter((i) => i.start < i.end);
}

/** One rule's open hours on a day, and what it is called when it keeps a text back. */
interface Layer {
  open: Interval[];
  why: string;
}

function dayLayer(
  rules: DayRules,
  date: CalendarDate & { weekday: Weekday },
  region: string,
  who: string,
): Layer {
  const holiday = rules.holidays !== undefined ? holidayOn(date, region) : undefined;
  if (holiday !== undefined && rules.holidays === null) {
    return { open: [], why: `no business-initiated texts on a legal holiday in ${who} (${holiday})` };
  }
  const day =
    date.weekday === 'sat' ? rules.saturday : date.weekday === 'sun' ? rules.sunday : rules.weekdays;
  if (day === null) {
    return {
      open: [],
      why: `no business-initiated texts on ${date.weekday === 'sun' ? 'Sundays' : 'Saturdays'} in ${who}`,
    };
  }
  return { open: [interval(day)], why: `${who} calling hours ${day[0]}–${day[1]}` };
}

/** The country whose national rule applies under a region ("US-FL" → "US", "CA" → "CA"). */
const countryOf = (region: string | undefined) => (region ?? 'US').split('-')[0] ?? 'US';

export interface CallingDay {
  /** The minutes of the local day open to a business-initiated text. */
  open: Interval[];
  /** Why `minute` is closed (the day's ban, the business's quiet hours, the region's, the nation's hours), or undefined when open. */
  closedAt(minute: number): string | undefined;
}

/**
 * When a business may start a text on a local `date` to a lead in `region` (ISO 3166-2 such as
 * "US-FL"; undefined when unknown: the US federal rule alone): the national rule (47 CFR
 * 64.1200(c)(1); CRTC for Canada), the region's stricter rule and holidays
 * (`data/calling-windows.json`), and the business's own quiet hours, which may only narrow them.
 */
export function callingDay(
  date: CalendarDate & { weekday: Weekday },
  region: string | undefined,
  quiet: { start: string; end: string },
): CallingDay {
  const country = countryOf(region);
  const national = data.countries[country] ?? data.countries.US;
  const regional = region ? data.regions[region] : undefined;
  const layers = [
    ...(national ? [dayLayer(national, date, region ?? country, country)] : []),
    ...(regional && region ? [dayLayer(regional, date, region, region)] : []),
    { open: openOutsideQuietHours(quiet), why: `quiet hours ${quiet.start}–${quiet.end}` },
  ];
  // Reasons in the order a reader needs them: a day's ban, then the business's own choice,
  // then the narrowest law.
  const explained = [...layers.filter((l) => l.open.length === 0), ...layers.slice().reverse()];
  return {
    open: layers.reduce((open, layer) => intersect(open, layer.open), WHOLE_DAY),
    closedAt: (minute) => explained.find((layer) => !contains(layer.open, minute))?.why,
  };
}

/** Where each source key of the calling-window data points. */
export const callingWindowSources: Readonly<Record<string, string>> = data.sources;
