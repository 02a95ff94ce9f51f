export type KeywordClass = 'opt_out' | 'opt_in' | 'help';

/** Carrier and CTIA keywords, matched against the whole message. */
export const OPT_OUT_KEYWORDS: readonly string[] = [
  'STOP',
  'STOPALL',
  'STOP ALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
  'OPT OUT',
];
// YES is left out on purpose: leads answer our questions with "yes".
export const OPT_IN_KEYWORDS: readonly string[] = ['START', 'UNSTOP'];
export const HELP_KEYWORDS: readonly string[] = ['HELP', 'INFO'];

/** Keywords clear enough to stay an opt-out when wrapped in politeness ("stop please"). */
const SOFTENABLE_OPT_OUT = new Set(['STOP', 'STOPALL', 'STOP ALL', 'UNSUBSCRIBE', 'OPTOUT', 'OPT OUT']);
const POLITENESS = new Set([
  'PLEASE',
  'PLS',
  'PLZ',
  'THANKS',
  'THANK',
  'YOU',
  'NOW',
  'IT',
  'THIS',
  'ALREADY',
  'IMMEDIATELY',
  'ASAP',
  'JUST',
  'OK',
  'OKAY',
]);

/**
 * FCC 24-18: consent can be revoked "by any reasonable means", so clear revocations inside a
 * longer message count too. Each pattern names the act of messaging so that ordinary words
 * ("the leak won't stop", "stop by tomorrow", "my drain stopped") do not match.
 */
const REVOCATION_PHRASES: readonly RegExp[] = [
  /\bstop (?:texting|txting|messaging|contacting|emailing|spamming|bothering) (?:me|us|this number)\b/i,
  /\bstop (?:texting|txting|messaging|contacting|emailing|spamming)\s*(?:[.!]|$)/i,
  /\bstop sending (?:me |us )?(?:texts|txts|messages|emails|these|this)\b/i,
  /\b(?:remove|delete|take) (?:me|my (?:number|info|email|details)|this number) (?:off|from)\b/i,
  /\bremove me\b/i,
  /\b(?:don'?t|do not|never|dont) (?:text|txt|message|contact|email) (?:me|us|this number)\b(?! (?:before|after|until|till|between|at|during|on|in|early|late|so|when|while)\b)/i,
  /\bunsubscribe\b/i,
  /\bopt (?:me )?out\b|\bopt-out\b|\boptout\b/i,
  /\bleave me alone\b/i,
  /\bno more (?:texts|messages|txts|emails)\b/i,
  /\b(?:lose|delete) my number\b/i,
];

function normaliseKeywordText(body: string): string {
  return body
    .normalize('NFKC')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')
    .replace(/[\s-]+/g, ' ')
    .toUpperCase();
}

function classifyWholeMessage(text: string): KeywordClass | null {
  if (OPT_OUT_KEYWORDS.includes(text)) return 'opt_out';
  if (OPT_IN_KEYWORDS.includes(text)) return 'opt_in';
  if (HELP_KEYWORDS.includes(text)) return 'help';
  return null;
}

function isSoftenedOptOut(text: string): boolean {
  const words = text
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter((word) => word.length > 0 && !POLITENESS.has(word));
  return words.length > 0 && words.length <= 2 && SOFTENABLE_OPT_OUT.has(words.join(' '));
}

/**
 * What a message asks of our texting: to stop, to start again, or for help; null for anything
 * else. Keywords count as the whole message, case and surrounding punctuation ignored.
 */
export function classifyKeyword(body: string): KeywordClass | null {
  const text = normaliseKeywordText(body);
  if (text.length === 0) return null;
  const keyword = classifyWholeMessage(text);
  if (keyword) return keyword;
  if (isSoftenedOptOut(text)) return 'opt_out';
  const prose = body.replace(/[\u2018\u2019]/g, "'").replace(/\s+/g, ' ');
  return REVOCATION_PHRASES.some((phrase) => phrase.test(prose)) ? 'opt_out' : null;
}

/** Twilio's Advanced Opt-Out classification, when the webhook carries it, is authoritative. */
const keywordFromOptOutType = { STOP: 'opt_out', START: 'opt_in', HELP: 'help' } as const;

/**
 * The consent keyword an inbound message carries, decided by rules alone (cheap, no I/O), so
 * the webhook can put an opt-out in force before it answers and `qualify` decides the same:
 * Twilio's `OptOutType` first, then the body's keywords and phrases, then an email subject that
 * is itself an opt-out ("unsubscribe", whatever the body quotes). Automatic mail carries none.
 */
export function consentKeyword(message: {
  body: string;
  subject?: string | undefined;
  optOutType?: 'STOP' | 'START' | 'HELP' | undefined;
  automated?: boolean | undefined;
}): KeywordClass | null {
  if (message.automated) return null;
  if (message.optOutType) return keywordFromOptOutType[message.optOutType];
  const keyword = classifyKeyword(message.body);
  if (keyword) return keyword;
  return message.subject && classifyKeyword(message.subject) === 'opt_out' ? 'opt_out' : null;
}
