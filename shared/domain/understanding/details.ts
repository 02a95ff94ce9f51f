import { matchService, type ServiceLike } from './services.ts';

/** What a lead tells about themselves and their need, besides the service: name, need in words, budget. */

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

/** The name a lead gives ("this is Jane", "my name is", "me llamo", a signature), or null. */
export function extractName(text: string): string | null {
  const explicit =
    /\b(?:my name is|my name's|name is|name's|name:|mi nombre es|me llamo|je m'appelle)\s+([a-z][a-z'-]*(?:\s+[a-z][a-z'-]*){0,2})/i.exec(
      text,
    );
  if (explicit?.[1]) {
    const name = cleanNameWords(explicit[1].split(/\s+/));
    if (name) return name.split(' ').map(titleCase).join(' ');
  }

  const intro = new RegExp(
    `(?:^|[\\s,.!])(?:[Tt]his is|[Ii]t'?s|[Ii]'m|[Ii]m|[Ii] am|[Ss]oy)\\s+(${NAME_WORD}(?:\\s+${NAME_WORD}){0,2})`,
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

/** Flattens and cuts a text to `max` characters at a word, with an ellipsis. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 3);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}...`;
}

/** The sentence that says what the lead needs, shortened, or null. */
export function extractNeed(
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

/** A budget the lead states, verbatim, or null. */
export function extractBudget(text: string): string | null {
  for (const pattern of BUDGET_PATTERNS) {
    const match = pattern.exec(text);
    if (match && /\d/.test(match[0])) return match[0].trim().replace(/[,.]+$/, '');
  }
  return null;
}
