import { localParts, type Weekday } from '#shared/domain/time.ts';

/** Which of the offered times a lead picks: by number, by ordinal, by weekday and time. */

const FILLER = new Set(
  (
    'works work working is good fine great perfect sounds for me please pls thanks thank you ok okay that ' +
    'one would be best lets let us do sure yes yeah yep yup the option slot time choice i take will pick ' +
    'choose go with want prefer it thx cool awesome then'
  ).split(' '),
);

const ORDINALS: Readonly<Record<string, number | 'last'>> = {
  first: 1,
  '1st': 1,
  second: 2,
  '2nd': 2,
  third: 3,
  '3rd': 3,
  fourth: 4,
  '4th': 4,
  fifth: 5,
  '5th': 5,
  last: 'last',
};

const WEEKDAY_WORDS: Readonly<Record<string, Weekday>> = {
  monday: 'mon',
  mon: 'mon',
  tuesday: 'tue',
  tues: 'tue',
  tue: 'tue',
  wednesday: 'wed',
  wed: 'wed',
  thursday: 'thu',
  thurs: 'thu',
  thu: 'thu',
  friday: 'fri',
  fri: 'fri',
  saturday: 'sat',
  sat: 'sat',
  sunday: 'sun',
  sun: 'sun',
};

function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9#\s']/g, ' ')
    .replace(/'/g, '')
    .split(/\s+/)
    .filter(Boolean);
}

function onlyFiller(words: ReadonlyArray<string>): boolean {
  return words.every((word) => FILLER.has(word));
}

function numericChoice(text: string, count: number): number | null {
  const flat = text.toLowerCase().trim();
  const leading =
    /^(?:option|opt|opci[oó]n|number|n[uú]mero|no\.?|slot|choice)?\s*#?\s*([1-5])(?![\d:])\s*[.)!]?(.*)$/s.exec(
      flat,
    );
  if (leading && onlyFiller(wordsOf(leading[2] ?? ''))) {
    const choice = Number(leading[1]);
    return choice <= count ? choice : null;
  }
  const labelled =
    /(?:\b(?:option|opci[oó]n|number|n[uú]mero|slot|choice)\s*#?\s*|#\s*)([1-5])\b(?![:\d])/.exec(flat);
  if (labelled) {
    const choice = Number(labelled[1]);
    return choice <= count ? choice : null;
  }
  return null;
}

function ordinalChoice(text: string, count: number): number | null {
  const words = wordsOf(text);
  const index = words.findIndex((word) => word in ORDINALS);
  if (index < 0) return null;
  const ordinal = ORDINALS[words[index] ?? ''];
  const next = words[index + 1];
  const rest = [...words.slice(0, index), ...words.slice(index + 1)];
  const pointsAtSlot = next === 'one' || next === 'option' || next === 'slot' || next === 'choice';
  if (!pointsAtSlot && !onlyFiller(rest)) return null;
  const choice = ordinal === 'last' ? count : (ordinal ?? 0);
  return choice >= 1 && choice <= count ? choice : null;
}

function timeChoice(
  text: string,
  offered: ReadonlyArray<{ start: string }>,
  timeZone: string,
): number | null {
  const lower = text.toLowerCase();
  if (/\b(?:not|can'?t|cannot|won'?t|don'?t|none|neither|after|before|busy|instead)\b/.test(lower))
    return null;

  let weekday: Weekday | undefined;
  for (const word of wordsOf(lower)) {
    const day = WEEKDAY_WORDS[word];
    if (day) {
      weekday = day;
      break;
    }
  }

  let time: { hour: number; minute: number; meridiem?: 'am' | 'pm' } | undefined;
  const clock = /(?:\b(at|@)\s*)?\b(\d{1,2})(?::([0-5]\d))?\s*(a\.?m\.?|p\.?m\.?)?(?![\d:])/g;
  for (const match of lower.matchAll(clock)) {
    const [, at, hourText, minuteText, meridiemText] = match;
    if (!at && !minuteText && !meridiemText) continue;
    const hour = Number(hourText);
    if (hour < 1 || hour > 23) continue;
    time = { hour, minute: minuteText ? Number(minuteText) : 0 };
    if (meridiemText) time.meridiem = meridiemText.startsWith('a') ? 'am' : 'pm';
    break;
  }
  if (!time && /\bnoon\b/.test(lower)) time = { hour: 12, minute: 0, meridiem: 'pm' };
  // "Thursday 9": an hour straight after the weekday.
  const dayHour = /\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s+(\d{1,2})\b(?![:\d])/.exec(lower);
  if (!time && weekday && dayHour) time = { hour: Number(dayHour[1]), minute: 0 };
  if (!weekday && !time) return null;

  const matching: number[] = [];
  offered.forEach((slot, index) => {
    const start = new Date(slot.start);
    if (Number.isNaN(start.getTime())) return;
    const local = localParts(start, timeZone);
    if (weekday && local.weekday !== weekday) return;
    if (time) {
      if (local.minute !== time.minute) return;
      if (time.meridiem) {
        const hour24 = (time.hour % 12) + (time.meridiem === 'pm' ? 12 : 0);
        if (local.hour !== hour24) return;
      } else if (time.hour > 12 ? local.hour !== time.hour : local.hour % 12 !== time.hour % 12) {
        return;
      }
    }
    matching.push(index + 1);
  });
  return matching.length === 1 ? (matching[0] ?? null) : null;
}

/** Which offered slot (1-based) a message picks, or null when it does not clearly pick one. */
export function findSlotChoice(
  text: string,
  offered: ReadonlyArray<{ start: string; end: string }>,
  timeZone?: string,
): number | null {
  const count = Math.min(offered.length, 5);
  if (count === 0) return null;
  const chosen = numericChoice(text, count) ?? ordinalChoice(text, count);
  if (chosen !== null) return chosen;
  if (timeZone) {
    const byTime = timeChoice(text, offered.slice(0, count), timeZone);
    if (byTime !== null) return byTime;
  }
  if (
    count === 1 &&
    /^\s*(?:yes|yeah|yep|yup|sure|ok|okay|sounds good|perfect|that works|works for me)\b[\s\S]{0,30}$/i.test(
      text,
    )
  ) {
    return 1;
  }
  return null;
}
