import { decideConsentKeyword } from '#shared/compliance/consent-keywords.ts';
import { findEmailInText, findPhoneInText } from '#shared/domain/contact.ts';
import {
  blankQualification,
  type Qualification,
  type QualificationInput,
} from '#shared/domain/qualification.ts';
import { localParts, type Weekday } from '#shared/domain/time.ts';

type Timing = Qualification['timing'];
type ServiceLike = { name: string; keywords: ReadonlyArray<string> };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Short keywords need whole words ("tub" must not match "tubular"), plus simple inflections. */
function keywordPattern(keyword: string): RegExp {
  const words = escapeRegExp(keyword.trim().toLowerCase()).replace(/\s+/g, '\\s+');
  const tail = keyword.trim().length <= 4 ? '(?:s|es|[a-z]?(?:ed|ing))?\\b' : '';
  return new RegExp(`\\b${words}${tail}`, 'i');
}

/** The service a text is about: most keyword hits wins, then the one mentioned first. */
export function matchService(text: string, services: ReadonlyArray<ServiceLike>): string | null {
  let best: { name: string; hits: number; at: number } | null = null;
  for (const service of services) {
    let hits = 0;
    let at = Number.POSITIVE_INFINITY;
    for (const keyword of new Set([service.name, ...service.keywords])) {
      if (keyword.trim().length === 0) continue;
      const match = keywordPattern(keyword).exec(text);
      if (!match) continue;
      hits++;
      at = Math.min(at, match.index);
    }
    if (hits > 0 && (!best || hits > best.hits || (hits === best.hits && at < best.at))) {
      best = { name: service.name, hits, at };
    }
  }
  return best?.name ?? null;
}

// --- intent -------------------------------------------------------------------------------

