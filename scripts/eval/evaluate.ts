import type { Qualification } from '#shared/domain/qualification.ts';
import type { Qualifier } from '#shared/ports/qualifier.ts';
import { type Expected, inputFor, type LabelledMessage, type MeetingLabel } from './labelled-set.ts';

/** The fields `npm run eval` scores, in the order it prints them. */
export const FIELDS = [
  'intent',
  'service',
  'urgency',
  'location',
  'timing',
  'language',
  'meeting',
  'questions',
] as const;
export type Field = (typeof FIELDS)[number];

export type Reading = Omit<Expected, 'questions'> & { questions: string[] };

/** A qualification in the eval's terms: the meeting fields folded into one label. */
export const readingOf = (q: Qualification): Reading => ({
  intent: q.intent,
  service: q.service,
  urgency: q.urgency,
  location: q.location,
  timing: q.timing,
  language: q.language,
  meeting: meetingLabel(q),
  questions: [...q.questions].sort(),
});

const meetingLabel = (q: Qualification): MeetingLabel => {
  if (q.meetingChange !== 'none') return q.meetingChange;
  if (q.slotChoice !== null) return 'slot-chosen';
  return q.wantsMeeting ? 'requested' : 'none';
};

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();

/** Whether one field of a reading agrees with its label; a location agrees when it contains the label. */
export const agrees = (field: Field, expected: Expected, reading: Reading): boolean => {
  switch (field) {
    case 'location':
      return expected.location === null
        ? reading.location === null
        : reading.location !== null && fold(reading.location).includes(fold(expected.location));
    case 'service':
      return fold(expected.service ?? '') === fold(reading.service ?? '');
    case 'questions':
      return [...expected.questions].sort().join(',') === reading.questions.join(',');
    default:
      return expected[field] === reading[field];
  }
};

export interface MessageResult {
  message: LabelledMessage;
  reading: Reading | null;
  /** Why the qualifier gave no reading (it threw). */
  error?: string;
  wrong: Field[];
}

export interface SetResult {
  results: MessageResult[];
  /** Per field, the share of messages read right (0–1). A message the qualifier failed on counts as wrong. */
  accuracy: Record<Field, number>;
  emergencies: { labelled: number; found: number; missed: string[] };
}

/** Runs the qualifier over the messages, one at a time, and scores each field. */
export const evaluate = async (
  qualifier: Qualifier,
  messages: ReadonlyArray<LabelledMessage>,
): Promise<SetResult> => {
  const results: MessageResult[] = [];
  for (const message of messages) {
    try {
      const { qualification } = await qualifier.qualify(inputFor(message));
      const reading = readingOf(qualification);
      results.push({
        message,
        reading,
        wrong: FIELDS.filter((field) => !agrees(field, message.expect, reading)),
      });
    } catch (error) {
      results.push({
        message,
        reading: null,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        wrong: [...FIELDS],
      });
    }
  }
  const accuracy = Object.fromEntries(
    FIELDS.map((field) => [
      field,
      results.filter((r) => !r.wrong.includes(field)).length / Math.max(1, results.length),
    ]),
  ) as Record<Field, number>;
  const labelled = results.filter((r) => r.message.expect.urgency === 'emergency');
  const missed = labelled.filter((r) => r.reading?.urgency !== 'emergency').map((r) => r.message.id);
  return {
    results,
    accuracy,
    emergencies: { labelled: labelled.length, found: labelled.length - missed.length, missed },
  };
};
