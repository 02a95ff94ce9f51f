import * as z from 'zod';
import { clausesOf, linesOf, squeeze, subjectText, type Words, wordsOf } from './consent-text.ts';
import rawData from './data/consent-keywords.json' with { type: 'json' };
import { asClause, compilePhrasePattern } from './phrase-pattern.ts';

/** What a message asks of our messaging: to stop, to start again, or for help. */
export type ConsentKeyword = 'opt_out' | 'opt_in' | 'help';
/** A text channel (SMS, WhatsApp) reads keywords as a whole message; email reads the subject too. */
export type ConsentChannel = 'sms' | 'whatsapp' | 'email';

/** Which entry of `data/consent-keywords.json` decided, for the consent ledger. */
export interface ConsentRule {
  kind: 'keyword' | 'phrase';
  /** `keyword:<words>` or `phrase:<language>:<pattern>`. */
  id: string;
  /** A key of the data file's `sources`. */
  source: string;
  /** The keyword or pattern, as written in the data. */
  text: string;
}

export interface ConsentMatch {
  action: ConsentKeyword;
  rule: ConsentRule;
  /** The clause that matched, normalised. */
  evidence: string;
}

const Action = z.enum(['opt_out', 'opt_in', 'help']);
const WordList = z.object({ words: z.array(z.string().min(1)) });
const PatternList = z.object({ patterns: z.array(z.string().min(1)) });
const ConsentData = z.object({
  sources: z.record(z.string(), z.string()),
  keywords: z.array(
    z.object({
      words: z.string().min(1),
      action: Action,
      strong: z.boolean().default(false),
      source: z.string(),
      variants: z.array(z.string()).default([]),
    }),
  ),
  courtesies: WordList,
  phrases: z.array(
    z.object({
      language: z.string().min(2),
      pattern: z.string().min(1),
      example: z.string().min(1),
      scope: z.literal('marketing').optional(),
    }),
  ),
  negations: WordList,
  scopeWords: WordList,
  serviceRequests: PatternList,
  footers: z.object({ optOutWords: z.array(z.string()), mechanics: z.array(z.string()) }),
  signatures: PatternList,
});

const data = ConsentData.parse(rawData);
for (const entry of [...data.keywords, { source: 'leadline' }]) {
  if (!(entry.source in data.sources)) throw new Error(`consent keywords: unknown source "${entry.source}"`);
}

/** Squeezed words joined by spaces: how keyword and courtesy sequences are looked up. */
const key = (words: Words) => words.map(squeeze).join(' ');

interface KeywordEntry {
  action: ConsentKeyword;
  strong: boolean;
  rule: ConsentRule;
}
const keywords = new Map<string, KeywordEntry>();
for (const entry of data.keywords) {
  const value: KeywordEntry = {
    action: entry.action,
    strong: entry.strong,
    rule: { kind: 'keyword', id: `keyword:${entry.words}`, source: entry.source, text: entry.words },
  };
  for (const spelling of [entry.words, ...entry.variants]) keywords.set(key(spelling.split(' ')), value);
}
const courtesies = new Set(data.courtesies.words.map((words) => key(words.split(' '))));
const LONGEST = Math.max(...[...keywords.keys(), ...courtesies].map((k) => k.split(' ').length));

const phrases = data.phrases.map((phrase) => ({
  ...phrase,
  regex: compilePhrasePattern(phrase.pattern),
  rule: {
    kind: 'phrase' as const,
    id: `phrase:${phrase.language}:${phrase.pattern}`,
    source: 'leadline',
    text: phrase.pattern,
  },
}));
const compileAll = (patterns: readonly string[]) => patterns.map(compilePhrasePattern);
const negations = data.negations.words.map((words) => words.split(' '));
const scopeWords = compileAll(data.scopeWords.words);
const serviceRequests = compileAll(data.serviceRequests.patterns);
const footerOptOutWords = compileAll(data.footers.optOutWords);
const footerMechanics = compileAll(data.footers.mechanics);
const signatures = compileAll(data.signatures.patterns);

