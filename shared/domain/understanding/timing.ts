import * as chrono from 'chrono-node';
import type { Qualification } from '#shared/domain/qualification.ts';
import { localParts } from '#shared/domain/time.ts';
import timing from './data/timing.json' with { type: 'json' };
import { isNegated } from './negation.ts';
import {
  compileAll,
  findPhrase,
  foldAccents,
  type LexiconLanguage,
  type Phrase,
  type PhrasesByLanguage,
  type ReadText,
} from './text.ts';

/**
 * When the lead wants the work or the meeting. Dates are read by chrono-node
 * (https://github.com/wanasit/chrono) in the message's language, from the moment it arrived, in
 * the business's zone; the relative times it does not read, or reads too literally ("next week"
 * is a week away), come from `data/timing.json` and win over chrono's reading of the same words.
 * A time in the past ("since this morning"), a duration ("for a week"), any weekday ("a Saturday"),
 * the booked meeting's own day and a day in a question about opening hours are not timing.
 */

export type Timing = Qualification['timing'];
type Bucket = Exclude<Timing, 'unknown'>;
export type PartOfDay = NonNullable<Qualification['preferredPartOfDay']>;

const BUCKETS: readonly Bucket[] = ['urgent', 'this_week', 'this_month', 'later'];
const lexicon = BUCKETS.map((bucket) => ({
  bucket,
  phrases: compileAll(timing[bucket] as PhrasesByLanguage),
}));
const { about: _pastAbout, ...pastWords } = timing.past;
const PAST = new Set(Object.values(pastWords).flat());
const partsOfDay = (Object.entries(timing.partOfDay) as Array<[PartOfDay, PhrasesByLanguage]>).map(
  ([part, phrases]) => ({ part, phrases: compileAll(phrases) }),
);

const PARSERS: Readonly<Record<LexiconLanguage, chrono.Chrono>> = {
  en: chrono.casual,
  es: chrono.es.casual,
  fr: chrono.fr.casual,
  pt: chrono.pt.casual,
};

/** A length of time, not a moment: "for a week", "15 años", "a few years". */
const DURATION =
  /^(?:for|durante|pendant)\b|^(?:(?:about|around|over|almost|nearly|casi|environ|quase)\s+)?(?:a|an|one|two|three|a few|few|a couple(?: of)?|unos|unas|\d+)\s+(?:years?|months?|weeks?|days?|hours?|años|meses|semanas|días|horas|ans|mois|semaines|jours|heures|anos|semanas|dias)$/i;
/** "a Saturday", "every Monday", "all night": no particular day. */
const GENERIC_BEFORE = /\b(?:a|any|every|some|all|whole|cada|todos|todas|tous|toutes)\s*$/i;
/** "now" alone says when something happens, not when the lead wants the work ("the water is now coming through"). */
const BARE_NOW = /^(?:now|ahora|maintenant|agora)$/i;

export interface TimingReading {
  timing: Timing;
  /** The day asked for, YYYY-MM-DD in the business's zone, when the message names one. */
  preferredDate: string | null;
  preferredPartOfDay: PartOfDay | null;
}