const SPAM_PATTERNS: readonly RegExp[] = [
  /\bcrypto(?:currency|currencies)?\b/i,
  /\bbitcoin\b/i,
  /\bforex\b/i,
  /\bseo (?:services?|agency|experts?|package)\b/i,
  /\bfirst page (?:of|on) google\b/i,
  /\b(?:web ?site|web) design services\b/i,
  /\bloan (?:is |has been )?approved\b/i,
  /\bpre-?approved\b/i,
  /\bbusiness (?:loan|funding)\b/i,
  /\bmerchant cash advance\b/i,
  /\bclick (?:here|the link|below)\b/i,
  /\byou(?:'ve| have) (?:won|been selected)\b/i,
  /\bclaim your (?:prize|reward|gift)\b/i,
  /\bfree (?:gift|iphone|money)\b/i,
  /\bgift card\b/i,
  /\bwork from home\b/i,
  /\bguaranteed (?:returns|income|leads)\b/i,
  /\blimited time offer\b/i,
  /\bact now\b/i,
  /\bbuy followers\b/i,
  /\bmore (?:leads|customers|reviews) for your business\b/i,
  /\bcasino\b/i,
];

const LINK = /\b(?:https?:\/\/|www\.)\S+|\b(?:bit\.ly|tinyurl\.com|t\.co)\/\S+/gi;

const WRONG_NUMBER_PATTERNS: readonly RegExp[] = [
  /\bwrong (?:number|person|#)/i,
  /\bwho(?: is|'s|s| dis)? (?:this|dis)\b/i,
  /\bi (?:didn'?t|did not|never) (?:text|txt|message|contact|call|email)(?:ed)? (?:you|this number|u)\b/i,
  /\byou (?:have|got) the wrong\b/i,
  /\bdon'?t know (?:who you are|you)\b/i,
];

function isSpam(text: string, service: string | null): boolean {
  const hits = SPAM_PATTERNS.filter((pattern) => pattern.test(text)).length;
  const links = text.match(LINK) ?? [];
  const wordsBesideLinks = text.replace(LINK, ' ').trim().split(/\s+/).filter(Boolean).length;
  if (links.length > 0 && wordsBesideLinks <= 1) return true;
  if (hits >= 2) return true;
  return hits >= 1 && (links.length > 0 || service === null);
}

function isWrongNumber(text: string, service: string | null): boolean {
  return service === null && WRONG_NUMBER_PATTERNS.some((pattern) => pattern.test(text));
}

// --- name ---------------------------------------------------------------------------------

const NOT_A_NAME = new Set(
  (
    'i a an the not so very just really still here back home out in on at from with your our my me we ' +
    'interested looking ready having trying calling texting writing wondering available urgent sorry ' +
    'hoping reaching contacting emailing glad happy new moving planning getting sure fine ok okay good ' +
    'can could would will please thanks thank need hi hello hey yes no and or but also sending ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march april may june july ' +
    'august september october november december'
  ).split(' '),
);

const NAME_WORD = "[A-Z][a-zA-Z'-]+";

function titleCase(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

function cleanNameWords(words: ReadonlyArray<string>): string | null {
  const kept: string[] = [];
  for (const word of words) {
    if (NOT_A_NAME.has(word.toLowerCase())) break;
    kept.push(word);
    if (kept.length === 3) break;
  }
  return kept.length > 0 ? kept.join(' ') : null;
}

function extractName(text: string): string | null {
  const explicit =
    /\b(?:my name is|my name's|name is|name:)\s+([a-z][a-z'-]*(?:\s+[a-z][a-z'-]*){0,2})/i.exec(text);
  if (explicit?.[1]) {
    const name = cleanNameWords(explicit[1].split(/\s+/));
    if (name) return name.split(' ').map(titleCase).join(' ');
  }

  const intro = new RegExp(
    `(?:^|[\\s,.!])(?:[Tt]his is|[Ii]'m|[Ii]m|[Ii] am)\\s+(${NAME_WORD}(?:\\s+${NAME_WORD}){0,2})`,
    'g',
  );
  for (const match of text.matchAll(intro)) {
    const name = cleanNameWords((match[1] ?? '').split(/\s+/));
    if (name) return name;
  }

  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const last = lines.at(-1) ?? '';
  const dashed = new RegExp(
    `(?:^|\\s)[-~\\u2013\\u2014]\\s*(${NAME_WORD}(?:\\s+${NAME_WORD}){0,2})\\s*\\.?$`,
  ).exec(last);
  if (dashed?.[1]) return cleanNameWords(dashed[1].split(/\s+/));
  const signOff = lines.at(-2) ?? '';
  if (
    lines.length >= 3 &&
    /^(?:thanks|thank you|thx|regards|best|best regards|kind regards|cheers|sincerely|many thanks)[,!.]*$/i.test(
      signOff,
    )
  ) {
    const signed = new RegExp(`^(${NAME_WORD}(?:\\s+${NAME_WORD}){0,2})$`).exec(last);
    if (signed?.[1]) return cleanNameWords(signed[1].split(/\s+/));
  }
  return null;
}

// --- need ---------------------------------------------------------------------------------

const GREETING =
  /^(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening)|greetings|dear [^,]*)\b[\s,!.:-]*(?:there|team|folks|all)?\b[\s,!.:-]*/i;
const INTRODUCTION = new RegExp(
  `^(?:this is|i'?m|i am|my name is|it'?s)\\s+${NAME_WORD}(?:\\s+${NAME_WORD})?(?:\\s+(?:from|with)\\s+[^,.!?]+)?\\s*(?:[,.!-]+|\\s+and\\b)\\s*`,
  'i',
);

function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}

function stripOpening(sentence: string): string {
  let rest = sentence;
  for (let i = 0; i < 3; i++) {
    const next = rest.replace(GREETING, '').replace(INTRODUCTION, '');
    if (next === rest) break;
    rest = next;
  }
  return rest.trim();
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 3);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}...`;
}

function extractNeed(
  text: string,
  services: ReadonlyArray<ServiceLike>,
  isFirstMessage: boolean,
): string | null {
  const sentences = sentencesOf(text).map(stripOpening);
  const aboutService = sentences.find((sentence) => matchService(sentence, services) !== null);
  const chosen =
    aboutService ??
    (isFirstMessage ? sentences.find((sentence) => sentence.split(/\s+/).length >= 3) : undefined);
  if (!chosen) return null;
  const need = shorten(chosen.replace(/[.!\s]+$/, ''), 160);
  return need.length > 0 ? need.charAt(0).toUpperCase() + need.slice(1) : null;
}

// --- timing, budget, location, meeting ----------------------------------------------------

const NOT_URGENT =
  /\b(?:not|isn'?t|no)\s+(?:an?\s+|super\s+|that\s+|very\s+)?(?:urgent|emergency|rush|hurry)\b/gi;

const TIMING_PATTERNS: ReadonlyArray<[Exclude<Timing, 'unknown'>, RegExp]> = [
  [
    'urgent',
    /\b(?:asap|a\.s\.a\.p|emergency|urgent(?:ly)?|today|tonight|right now|right away|immediately|as soon as possible|this (?:morning|afternoon|evening)|flooding|flooded|burst|water everywhere)\b/i,
  ],
  [
    'this_week',
    /\b(?:tomorrow|this week|(?:this )?weekend|monday|tuesday|tues|wednesday|thursday|thurs|friday|saturday|sunday|(?:next|in a|the next) (?:few|couple(?: of)?) days|within (?:a|the) week)\b/i,
  ],
  [
    'this_month',
    /\b(?:next week|this month|later this month|(?:end|by the end) of (?:the|this) month|in (?:two|2|three|3|a couple(?: of)?|a few) weeks|(?:a )?couple (?:of )?weeks|within (?:a|the) month)\b/i,
  ],
  [
    'later',
    /\b(?:next month|next year|sometime|some time|no rush|no hurry|not urgent|not in a hurry|just looking|just browsing|just curious|just getting (?:quotes|prices|an idea)|eventually|whenever|down the road|(?:in (?:a )?)?(?:few|couple(?: of)?) months|(?:in the |next )(?:spring|summer|fall|autumn|winter))\b/i,
  ],
];

function extractTiming(text: string): Timing {
  const negated = NOT_URGENT.test(text);
  NOT_URGENT.lastIndex = 0;
  const withoutNegations = text.replace(NOT_URGENT, ' ');
  for (const [timing, pattern] of TIMING_PATTERNS) {
    if (pattern.test(withoutNegations)) return timing;
  }
  return negated ? 'later' : 'unknown';
}

const AMOUNT = String.raw`\$\s?\d[\d,]*(?:\.\d+)?\s?(?:k\b|K\b)?`;
const LOOSE_AMOUNT = String.raw`\$?\s?\d[\d,]*(?:\.\d+)?\s?(?:k\b|K\b|grand\b|dollars\b|bucks\b)?`;
const RANGE_TAIL = String.raw`(?:\s*(?:-|to|and)\s*\$?\s?\d[\d,]*(?:\.\d+)?\s?(?:k\b|K\b)?)?`;
const BUDGET_PATTERNS: readonly RegExp[] = [
  new RegExp(
    String.raw`\bbudget(?:\s+(?:is|of|around|about|up to|under|max|roughly|approximately))*\s*:?\s*(?:~\s*)?${LOOSE_AMOUNT}${RANGE_TAIL}`,
    'i',
  ),
  new RegExp(
    String.raw`\b(?:under|up to|less than|no more than|around|about|max(?:imum)?|at most|between|roughly)\s+${AMOUNT}${RANGE_TAIL}`,
    'i',
  ),
  new RegExp(`${AMOUNT}${RANGE_TAIL}`),
  /\b\d[\d,]*(?:\.\d+)?\s?(?:k|grand|dollars|bucks)\b/i,
];

function extractBudget(text: string): string | null {
  for (const pattern of BUDGET_PATTERNS) {
    const match = pattern.exec(text);
    if (match && /\d/.test(match[0])) return match[0].trim().replace(/[,.]+$/, '');
  }
  return null;
}

const NOT_A_PLACE = new Set(
  (
    'the a an my our your this that i monday tuesday wednesday thursday friday saturday sunday january ' +
    'february march april may june july august september october november december english spanish ' +
    'person advance total general particular fact case need hurry rush'
  ).split(' '),
);
// A capitalised word; a dot only in the abbreviations town names use, so a sentence end stops the match.
const PLACE_WORD = "(?:St\\.|Ft\\.|Mt\\.|[A-Z][a-zA-Z'-]+)";
const CITY = new RegExp(
  `\\b(?:[Ii]n|[Nn]ear|[Aa]round|[Oo]ut in|[Oo]ver in|[Ll]ocated in|[Ll]ive in|[Bb]ased in|[Hh]ere in)\\s+(${PLACE_WORD}(?:\\s+${PLACE_WORD}){0,2})(?:,?\\s+([A-Z]{2})\\b)?`,
  'g',
);
const STREET = new RegExp(
  `\\b\\d{1,6}\\s+(?:${PLACE_WORD}\\s+){1,4}(?:St|Street|Ave|Avenue|Rd|Road|Dr|Drive|Ln|Lane|Blvd|Boulevard|Way|Ct|Court|Cir|Circle|Pkwy|Parkway|Trl|Trail|Pl|Place|Hwy|Highway|Loop|Cv|Cove)\\b\\.?(?:,\\s*${PLACE_WORD}(?:\\s+${PLACE_WORD}){0,2})?`,
);
const ZIP = /(?<![\d$,.-])\b(\d{5})(?:-\d{4})?\b(?![,.]?\d)/;

function extractCity(text: string): string | null {
  for (const match of text.matchAll(CITY)) {
    const words = (match[1] ?? '').split(/\s+/);
    const first = words[0]?.toLowerCase() ?? '';
    if (NOT_A_PLACE.has(first) && !(first === 'the' && words.length > 1)) continue;
    const end = words.findIndex((word, index) => index > 0 && NOT_A_PLACE.has(word.toLowerCase()));
    const city = (end < 0 ? words : words.slice(0, end)).join(' ');
    return match[2] && end < 0 ? `${city}, ${match[2]}` : city;
  }
  return null;
}

function extractLocation(text: string): string | null {
  const street = STREET.exec(text)?.[0]?.trim() ?? null;
  const city = extractCity(text);
  const zipMatch = ZIP.exec(text);
  const moneyBefore = /(?:budget|spend|pay|under|about|around)\s*(?:is|of)?\s*$/i;
  const zip = zipMatch && !moneyBefore.test(text.slice(0, zipMatch.index)) ? (zipMatch[1] ?? null) : null;
  const parts: string[] = [];
  for (const part of [street, city, zip]) {
    if (part && !parts.some((known) => known.toLowerCase().includes(part.toLowerCase()))) parts.push(part);
  }
  return parts.length > 0 ? shorten(parts.join(', '), 200) : null;
}

const NO_MEETING =
  /\b(?:don'?t|do not|no need to|please don'?t|never)\s+(?:call|come|visit|schedule|book|send)\b[^.!?\n]*/gi;
const WANTS_MEETING =
  /\b(?:call me|give me a (?:call|ring)|call (?:me )?back|phone call|appointment|appt|estimates?|quotes?|(?:home |site |in-home )?visit|come (?:out|by|over|take a look|look|fix|today|tomorrow|and)|(?:someone|somebody|anyone|a tech|a plumber) (?:to )?(?:come|out)|send (?:someone|somebody|a (?:tech|plumber|technician))|schedul(?:e|ing)|book(?:ing)?|meet(?:ing)?|available|availability|when can (?:you|someone)|can (?:you|someone|somebody) come|set up a time|consultation)\b/i;

function extractWantsMeeting(text: string): boolean {
  return WANTS_MEETING.test(text.replace(NO_MEETING, ' '));
}

// --- slot choice --------------------------------------------------------------------------

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
  const leading = /^(?:option|opt|number|no\.?|slot|choice)?\s*#?\s*([1-5])(?![\d:])\s*[.)!]?(.*)$/s.exec(
    flat,
  );
  if (leading && onlyFiller(wordsOf(leading[2] ?? ''))) {
    const choice = Number(leading[1]);
    return choice <= count ? choice : null;
  }
  const labelled = /(?:\b(?:option|number|slot|choice)\s*#?\s*|#\s*)([1-5])\b(?![:\d])/.exec(flat);
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

// --- the qualifier --------------------------------------------------------------------------

function summarise(body: string, subject: string | undefined): string {
  const text = body.trim() || subject?.trim() || '';
  return text.length > 0 ? shorten(text, 200) : '(empty message)';
}

function emptyQualification(intent: Qualification['intent'], summary: string): Qualification {
  return blankQualification({ intent, summary });
}

/**
 * Qualifies a message with rules alone: the fallback when no LLM is configured, or it is slow
 * or down. It reads less than a model but never fails and never guesses beyond the text.
 */
export function qualifyByRules(input: QualificationInput): Qualification {
  const body = input.body.trim();
  const subject = input.subject?.replace(/^(?:\s*(?:re|fwd?|aw|sv)\s*:\s*)+/i, '').trim();
  const text = [subject, body].filter((part) => part && part.length > 0).join('\n');
  const summary = summarise(body, subject);

  const keyword = decideConsentKeyword(body, { channel: input.channel, subject: input.subject });
  if (keyword) return emptyQualification(keyword, summary);
  if (text.length === 0) return emptyQualification('spam', summary);

  const service = matchService(text, input.business.services);
  if (isSpam(text, service)) return emptyQualification('spam', summary);
  if (isWrongNumber(body, service)) return emptyQualification('wrong_number', summary);

  const isFirstMessage = input.history.length === 0;
  const slotChoice = findSlotChoice(body, input.offeredSlots, input.timeZone);
  return {
    intent: isFirstMessage ? 'new_lead' : 'reply',
    name: extractName(body),
    email: findEmailInText(text),
    phone: findPhoneInText(text),
    need: extractNeed(text, input.business.services, isFirstMessage),
    service,
    timing: extractTiming(text),
    budget: extractBudget(text),
    location: extractLocation(body),
    wantsMeeting: slotChoice !== null || extractWantsMeeting(text),
    slotChoice,
    summary,
  };
}
