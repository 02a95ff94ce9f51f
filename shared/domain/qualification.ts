import * as z from 'zod';
import { MessageIntent } from '#events/catalog.ts';

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
  timing: z.enum(['urgent', 'this_week', 'this_month', 'later', 'unknown']).describe('How soon they need it'),
  budget: z.string().max(100).nullable().describe('A budget they mentioned, verbatim'),
  location: z.string().max(200).nullable().describe('Where the work or service is needed'),
  wantsMeeting: z.boolean().describe('They ask for a call, visit, appointment, estimate or meeting'),
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
  budget: null,
  location: null,
  wantsMeeting: false,
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
  business: { name: string; services: ReadonlyArray<{ name: string; keywords: ReadonlyArray<string> }> };
  /** The business's IANA time zone: lets "Tuesday at 10" be matched to an offered slot. */
  timeZone?: string | undefined;
}
