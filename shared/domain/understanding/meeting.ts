import meeting from './data/meeting.json' with { type: 'json' };
import { compileAll, findPhrase, type Phrase, type PhrasesByLanguage, type ReadText } from './text.ts';

/**
 * Whether a lead asks for a visit, a call or an estimate, or to move or cancel a booked meeting
 * (`data/meeting.json`).
 */

const requested = compileAll(meeting.requested as PhrasesByLanguage);
const notRequested = compileAll(meeting.notRequested as PhrasesByLanguage);
const reschedule = compileAll(meeting.reschedule as PhrasesByLanguage);
const cancel = compileAll(meeting.cancel as PhrasesByLanguage);
const { about: _about, ...meetingWordPhrases } = meeting.meetingWords;
const meetingWords = compileAll(meetingWordPhrases as PhrasesByLanguage);
/** Phrases that ask to move a meeting without naming one: read only when a meeting is booked. */
const EXPLICIT_RESCHEDULE = /\b(?:re-?schedul\w*|reprogram\w*|remarcar|reporter)\b/i;

const hits = (read: ReadText, phrases: ReadonlyArray<Phrase>) =>
  phrases.flatMap((phrase) => findPhrase(read, phrase));

export type MeetingChange = 'none' | 'reschedule' | 'cancel';

/**
 * A request to move or cancel a meeting. With a meeting booked every phrase counts ("can we do
 * Thursday instead?"); without one, only a message that names a meeting ("cancel my appointment")
 * or says "reschedule". Moving wins when the message asks for another time as well as cancelling.
 */
export const readMeetingChange = (
  read: ReadText,
  context: { booked: boolean; namesAnotherTime: boolean },
): MeetingChange => {
  const namesMeeting = context.booked || hits(read, meetingWords).length > 0;
  const moves = hits(read, reschedule).length > 0 && (namesMeeting || EXPLICIT_RESCHEDULE.test(read.text));
  const cancels = hits(read, cancel).length > 0 && namesMeeting;
  if (moves && (!cancels || context.namesAnotherTime || EXPLICIT_RESCHEDULE.test(read.text)))
    return 'reschedule';
  if (cancels) return 'cancel';
  return 'none';
};

/** "Do you give free estimates?", "Do you come out to Hutto?": asks what the business offers. */
const ASKS_WHAT_IS_OFFERED = /^\s*(?:[¿]\s*)?(?:do|does|are|is)\s+(?:you|y'all|u|your)\b/i;

/**
 * Whether the lead asks for a visit, call, estimate or appointment, and does not refuse one. A
 * request phrase inside a question about what the business offers does not count.
 */
export const readWantsMeeting = (read: ReadText): boolean => {
  const refused = hits(read, notRequested);
  return hits(read, requested).some(
    (hit) =>
      !refused.some((no) => no.first <= hit.last && hit.first <= no.last + 3) &&
      !ASKS_WHAT_IS_OFFERED.test(read.sentenceOf(hit.first)),
  );
};
