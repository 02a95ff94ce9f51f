import urgency from './data/urgency.json' with { type: 'json' };
import type { LexiconLanguage, ReadText } from './text.ts';

const NEGATIONS = new Set(
  Object.values(urgency.negations as Record<LexiconLanguage, string[]>).flatMap((words) =>
    words.map((word) => word.toLowerCase()),
  ),
);

/** How many words before a phrase a negation still reaches ("not really an emergency"). */
const REACH = 3;

/** Whether the words just before token `index`, in its sentence, negate it ("not", "no", "sin", "pas"). */
export const isNegated = (read: ReadText, index: number): boolean => {
  const sentence = read.tokens[index]?.sentence;
  for (let i = index - 1; i >= Math.max(0, index - REACH); i--) {
    const token = read.tokens[i];
    if (!token || token.sentence !== sentence) return false;
    if (NEGATIONS.has(token.word) || token.word.endsWith("n't")) return true;
  }
  return false;
};

const AUXILIARY_QUESTION =
  /^\s*(?:[¿¡]\s*)?(?:do|does|can|could|will|would|are|is|have|hacen|atienden|tienen|faites|proposez)\b/i;

/** Whether a sentence asks what the business does ("Do you do emergency calls at night"). */
export const asksAboutBusiness = (sentence: string): boolean => AUXILIARY_QUESTION.test(sentence);