const anyMatch = (regexes: readonly RegExp[], words: Words) => {
  const clause = asClause(words);
  return regexes.some((regex) => regex.test(clause));
};

/**
 * Reads words as keywords and courtesies only ("stop please", "STOP STOP", "No thanks, stop").
 * Courtesies are allowed only around strong opt-out keywords: "cancel please" may be about an
 * appointment, so a weaker keyword must stand alone as carriers require.
 */
function readKeywords(words: Words): KeywordEntry | undefined {
  const found: KeywordEntry[] = [];
  let courtesy = false;
  for (let i = 0; i < words.length; ) {
    let step = 0;
    for (let length = Math.min(LONGEST, words.length - i); length > 0 && step === 0; length--) {
      const candidate = key(words.slice(i, i + length));
      const keyword = keywords.get(candidate);
      if (keyword) found.push(keyword);
      else if (courtesies.has(candidate)) courtesy = true;
      else continue;
      step = length;
    }
    if (step === 0) return undefined;
    i += step;
  }
  const first = found[0];
  if (!first) return undefined;
  const optOut = found.find((k) => k.action === 'opt_out');
  if (courtesy || found.some((k) => k.action !== first.action)) {
    // Opt-out is law: STOP among other keywords still stops.
    return optOut?.strong && found.every((k) => k.action !== 'opt_out' || k.strong) ? optOut : undefined;
  }
  return optOut ?? first;
}

/** Courtesies at either end of a clause ("remove me please" → "remove me"). */
function trimCourtesies(words: Words): Words {
  let start = 0;
  let end = words.length;
  const isCourtesy = (from: number, to: number) => to > from && courtesies.has(key(words.slice(from, to)));
  for (let moved = true; moved; ) {
    moved = false;
    for (let length = LONGEST; length > 0; length--) {
      if (start + length <= end && isCourtesy(start, start + length)) {
        start += length;
        moved = true;
        break;
      }
      if (end - length >= start && isCourtesy(end - length, end)) {
        end -= length;
        moved = true;
        break;
      }
    }
  }
  return words.slice(start, end);
}

/** True when the words right before position `at` negate what follows ("don't stop texting me"). */
const negatedAt = (words: Words, at: number) =>
  negations.some(
    (negation) =>
      at >= negation.length && negation.every((word, i) => words[at - negation.length + i] === word),
  );

interface PhraseHit {
  match: ConsentMatch;
  scoped: boolean;
}

function phraseHits(words: Words): PhraseHit[] {
  const hits: PhraseHit[] = [];
  const scopedClause = anyMatch(scopeWords, words);
  for (const candidate of new Set([words, trimCourtesies(words)])) {
    const clause = asClause(candidate);
    for (const phrase of phrases) {
      const found = phrase.regex.exec(clause);
      if (!found) continue;
      const before = (clause.slice(0, found.index).match(/ /g) ?? []).length;
      if (negatedAt(candidate, before)) continue;
      hits.push({
        match: { action: 'opt_out', rule: phrase.rule, evidence: candidate.join(' ') },
        scoped: phrase.scope === 'marketing' || scopedClause,
      });
    }
  }
  return hits;
}

/** A bulk sender's instruction ("Unsubscribe here", "Reply STOP to opt out. Msg&data rates..."). */
const isFooterLine = (line: string) => {
  const words = wordsOf(line);
  return anyMatch(footerOptOutWords, words) && anyMatch(footerMechanics, words);
};

/** The person's own lines: bulk-sender footers dropped, and everything from a client signature on. */
function ownLines(text: string): string[] {
  const lines = linesOf(text);
  const cut = lines.findIndex(
    (line, i) => i > 0 && (/^\s*--\s*$/.test(line) || anyMatch(signatures, wordsOf(line))),
  );
  return (cut === -1 ? lines : lines.slice(0, cut)).filter(
    (line) => !isFooterLine(line) && !/^\s*[-–—~]+\s*\S+(?:\s+\S+)?\s*$/.test(line),
  );
}

