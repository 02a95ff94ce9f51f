import type { BusinessQuestion } from '#shared/domain/qualification.ts';
import questions from './data/questions.json' with { type: 'json' };
import { compileAll, findPhrase, type PhrasesByLanguage, type ReadText } from './text.ts';

/** What a lead asks about the business that its profile answers (`data/questions.json`). */

const topics = (Object.entries(questions.topics) as Array<[BusinessQuestion, PhrasesByLanguage]>).map(
  ([topic, phrases]) => ({ topic, phrases: compileAll(phrases) }),
);

export interface QuestionsReading {
  asked: BusinessQuestion[];
  /** Sentences that ask about opening hours: a day named there is not when the lead wants the work. */
  hoursSentences: Set<number>;
}

/** The topics a message asks about, in the order of `data/questions.json`. */
export const readQuestions = (read: ReadText): QuestionsReading => {
  const asked: BusinessQuestion[] = [];
  const hoursSentences = new Set<number>();
  for (const { topic, phrases } of topics) {
    for (const phrase of phrases) {
      const hits = findPhrase(read, phrase);
      if (hits.length === 0) continue;
      if (!asked.includes(topic)) asked.push(topic);
      if (topic === 'hours') {
        for (const hit of hits) hoursSentences.add(read.tokens[hit.first]?.sentence ?? -1);
      }
    }
  }
  return { asked, hoursSentences };
};