const isoDay = (year: number, month: number, day: number) =>
  `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

const dayNumber = (year: number, month: number, day: number) => Date.UTC(year, month - 1, day) / 86_400_000;

const bucketForDays = (days: number): Bucket =>
  days <= 0 ? 'urgent' : days <= 7 ? 'this_week' : days <= 35 ? 'this_month' : 'later';

/** The span of a phrase hit in characters. */
const spanOf = (read: ReadText, hit: { first: number; last: number }) => ({
  from: read.tokens[hit.first]?.at ?? 0,
  to: read.tokens[hit.last]?.end ?? 0,
});

/**
 * Reads the timing of a text. `ignored`: sentences that are not about when (a question about
 * opening hours). `bookedDay`: the booked meeting's day (YYYY-MM-DD), which a message about moving
 * or cancelling names without asking for it.
 */
export const readTiming = (
  read: ReadText,
  context: {
    language: LexiconLanguage;
    receivedAt: Date;
    timeZone: string;
    ignored?: ReadonlySet<number>;
    bookedDay?: string | undefined;
  },
): TimingReading => {
  const ignored = context.ignored ?? new Set<number>();
  const sentenceAt = (charIndex: number) =>
    read.tokens.find((token) => token.end > charIndex)?.sentence ?? -1;

  const found: Array<{ bucket: Bucket; from: number; to: number; date?: string }> = [];
  for (const { bucket, phrases } of lexicon) {
    for (const phrase of phrases) {
      for (const hit of findPhrase(read, phrase)) {
        if (ignored.has(read.tokens[hit.first]?.sentence ?? -1) || isNegated(read, hit.first)) continue;
        found.push({ bucket, ...spanOf(read, hit) });
      }
    }
  }

  const now = localParts(context.receivedAt, context.timeZone);
  const today = dayNumber(now.year, now.month, now.day);
  const parser = PARSERS[context.language];
  const results = parser.parse(
    read.text,
    { instant: context.receivedAt, timezone: context.timeZone },
    { forwardDate: true },
  );
  for (const result of results) {
    const from = result.index;
    const to = result.index + result.text.length;
    if (ignored.has(sentenceAt(from))) continue;
    if (found.some((hit) => hit.from < to && from < hit.to)) continue;
    if (DURATION.test(result.text.trim()) || BARE_NOW.test(result.text.trim())) continue;
    // chrono's word boundaries are ASCII: "Mar" (Tuesday in Spanish) is found inside "María".
    if (/\p{L}/u.test(read.text.charAt(to)) || /\p{L}/u.test(read.text.charAt(from - 1))) continue;
    const before = read.text.slice(0, from);
    const previous = foldAccents(/([\p{L}']+)\s*$/u.exec(before)?.[1]?.toLowerCase() ?? '');
    if (PAST.has(previous) || /\bago\b/i.test(result.text)) continue;
    if (GENERIC_BEFORE.test(before)) continue;
    const year = result.start.get('year') ?? now.year;
    const month = result.start.get('month') ?? now.month;
    const monthOnly =
      result.start.isCertain('month') && !result.start.isCertain('day') && !result.start.isCertain('weekday');
    const day = monthOnly ? 15 : (result.start.get('day') ?? now.day);
    const days = dayNumber(year, month, day) - today;
    if (days < 0) continue;
    const date = isoDay(year, month, day);
    if (context.bookedDay === date) continue;
    found.push({ bucket: bucketForDays(days), from, to, ...(!monthOnly && { date }) });
  }

  if (found.length === 0)
    return { timing: 'unknown', preferredDate: null, preferredPartOfDay: partOfDay(read, ignored) };
  const soonest = found.reduce((best, hit) =>
    BUCKETS.indexOf(hit.bucket) < BUCKETS.indexOf(best.bucket) ? hit : best,
  );
  const dated = found.find((hit) => hit.date !== undefined);
  return {
    timing: soonest.bucket,
    preferredDate: dated?.date ?? null,
    preferredPartOfDay: partOfDay(read, ignored),
  };
};

/** "Tuesday afternoon", "por la mañana": the part of the day the lead asks for. */
const partOfDay = (read: ReadText, ignored: ReadonlySet<number>): PartOfDay | null => {
  let best: { part: PartOfDay; at: number } | null = null;
  for (const { part, phrases } of partsOfDay) {
    for (const phrase of phrases as Phrase[]) {
      for (const hit of findPhrase(read, phrase)) {
        if (ignored.has(read.tokens[hit.first]?.sentence ?? -1)) continue;
        if (!best || hit.first < best.at) best = { part, at: hit.first };
      }
    }
  }
  return best?.part ?? null;
};
