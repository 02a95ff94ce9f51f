import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { MessageIntent } from '#events/catalog.ts';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import { BusinessQuestion, type QualificationInput, Urgency } from '#shared/domain/qualification.ts';

/** The labelled messages of `npm run eval` (see `data/README.md` for what each label means). */

const DATA = join(import.meta.dirname, 'data');

export const MeetingLabel = z.enum(['none', 'requested', 'slot-chosen', 'reschedule', 'cancel']);
export type MeetingLabel = z.infer<typeof MeetingLabel>;

export const Expected = z.object({
  intent: MessageIntent,
  service: z.string().nullable(),
  urgency: Urgency,
  location: z.string().nullable(),
  timing: z.enum(['urgent', 'this_week', 'this_month', 'later', 'unknown']),
  language: z.string().regex(/^[a-z]{2}$/),
  meeting: MeetingLabel,
  questions: z.array(BusinessQuestion).default([]),
});
export type Expected = z.infer<typeof Expected>;

export const LabelledMessage = z.object({
  id: z.string().min(1),
  channel: z.enum(['sms', 'email']),
  subject: z.string().optional(),
  body: z.string(),
  profile: z.enum(['plumbing', 'hvac']).default('plumbing'),
  history: z.array(z.object({ direction: z.enum(['in', 'out']), body: z.string() })).default([]),
  offered: z.boolean().default(false),
  booked: z.boolean().default(false),
  expect: Expected,
});
export type LabelledMessage = z.infer<typeof LabelledMessage>;

export type SetName = 'tune' | 'holdout';

/** Reads one set; a line that does not parse stops the run with its file and line number. */
export const loadSet = (name: SetName): LabelledMessage[] => {
  const file = join(DATA, `${name}.jsonl`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, number }) => {
      const parsed = LabelledMessage.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${number}: ${z.prettifyError(parsed.error)}`);
      return parsed.data;
    });
};

export const profiles: Readonly<Record<LabelledMessage['profile'], BusinessProfile>> = {
  plumbing: BusinessProfile.parse(demoBusinessProfile),
  hvac: BusinessProfile.parse(JSON.parse(readFileSync(join(DATA, 'hvac-profile.json'), 'utf8'))),
};

/** Wednesday 25 November 2026, 10:00 in the business's zone: when every message arrives. */
const localInstant = (profile: BusinessProfile, day: number, hour: number): string => {
  // The two profiles' zones are UTC-6 (Chicago) and UTC-7 (Denver) in November.
  const offset = profile.timeZone === 'America/Denver' ? 7 : 6;
  return new Date(Date.UTC(2026, 10, day, hour + offset)).toISOString();
};

/** What a qualifier is given for a labelled message: the message in its context. */
export const inputFor = (message: LabelledMessage): QualificationInput => {
  const profile = profiles[message.profile];
  const slot = (day: number, hour: number) => ({
    start: localInstant(profile, day, hour),
    end: localInstant(profile, day, hour + 1),
  });
  return {
    channel: message.channel,
    body: message.body,
    ...(message.subject !== undefined && { subject: message.subject }),
    history: message.history,
    offeredSlots: message.offered ? [slot(26, 9), slot(26, 14), slot(27, 10)] : [],
    business: {
      name: profile.name,
      services: profile.services,
      places: profile.serviceArea.places,
    },
    timeZone: profile.timeZone,
    receivedAt: localInstant(profile, 25, 10),
    ...(message.booked && { bookedMeeting: slot(30, 10) }),
  };
};
