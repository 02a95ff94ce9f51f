import snowball from 'snowball-stemmers';
import { foldAccents } from './fold.ts';

/**
 * Words as the rules compare them: lower-cased, stemmed with the Snowball stemmer of a language
 * (https://snowballstem.org/algorithms/), then stripped of accents, so "leaking", "leaks" and
 * "leaked" are one word, and "inundación" written without its accent still matches.
 */

/** Languages the lexicons are written in; a phrase is stemmed with its own language's stemmer. */
export type LexiconLanguage = 'en' | 'es' | 'fr' | 'pt';

const ALGORITHMS: Readonly<Record<LexiconLanguage, string>> = {
  en: 'english',
  es: 'spanish',
  fr: 'french',
  pt: 'portuguese',
};

const stemmers = new Map<LexiconLanguage, { stem(word: string): string }>();
const stemmerFor = (language: LexiconLanguage) => {
  let stemmer = stemmers.get(language);
  if (!stemmer) {
    stemmer = snowball.newStemmer(ALGORITHMS[language]);
    stemmers.set(language, stemmer);
  }
  return stemmer;
};

export { foldAccents } from './fold.ts';

/** One word of a text, where it is, and its sentence. */
export interface Token {
  /** Lower-cased, as written (accents kept). */
  word: string;
  /** Index of the first character in the text. */
  at: number;
  end: number;
  sentence: number;
}

/** French and Italian elision ("d'eau", "l'évier"): the word is what follows the apostrophe. */
const ELISION = /^([dlnjmstc]|qu)'([aeiouyhàâéèêëîïôûü].*)$/;
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
const SENTENCE_END = /[.!?¡¿\n;]/;

/** The words of a text, with the sentence each is in (a full stop, ! ? ; or a line break ends one). */
export const tokenize = (text: string): Token[] => {
  const tokens: Token[] = [];
  let sentence = 0;
  let last = 0;
  for (const match of text.matchAll(WORD)) {
    const between = text.slice(last, match.index);
    if (SENTENCE_END.test(between)) sentence++;
    const word = match[0].toLowerCase().replace(/’/g, "'");
    const elided = ELISION.exec(word);
    const skip = elided ? word.length - (elided[2]?.length ?? 0) : 0;
    tokens.push({
      word: word.slice(skip),
      at: match.index + skip,
      end: match.index + match[0].length,
      sentence,
    });
    last = match.index + match[0].length;
  }
  return tokens;
};

