import type { BusinessProfile } from '#shared/config/business-profile.ts';
import { parseHhMm, type Weekday } from '#shared/domain/time.ts';

const DAY_ORDER: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const ENGLISH_DAYS: Readonly<Record<Weekday, string>> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

function clockText(hhmm: string): string {
  const minutes = parseHhMm(hhmm);
  const hour = Math.floor(minutes / 60);
  const minute = minutes % 60;
  const hour12 = hour % 12 === 0 ? 12 : hour % 12;
  return `${hour12}${minute === 0 ? '' : `:${String(minute).padStart(2, '0')}`}${hour < 12 ? 'am' : 'pm'}`;
}

/** 'Mon-Sat 8am-6pm CT': opening hours in a few characters, with the day names given (English by default). */
export function describeHours(
  hours: BusinessProfile['hours'],
  timeZone: string,
  dayNames: Readonly<Record<Weekday, string>> = ENGLISH_DAYS,
): string {
  const open = DAY_ORDER.map((day) => hours.days.includes(day));
  const runs: string[] = [];
  for (let i = 0; i < DAY_ORDER.length; i++) {
    if (!open[i] || (i > 0 && open[i - 1])) continue;
    let j = i;
    while (j + 1 < DAY_ORDER.length && open[j + 1]) j++;
    const from = dayNames[DAY_ORDER[i] as Weekday];
    const to = dayNames[DAY_ORDER[j] as Weekday];
    runs.push(i === j ? from : `${from}-${to}`);
  }
  const zone =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortGeneric' })
      .formatToParts(new Date(0))
      .find((part) => part.type === 'timeZoneName')?.value ?? '';
  return `${runs.join(', ')} ${clockText(hours.open)}-${clockText(hours.close)}${zone ? ` ${zone}` : ''}`;
}
