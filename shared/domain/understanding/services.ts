import concepts from './data/service-concepts.json' with { type: 'json' };
import {
  compileAll,
  compilePhrase,
  findPhrase,
  type Phrase,
  type PhrasesByLanguage,
  ReadText,
} from './text.ts';

/**
 * Which of the business's services a message is about, by meaning: the service's own name and
 * keywords, and the vocabulary of every concept they name (`data/service-concepts.json`), in the
 * languages the lexicon has, matched on stems.
 */

export interface ServiceLike {
  name: string;
  keywords: ReadonlyArray<string>;
}

interface WeightedPhrase {
  phrase: Phrase;
  weight: number;
}

/** A phrase weighing this much names the equipment itself ('water heater', 'furnace'): it outranks symptoms. */
const EQUIPMENT_WEIGHT = 3;
/** The least evidence that names a service: one room or fixture alone does not. */
const MIN_SCORE = 1;

const objects = compileAll(concepts.objects.phrases as PhrasesByLanguage);
const compiledConcepts = concepts.concepts.map((concept) => ({
  id: concept.id,
  anchors: concept.anchors.map((anchor) => key(compilePhrase(anchor, 'en'))),
  weight: concept.weight,
  phrases: compileAll(concept.phrases as PhrasesByLanguage),
}));

function key(phrase: Phrase): string {
  return phrase.words.map((word) => word.stem).join(' ');
}

const isObject = (phrase: Phrase) => objects.some((object) => key(object) === key(phrase));

const vocabularies = new WeakMap<ServiceLike, WeightedPhrase[]>();

/** A service's vocabulary: its name, its keywords (a room or fixture weighs little), and its concepts' phrases. */
export const vocabularyOf = (service: ServiceLike): WeightedPhrase[] => {
  const cached = vocabularies.get(service);
  if (cached) return cached;
  const own = [service.name, ...service.keywords]
    .filter((text) => text.trim().length > 0)
    .map((text) => compilePhrase(text, 'en'));
  const keys = new Set(own.map(key));
  const vocabulary: WeightedPhrase[] = [
    { phrase: own[0] as Phrase, weight: 2 },
    ...own.slice(1).map((phrase) => ({ phrase, weight: isObject(phrase) ? concepts.objects.weight : 2 })),
  ];
  for (const concept of compiledConcepts) {
    if (!concept.anchors.some((anchor) => keys.has(anchor))) continue;
    for (const phrase of concept.phrases) vocabulary.push({ phrase, weight: concept.weight });
  }
  vocabularies.set(service, vocabulary);
  return vocabulary;
};

export interface ServiceMatch {
  name: string;
  score: number;
  /** Index of the first token that spoke for it. */
  at: number;
}

/** Scores one service: every token counts once, for the weightiest phrase covering it. */
const scoreService = (read: ReadText, service: ServiceLike): ServiceMatch | null => {
  const hits: Array<{ first: number; last: number; weight: number }> = [];
  for (const { phrase, weight } of vocabularyOf(service)) {
    for (const hit of findPhrase(read, phrase)) hits.push({ ...hit, weight });
  }
  hits.sort((a, b) => b.weight - a.weight || b.last - b.first - (a.last - a.first));
  const covered = new Set<number>();
  const counted = new Set<string>();
  let score = 0;
  let equipment = false;
  let at = Number.POSITIVE_INFINITY;
  for (const hit of hits) {
    let overlaps = false;
    for (let i = hit.first; i <= hit.last; i++) if (covered.has(i)) overlaps = true;
    if (overlaps) continue;
    for (let i = hit.first; i <= hit.last; i++) covered.add(i);
    // The same words twice ("leak ... leaking") say no more than once.
    const words = read.tokens
      .slice(hit.first, hit.last + 1)
      .map((t) => t.word)
      .join(' ');
    if (counted.has(words)) continue;
    counted.add(words);
    score += hit.weight;
    if (hit.weight >= EQUIPMENT_WEIGHT) equipment = true;
    at = Math.min(at, hit.first);
  }
  if (score < MIN_SCORE) return null;
  return { name: service.name, score: score + (equipment ? 10 : 0), at };
};

/**
 * The service a text is about, or null: the highest score wins (a service whose equipment is named
 * outranks one matched by symptoms alone), then the one mentioned first.
 */
export const matchServiceIn = (read: ReadText, services: ReadonlyArray<ServiceLike>): string | null => {
  let best: ServiceMatch | null = null;
  for (const service of services) {
    const match = scoreService(read, service);
    if (match && (!best || match.score > best.score || (match.score === best.score && match.at < best.at))) {
      best = match;
    }
  }
  return best?.name ?? null;
};

/** The service a text is about, or null (see `matchServiceIn`). */
export const matchService = (text: string, services: ReadonlyArray<ServiceLike>): string | null =>
  matchServiceIn(new ReadText(text), services);