/** True when a message asks for service, which keeps a marketing-only opt-out from ending the conversation. */
const asksForService = (clauses: readonly Words[]) => clauses.some((c) => anyMatch(serviceRequests, c));

/** Opt-out phrases and stand-alone strong keywords in clauses; unscoped first. */
function clauseOptOut(
  clauses: ReadonlyArray<{ words: Words; keywordsCount: boolean }>,
  allClauses: readonly Words[],
): ConsentMatch | null {
  const scoped: ConsentMatch[] = [];
  for (const { words, keywordsCount } of clauses) {
    const keyword = keywordsCount ? readKeywords(words) : undefined;
    if (keyword?.action === 'opt_out' && keyword.strong) {
      return { action: 'opt_out', rule: keyword.rule, evidence: words.join(' ') };
    }
    for (const hit of phraseHits(words)) {
      if (!hit.scoped) return hit.match;
      scoped.push(hit.match);
    }
  }
  return scoped.length > 0 && !asksForService(allClauses) ? (scoped[0] ?? null) : null;
}

/**
 * What a message asks of our messaging, with the rule that decided it (for the consent ledger),
 * or null when it asks nothing of the kind.
 *
 * - The whole message (footer lines of bulk senders and client signatures left out) that is
 *   only carrier keywords, repeated or punctuated ("STOP", "STOP. STOP.", "Stopp"), is that
 *   keyword; strong opt-out keywords may carry courtesies ("stop please", "No thanks, stop").
 * - A strong opt-out keyword standing as its own clause ("Not interested. Stop") opts out; in an
 *   email only in the first paragraph, where a person writes, not in a mailing's link list.
 * - Opt-out phrases (`phrases` in the data, FCC 24-24 "any reasonable means") opt out anywhere
 *   but in footers; a phrase limited to marketing does not when the message also asks for service.
 * - An email subject that is an opt-out keyword or phrase opts out.
 * Opt-in and help are only ever whole-message keywords (CTIA, Twilio), so a lead's "yes" or
 * "I need help with my water heater" is never one. Pure and synchronous: no I/O.
 */
export function matchConsentKeyword(
  text: string,
  context: { channel: ConsentChannel; subject?: string | undefined },
): ConsentMatch | null {
  const lines = ownLines(text);
  const whole = readKeywords(wordsOf(lines.join('\n')));
  if (whole) return { action: whole.action, rule: whole.rule, evidence: wordsOf(lines.join(' ')).join(' ') };

  const firstBlank = lines.findIndex((line, i) => i > 0 && line.trim() === '');
  const clauses = lines.flatMap((line, i) =>
    clausesOf(line).map((words) => ({
      words,
      // In an email, a lone "Unsubscribe" under the first paragraph is a mailing's link label.
      keywordsCount: context.channel !== 'email' || firstBlank === -1 || i < firstBlank,
    })),
  );
  const allClauses = clauses.map((c) => c.words);
  const body = clauseOptOut(clauses, allClauses);
  if (body) return body;

  if (context.channel === 'email' && context.subject) {
    const subject = subjectText(context.subject);
    const keyword = readKeywords(wordsOf(subject));
    if (keyword?.action === 'opt_out') return { action: 'opt_out', rule: keyword.rule, evidence: subject };
    return clauseOptOut(
      clausesOf(subject).map((words) => ({ words, keywordsCount: true })),
      allClauses,
    );
  }
  return null;
}

/**
 * The rules' decision on a message: 'opt_out', 'opt_in', 'help' or null. Pure, synchronous and
 * fast, so a webhook can call it before it answers the provider. See `matchConsentKeyword`.
 */
export function decideConsentKeyword(
  text: string,
  context: { channel: ConsentChannel; subject?: string | undefined },
): ConsentKeyword | null {
  return matchConsentKeyword(text, context)?.action ?? null;
}

/** Where each source key of the keyword data points (for the ledger and the docs). */
export const consentSources: Readonly<Record<string, string>> = data.sources;
