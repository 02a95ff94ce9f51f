import * as z from 'zod';
import { addCalendarDays, WEEKDAYS, type Weekday } from '#shared/domain/time.ts';
import rawHolidays from './data/holidays.json' with { type: 'json' };

/** A calendar date; month is 1-12. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const Rule = z.union([
  z.object({
    name: z.string(),
    month: z.number().int().min(1).max(12),
    day: z.number().int().min(1).max(31),
  }),
  z.object({
    name: z.string(),
    month: z.number().int().min(1).max(12),
    weekday: z.enum(WEEKDAYS as [Weekday, ...Weekday[]]),
    onOrAfter: z.number().int().min(1).max(31),
  }),
  z.object({
    name: z.string(),
    month: z.number().int().min(1).max(12),
    weekday: z.enum(WEEKDAYS as [Weekday, ...Weekday[]]),
    last: z.literal(true),
  }),
  z.object({ name: z.string(), easter: z.number().int() }),
]);
type Rule = z.infer<typeof Rule>;

const data = z
  .object({ federal: z.array(Rule), regions: z.record(z.string(), z.array(Rule)) })
  .parse(rawHolidays);

/** Easter Sunday of a Gregorian year (the anonymous Gregorian computus, Meeus/Jones/Butcher). */
export function easterSunday(year: number): CalendarDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  return { year, month, day: ((h + l - 7 * m + 114) % 31) + 1 };
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The date a rule falls on in `year`. */
function dateOf(rule: Rule, year: number): CalendarDate {
  if ('easter' in rule) return addCalendarDays(easterSunday(year), rule.easter);
  if ('day' in rule) return { year, month: rule.month, day: rule.day };
  const from = 'last' in rule ? daysInMonth(year, rule.month) - 6 : rule.onOrAfter;
  const start = addCalendarDays({ year, month: rule.month, day: from }, 0);
  const ahead = (WEEKDAYS.indexOf(rule.weekday) - WEEKDAYS.indexOf(start.weekday) + 7) % 7;
  return addCalendarDays(start, ahead);
}

const sameDate = (a: CalendarDate, b: CalendarDate) =>
  a.year === b.year && a.month === b.month && a.day === b.day;

/**
 * The legal holiday `date` is in `region` (ISO 3166-2, e.g. "US-AL"), or undefined. Covers the
 * federal holidays and the region's own (`data/holidays.json`), and the observed day of each: a
 * Saturday holiday also on the Friday before, a Sunday one on the Monday after.
 */
export function holidayOn(date: CalendarDate, region: string): string | undefined {
  const rules = [...data.federal, ...(data.regions[region] ?? [])];
  for (const rule of rules) {
    for (const year of [date.year - 1, date.year, date.year + 1]) {
      const actual = addCalendarDays(dateOf(rule, year), 0);
      const observed =
        actual.weekday === 'sat'
          ? addCalendarDays(actual, -1)
          : actual.weekday === 'sun'
            ? addCalendarDays(actual, 1)
            : actual;
      if (sameDate(actual, date) || sameDate(observed, date)) return rule.name;
    }
  }
  return undefined;
}
