import { now } from '#shared/clock.ts';
import { decideConsentKeyword } from '#shared/compliance/consent-keywords.ts';
import { findEmailInText, findPhoneInText } from '#shared/domain/contact.ts';
import {
  blankQualification,
  type Qualification,
  type QualificationInput,
} from '#shared/domain/qualification.ts';
import { askedToSetUpMeeting } from '#shared/domain/reply/templates.ts';
import { localParts } from '#shared/domain/time.ts';
import { extractBudget, extractName, extractNeed, shorten } from './understanding/details.ts';
import { detectLanguage } from './understanding/language.ts';
import { readLocation } from './understanding/location.ts';
import { readMeetingChange, readWantsMeeting } from './understanding/meeting.ts';
import { isSpam, isWrongNumber } from './understanding/not-a-lead.ts';
import { readQuestions } from './understanding/questions.ts';
import { matchServiceIn } from './understanding/services.ts';
import { findSlotChoice } from './understanding/slot-choice.ts';
import { type LexiconLanguage, ReadText } from './understanding/text.ts';
import { readTiming } from './understanding/timing.ts';
import { readUrgency } from './understanding/urgency.ts';

export { matchService } from './understanding/services.ts';
export { findSlotChoice } from './understanding/slot-choice.ts';

/** "yes", "sí", "sure": agreeing to what we asked. */
const AFFIRMATIVE = /^\s*(?:yes|yeah|yep|yup|sure|ok(?:ay)?|please|s[ií]|claro|por favor|oui|sim)\b/i;

/** The lead says yes to our "Would you like us to set up a visit?" */
function acceptsMeetingOffer(input: QualificationInput, body: string): boolean {
  const lastSent = input.history.filter((m) => m.direction === 'out').at(-1)?.body;
  return lastSent !== undefined && askedToSetUpMeeting(lastSent) && AFFIRMATIVE.test(body);
}

const LEXICON_LANGUAGES: ReadonlySet<string> = new Set<LexiconLanguage>(['en', 'es', 'fr', 'pt']);

function summarise(body: string, subject: string | undefined): string {
  const text = body.trim() || subject?.trim() || '';
  return text.length > 0 ? shorten(text, 200) : '(empty message)';
}

/** The booked meeting's day in the business's zone, YYYY-MM-DD. */
function bookedDayOf(input: QualificationInput, timeZone: string): string | undefined {
  if (!input.bookedMeeting) return undefined;
  const start = new Date(input.bookedMeeting.start);
  if (Number.isNaN(start.getTime())) return undefined;
  const { year, month, day } = localParts(start, timeZone);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Qualifies a message with rules alone: the fallback when no LLM is configured, or it is slow
 * or down. It never fails and never guesses beyond the text: the service by meaning and word
 * forms (`understanding/services.ts`), emergencies and urgency, the business's towns and ZIP
 * codes wherever they appear, dates with chrono-node, questions the profile answers, the
 * language, and a request to book, move or cancel a meeting, in English and Spanish (French and
 * Portuguese where the lexicons have them).
 */
export function qualifyByRules(input: QualificationInput): Qualification {
  const body = input.body.trim();
  const subject = input.subject?.replace(/^(?:\s*(?:re|fwd?|aw|sv)\s*:\s*)+/i, '').trim();
  const text = [subject, body].filter((part) => part && part.length > 0).join('\n');
  const summary = summarise(body, subject);
  const language = detectLanguage(text || body, input.knownLanguage);
  const empty = (intent: Qualification['intent']) => blankQualification({ intent, summary, language });

  const keyword = decideConsentKeyword(body, { channel: input.channel, subject: input.subject });
  if (keyword) return empty(keyword);
  if (text.length === 0) return empty('spam');

  const read = new ReadText(text);
  const service = matchServiceIn(read, input.business.services);
  if (isSpam(text, service)) return empty('spam');
  const questions = readQuestions(read);
  // "Sorry, wrong button. What are your hours?" asks the business something: it is for us.
  if (questions.asked.length === 0 && isWrongNumber(body, service)) return empty('wrong_number');

  const timeZone = input.timeZone ?? 'UTC';
  const receivedAt = input.receivedAt ? new Date(input.receivedAt) : now();
  const timing = readTiming(read, {
    language: LEXICON_LANGUAGES.has(language) ? (language as LexiconLanguage) : 'en',
    receivedAt,
    timeZone,
    ignored: questions.hoursSentences,
    bookedDay: bookedDayOf(input, timeZone),
  });
  const meetingChange = readMeetingChange(read, {
    booked: input.bookedMeeting !== undefined,
    namesAnotherTime: timing.timing !== 'unknown' || timing.preferredPartOfDay !== null,
  });
  const urgency = readUrgency(read, {
    // Asking for today makes a lead urgent; moving a meeting to today does not.
    wantsItNow: timing.timing === 'urgent' && meetingChange === 'none',
    ignored: questions.hoursSentences,
  });
  const slotChoice = meetingChange === 'none' ? findSlotChoice(body, input.offeredSlots, timeZone) : null;
  const isFirstMessage = input.history.length === 0;
  return {
    intent: isFirstMessage ? 'new_lead' : 'reply',
    name: extractName(body),
    email: findEmailInText(text),
    phone: findPhoneInText(text),
    need: extractNeed(text, input.business.services, isFirstMessage),
    service,
    timing: timing.timing,
    urgency,
    preferredDate: timing.preferredDate,
    preferredPartOfDay: timing.preferredPartOfDay,
    budget: extractBudget(text),
    location:
      readLocation(body, input.business.places ?? []) ??
      readLocation(subject ?? '', input.business.places ?? []),
    wantsMeeting:
      meetingChange === 'reschedule' ||
      (meetingChange === 'none' &&
        (slotChoice !== null || readWantsMeeting(read) || acceptsMeetingOffer(input, body))),
    meetingChange,
    questions: questions.asked,
    language,
    slotChoice,
    summary,
  };
}