/** A word's stem in a language, accents removed ("goteando" → "got", "leaking" → "leak"). */
export const stem = (word: string, language: LexiconLanguage): string =>
  foldAccents(stemmerFor(language).stem(word.toLowerCase().replace(/'s$/, '')));

/** A text read once: its tokens and, per language asked for, their stems. */
export class ReadText {
  readonly text: string;
  readonly tokens: Token[];
  readonly #stems = new Map<LexiconLanguage, string[]>();

  constructor(text: string) {
    this.text = text;
    this.tokens = tokenize(text);
  }

  stems(language: LexiconLanguage): string[] {
    let stems = this.#stems.get(language);
    if (!stems) {
      stems = this.tokens.map((token) => stem(token.word, language));
      this.#stems.set(language, stems);
    }
    return stems;
  }

  /** The text of the sentence a token is in. */
  sentenceOf(index: number): string {
    const sentence = this.tokens[index]?.sentence;
    const inSentence = this.tokens.filter((token) => token.sentence === sentence);
    const first = inSentence[0];
    const last = inSentence.at(-1);
    return first && last ? this.text.slice(first.at, last.end) : '';
  }
}

/**
 * A lexicon phrase, stemmed: its words in order; a word ending in `*` matches any word it begins.
 * Between two words the text may have filler words ("the", "my", "el"); after `...` in a phrase,
 * up to three words of any kind ("someone ... come" matches "someone could come").
 */
export interface Phrase {
  text: string;
  language: LexiconLanguage;
  words: Array<{ stem: string; prefix: boolean; anyGap: boolean }>;
}

/** Words left out of a phrase when it is compiled and skipped between its words when matched. */
const FILLER: Readonly<Record<LexiconLanguage, ReadonlySet<string>>> = {
  en: new Set('a an the my our your his her their its of'.split(' ')),
  es: new Set('el la los las un una unos unas mi mis su sus de del al lo'.split(' ')),
  fr: new Set("le la les un une des mon ma mes notre nos votre vos de du d' l'".split(' ')),
  pt: new Set('o a os as um uma meu minha meus minhas de do da dos das'.split(' ')),
};

/** Compiles a lexicon phrase: "coming through the ceiling" → coming, through, ceiling (stemmed). */
export const compilePhrase = (text: string, language: LexiconLanguage): Phrase => {
  const written = text
    .trim()
    .toLowerCase()
    .split(/[\s/-]+/)
    .map((word) => (word === '...' || word === '…' ? word : word.replace(/’/g, "'").replace(/[.,!?¿¡]/g, '')))
    .map((word) => ELISION.exec(word)?.[2] ?? word)
    .filter((word) => word.length > 0)
    // A filler word inside a phrase may be any filler in the text ("through the ceiling" matches
    // "through my ceiling"); at its start or end it is part of what the phrase says ("your hours").
    .filter((word, index, all) => index === 0 || index === all.length - 1 || !FILLER[language].has(word));
  const words: Phrase['words'] = [];
  let anyGap = false;
  for (const word of written) {
    if (word === '...' || word === '…') {
      anyGap = true;
      continue;
    }
    const prefix = word.endsWith('*');
    const bare = prefix ? word.slice(0, -1) : word;
    words.push({ stem: prefix ? foldAccents(bare) : stem(bare, language), prefix, anyGap });
    anyGap = false;
  }
  return { text, language, words };
};

/** Words that may stand between two words of a phrase: filler only, or any after `...`. */
const MAX_GAP = 3;

const wordMatches = (
  want: Phrase['words'][number],
  stemmed: string,
  written: string,
  language: LexiconLanguage,
): boolean => {
  if (want.prefix) return foldAccents(written).startsWith(want.stem);
  if (stemmed === want.stem) return true;
  // English adjectives in -y stem to -i ("leaky" → "leaki"): the same word as "leak".
  return language === 'en' && want.stem.length >= 4 && stemmed === `${want.stem}i`;
};

/** Every place a phrase occurs, in order, within one sentence: the index of its first and last token. */
export const findPhrase = (read: ReadText, phrase: Phrase): Array<{ first: number; last: number }> => {
  const stems = read.stems(phrase.language);
  const found: Array<{ first: number; last: number }> = [];
  const [head, ...rest] = phrase.words;
  if (!head) return found;
  for (let i = 0; i < read.tokens.length; i++) {
    const token = read.tokens[i] as Token;
    if (!wordMatches(head, stems[i] ?? '', token.word, phrase.language)) continue;
    let at = i;
    let ok = true;
    for (const want of rest) {
      let next = -1;
      for (let j = at + 1; j <= at + 1 + MAX_GAP && j < read.tokens.length; j++) {
        const candidate = read.tokens[j];
        if (candidate?.sentence !== token.sentence) break;
        if (wordMatches(want, stems[j] ?? '', candidate.word, phrase.language)) {
          next = j;
          break;
        }
        if (!want.anyGap && !FILLER[phrase.language].has(candidate.word)) break;
      }
      if (next < 0) {
        ok = false;
        break;
      }
      at = next;
    }
    if (ok) found.push({ first: i, last: at });
  }
  return found;
};

/** A lexicon entry as written in the data files: phrases per language. */
export type PhrasesByLanguage = Partial<Record<LexiconLanguage, ReadonlyArray<string>>>;

/** Compiles the phrases of every language of an entry. */
export const compileAll = (phrases: PhrasesByLanguage): Phrase[] =>
  (Object.entries(phrases) as Array<[LexiconLanguage, ReadonlyArray<string>]>).flatMap(([language, list]) =>
    list.map((text) => compilePhrase(text, language)),
  );

/** The first occurrence of any of the phrases, or null. */
export const findAny = (
  read: ReadText,
  phrases: ReadonlyArray<Phrase>,
): { phrase: Phrase; first: number; last: number } | null => {
  let best: { phrase: Phrase; first: number; last: number } | null = null;
  for (const phrase of phrases) {
    const [hit] = findPhrase(read, phrase);
    if (hit && (!best || hit.first < best.first)) best = { phrase, ...hit };
  }
  return best;
};
