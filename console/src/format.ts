export { formatDuration, INTENT_LABELS, STAGE_LABELS } from '#shared/console/format.ts';

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto', style: 'short' });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

/** "now", "3 min. ago", "yesterday". */
export const timeAgo = (iso: string, now = Date.now()): string => {
  let value = (Date.parse(iso) - now) / 1000;
  if (Math.abs(value) < 10) return 'just now';
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
    value /= size;
  }
  return iso;
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "Nov 24, 10:02 AM" in the given time zone (the lead's), or the browser's. */
export const dateTime = (iso: string, timeZone?: string): string => {
  const key = timeZone ?? '';
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      ...(timeZone && { timeZone, timeZoneName: 'short' }),
    });
    formatters.set(key, formatter);
  }
  return formatter.format(new Date(iso));
};

/** "+1 (512) 555-0123" for a NANP number; anything else as given. */
export const phone = (value: string): string => {
  const match = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(value);
  return match ? `+1 (${match[1]}) ${match[2]}-${match[3]}` : value;
};
