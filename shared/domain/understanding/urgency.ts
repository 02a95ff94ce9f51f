import type { Urgency } from '#shared/domain/qualification.ts';
import urgency from './data/urgency.json' with { type: 'json' };
import { asksAboutBusiness, isNegated } from './negation.ts';
import { compileAll, findPhrase, type Phrase, type PhrasesByLanguage, type ReadText } from './text.ts';

/**
 * How pressing a lead's situation is (`data/urgency.json`): an emergency is damage or danger
 * happening now, whatever else the message says or lacks; urgent is needed today or as soon as
 * possible, or something essential lost.
 */

const emergencyGroups = urgency.emergency.map((group) => ({
  phrases: compileAll(group.phrases as PhrasesByLanguage),
  with: 'with' in group && group.with ? compileAll(group.with as PhrasesByLanguage) : null,
  statement: 'statement' in group && group.statement === true,
}));
const urgentPhrases = compileAll(urgency.urgent as PhrasesByLanguage);
const notUrgentPhrases = compileAll(urgency.notUrgent as PhrasesByLanguage);

/** Where a phrase occurs, not negated and not in an ignored sentence. */
const occurs = (read: ReadText, phrases: ReadonlyArray<Phrase>, ignored: ReadonlySet<number>) =>
  phrases.some((phrase) =>
    findPhrase(read, phrase).some(
      (hit) => !isNegated(read, hit.first) && !ignored.has(read.tokens[hit.first]?.sentence ?? -1),
    ),
  );

/** Whether the message describes an emergency (`data/urgency.json`, "emergency"). */
export const isEmergency = (read: ReadText, ignored: ReadonlySet<number> = new Set()): boolean =>
  emergencyGroups.some((group) => {
    const hits = group.phrases.flatMap((phrase) =>
      findPhrase(read, phrase).filter(
        (hit) => !isNegated(read, hit.first) && !ignored.has(read.tokens[hit.first]?.sentence ?? -1),
      ),
    );
    const real = group.statement
      ? hits.filter((hit) => !asksAboutBusiness(read.sentenceOf(hit.first)))
      : hits;
    if (real.length === 0) return false;
    return group.with === null || occurs(read, group.with, new Set());
  });

/**
 * The urgency of a message. `wantsItNow`: the lead asks for today or as soon as possible (from the
 * timing), which makes a normal message urgent. `ignored`: sentences that are not about the lead's
 * situation (a question about opening hours).
 */
export const readUrgency = (
  read: ReadText,
  options: { wantsItNow: boolean; ignored?: ReadonlySet<number> },
): Urgency => {
  const ignored = options.ignored ?? new Set<number>();
  if (isEmergency(read, ignored)) return 'emergency';
  if (occurs(read, notUrgentPhrases, ignored)) return 'normal';
  if (options.wantsItNow || occurs(read, urgentPhrases, ignored)) return 'urgent';
  return 'normal';
};
