import * as z from 'zod';
import { MessageIntent } from '#events/catalog.ts';

/** How pressing the lead's situation is; an emergency reaches a person at once. */
export const Urgency = z.enum(['emergency', 'urgent', 'normal']);
export type Urgency = z.infer<typeof Urgency>;

/** What a lead may ask about the business that its profile answers. */
export const BusinessQuestion = z.enum(['hours', 'price', 'area', 'licensed', 'insured']);
export type BusinessQuestion = z.infer<typeof BusinessQuestion>;

/**
 * What qualification extracts from one inbound message. This is also the structured-output
 * schema the LLM fills: every field is required and nullable, as OpenAI's strict mode wants.
 */
export const Qualification = z.object({
  intent: MessageIntent.describe(
    'new_lead: a first enquiry; reply: an answer in an ongoing conversation; spam; opt_out/opt_in/help: keyword messages; wrong_number: the sender did not mean to reach this business; auto_reply: an automatic message such as an out-of-office or a delivery failure',
  ),
  name: z.string().max(200).nullable().describe("The sender's name if they gave it"),
  email: z.string().max(320).nullable().describe('An email address the sender gave'),
  phone: z.string().max(40).nullable().describe('A phone number the sender gave'),
  need: z.string().max(500).nullable().describe('What they need, in a few words'),
  service: z
    .string()
    .max(200)
    .nullable()
    .describe("Which of the business's services matches the need, by its name"),
  timing: z
    .enum(['urgent', 'this_week', 'this_month', 'later', 'unknown'])
    .describe(
      'When they want the work or the meeting: urgent (today, now, as soon as possible), this_week (the next 7 days), this_month, later, unknown. A day named in a question about opening hours is not timing',
    ),
  urgency: Urgency.describe(
    'emergency: damage or danger happening now (water pouring or flooding, a burst pipe, sewage coming up, gas smell, carbon monoxide, no water, no heat in freezing weather); urgent: needed today or as soon as possible, or something essential lost (hot water, cooling); normal otherwise',
  ),
  preferredDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable()
    .describe(
      'The day they ask for (the work, a visit, a new time for a meeting), YYYY-MM-DD in the business time zone',
    ),
  preferredPartOfDay: z
    .enum(['morning', 'afternoon', 'evening'])
    .nullable()
    .describe('The part of that day (or of any day) they ask for'),
  budget: z.string().max(100).nullable().describe('A budget they mentioned, verbatim'),
  location: z.string().max(200).nullable().describe('Where the work or service is needed'),
  wantsMeeting: z.boolean().describe('They ask for a call, visit, appointment, estimate or meeting'),
  meetingChange: z
    .enum(['none', 'reschedule', 'cancel'])
    .describe('They ask to move (reschedule) or cancel a meeting that is already booked'),
  questions: z
    .array(BusinessQuestion)
    .max(5)
    .describe(
      'What they ask about the business itself: opening hours, prices, the area served, licence, insurance',
    ),
  language: z
    .string()
    .regex(/^[a-z]{2}$/)
    .describe('ISO 639-1 code of the language the message is written in, e.g. en, es'),
  /** 1-based index of an offered slot the lead picked, when they picked one. */
  slotChoice: z
    .number()
    .int()
    .min(1)
    .max(5)
    .nullable()
    .describe('If they pick one of the offered times, its number (1-based)'),
  summary: z.string().max(500).describe('One sentence summary of the message'),
});
export type Qualification = z.infer<typeof Qualification>;

/** A qualification that knows nothing yet; fill in what a reader found. */
export const blankQualification = (overrides: Partial<Qualification> = {}): Qualification => ({
  intent: 'new_lead',
  name: null,
  email: null,
  phone: null,
  need: null,
  service: null,
  timing: 'unknown',
  urgency: 'normal',
  preferredDate: null,
  preferredPartOfDay: null,
  budget: null,
  location: null,
  wantsMeeting: false,
  meetingChange: 'none',
  questions: [],
  language: 'en',
  slotChoice: null,
  summary: '',
  ...overrides,
});

/** What a qualifier is given: the message and the context needed to read it. */
export interface QualificationInput {
  channel: 'sms' | 'email';
  body: string;
  subject?: string | undefined;
  /** Earlier messages of this conversation, oldest first. */
  history: ReadonlyArray<{ direction: 'in' | 'out'; body: string }>;
  /** Times offered to the lead in the last reply, in order, if any. */
  offeredSlots: ReadonlyArray<{ start: string; end: string }>;
  business: {
    name: string;
    services: ReadonlyArray<{ name: string; keywords: ReadonlyArray<string> }>;
    /** Towns and ZIP codes the business serves: found wherever the message names them. */
    places?: ReadonlyArray<string> | undefined;
  };
  /** The business's IANA time zone: lets "Tuesday at 10" be matched to an offered slot. */
  timeZone?: string | undefined;
  /** When the message arrived (ISO 8601): "tomorrow" is read from it. Defaults to now. */
  receivedAt?: string | undefined;
  /** The lead's meeting that is booked and still ahead, if any: "can we move it" is about it. */
  bookedMeeting?: { start: string; end: string } | undefined;
  /** The language the lead wrote in before (ISO 639-1): a short "ok" or "2" keeps it. */
  knownLanguage?: string | undefined;
}
