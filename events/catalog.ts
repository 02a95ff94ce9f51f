import * as z from 'zod';
import { Channel, DetailBase, defineEvent, Source } from './envelope.ts';

const Grade = z.enum(['hot', 'warm', 'cold']);

/**
 * What the lead wants from the calendar, as far as routing needs to know: a meeting, one of the
 * offered times, or to move or cancel the meeting they booked.
 */
export const MeetingIntent = z.enum(['none', 'requested', 'slot-chosen', 'reschedule', 'cancel']);
export type MeetingIntent = z.infer<typeof MeetingIntent>;

export const MessageIntent = z.enum([
  'new_lead',
  'reply',
  'spam',
  'opt_out',
  'opt_in',
  'help',
  'wrong_number',
  'auto_reply',
]);
export type MessageIntent = z.infer<typeof MessageIntent>;

export const LeadMessageReceived = defineEvent(
  Source.inbound,
  'Lead Message Received',
  DetailBase.extend({
    messageId: z.string().min(1),
    channel: Channel,
    provider: z.enum(['twilio', 'sendgrid']),
    providerMessageId: z.string().min(1),
    /** E.164 phone number or lower-cased email address. */
    from: z.string().min(1),
    to: z.string().min(1),
    fromName: z.string().max(200).optional(),
    subject: z.string().max(1000).optional(),
    /** The lead's own words: quoted replies and signatures already stripped. */
    body: z.string().max(20_000),
    receivedAt: z.iso.datetime(),
    /** Where the raw provider payload was archived in the blob store. */
    rawPayloadKey: z.string().optional(),
    /** MMS media, or email attachments (`s3:<key>`, with name, size, and why a file was not kept). */
    media: z
      .array(
        z.object({
          url: z.string(),
          contentType: z.string(),
          filename: z.string().max(200).optional(),
          bytes: z.number().int().nonnegative().optional(),
          skipped: z.string().optional(),
        }),
      )
      .max(10)
      .default([]),
    /** Carrier/Twilio opt-out classification when Advanced Opt-Out is on. */
    optOutType: z.enum(['STOP', 'START', 'HELP']).optional(),
    /** Email threading: the lead's Message-ID and References. */
    emailMessageId: z.string().optional(),
    references: z.array(z.string()).max(50).default([]),
    /** Written by a machine (out-of-office, bounce): recorded, never answered. */
    automated: z.boolean().default(false),
    /** US state the carrier reports for the sender, used to infer the lead's time zone. */
    fromState: z.string().max(50).optional(),
  }),
);

export const LeadQualified = defineEvent(
  Source.pipeline,
  'Lead Qualified',
  DetailBase.extend({
    messageId: z.string().min(1),
    channel: Channel,
    intent: MessageIntent,
    meeting: MeetingIntent,
    qualifiedBy: z.enum(['openai', 'rules']),
    isNewLead: z.boolean(),
    /** This message reports an emergency the lead had not reported before. */
    emergency: z.boolean().default(false),
  }),
);

export const LeadScored = defineEvent(
  Source.pipeline,
  'Lead Scored',
  DetailBase.extend({
    messageId: z.string().min(1),
    channel: Channel,
    score: z.number().int().min(0).max(100),
    grade: Grade,
    /** `none` for a lead scored for the first time. */
    previousGrade: z.union([Grade, z.literal('none')]),
    meeting: MeetingIntent,
    /** This message reports an emergency the lead had not reported before: a rep is alerted at once. */
    emergency: z.boolean().default(false),
    /** Why the lead scored so, in words (the console's timeline shows them). */
    reasons: z.array(z.string().max(300)).max(20).optional(),
  }),
);

export const LeadOptedOut = defineEvent(
  Source.pipeline,
  'Lead Opted Out',
  DetailBase.extend({ messageId: z.string().min(1), channel: Channel, contact: z.string().min(1) }),
);

export const LeadOptedIn = defineEvent(
  Source.pipeline,
  'Lead Opted In',
  DetailBase.extend({ messageId: z.string().min(1), channel: Channel, contact: z.string().min(1) }),
);

export const HelpRequested = defineEvent(
  Source.pipeline,
  'Help Requested',
  DetailBase.extend({ messageId: z.string().min(1), channel: Channel }),
);

const Slot = z.object({ start: z.iso.datetime(), end: z.iso.datetime() });

export const MeetingSlotsOffered = defineEvent(
  Source.pipeline,
  'Meeting Slots Offered',
  DetailBase.extend({
    messageId: z.string().min(1),
    channel: Channel,
    slots: z.array(Slot).max(5),
    /** The business books through a scheduling page: this link (prefilled), and `slots` is empty. */
    bookingUrl: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .optional(),
    /**
     * Why slots are offered: the lead asked, the slot they picked was taken or matched none, or they
     * asked to move their meeting (the old one is cancelled: `Meeting Cancelled`, reason rescheduled).
     */
    reason: z.enum(['requested', 'slot-taken', 'no-match', 'rescheduled']),
  }),
);

export const MeetingBooked = defineEvent(
  Source.pipeline,
  'Meeting Booked',
  DetailBase.extend({
    messageId: z.string().min(1),
    channel: Channel,
    meetingId: z.string().min(1),
    start: z.iso.datetime(),
    end: z.iso.datetime(),
    repId: z.string().min(1),
  }),
  (detail) => detail.meetingId,
);

export const MeetingCancelled = defineEvent(
  Source.pipeline,
  'Meeting Cancelled',
  DetailBase.extend({
    /** The lead's message that asked for it. */
    messageId: z.string().min(1),
    channel: Channel,
    meetingId: z.string().min(1),
    start: z.iso.datetime(),
    end: z.iso.datetime(),
    repId: z.string().min(1),
    /** cancelled: the lead called it off; rescheduled: released so the lead can pick another time. */
    reason: z.enum(['cancelled', 'rescheduled']),
  }),
  // A meeting is cancelled once; one message may release more than one.
  (detail) => detail.meetingId,
);

export const ReplySent = defineEvent(
  Source.pipeline,
  'Reply Sent',
  DetailBase.extend({
    /** The inbound message this answers. */
    messageId: z.string().min(1),
    outboundMessageId: z.string().min(1),
    channel: Channel,
    purpose: z.string().min(1),
    sentAt: z.iso.datetime(),
    /** Set on the first reply a lead ever gets: first inbound message to first reply. */
    speedToLeadMs: z.number().int().nonnegative().optional(),
    /** Who wrote the words: the model (checked against the profile) or the templates. */
    composedBy: z.enum(['openai', 'template']).optional(),
  }),
  (detail) => detail.outboundMessageId,
);

export const LeadSyncedToCrm = defineEvent(
  Source.pipeline,
  'Lead Synced To CRM',
  DetailBase.extend({
    crm: z.string().min(1),
    crmId: z.string().min(1),
    created: z.boolean(),
    trigger: z.string().min(1),
    /** Where a person opens the record in the CRM, when the adapter knows it. */
    recordUrl: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .optional(),
  }),
  (detail) => `${detail.correlationId}#${detail.trigger}`,
);

export const RepNotified = defineEvent(
  Source.pipeline,
  'Rep Notified',
  DetailBase.extend({
    repId: z.string().min(1),
    via: z.enum(['slack', 'email', 'sms']),
    reason: z.enum(['hot-lead', 'emergency', 'meeting-booked', 'meeting-cancelled', 'meeting-moved']),
  }),
  (detail) => `${detail.correlationId}#${detail.repId}#${detail.reason}`,
);

export const catalog = {
  LeadMessageReceived,
  LeadQualified,
  LeadScored,
  LeadOptedOut,
  LeadOptedIn,
  HelpRequested,
  MeetingSlotsOffered,
  MeetingBooked,
  MeetingCancelled,
  ReplySent,
  LeadSyncedToCrm,
  RepNotified,
} as const;

export type EventName = keyof typeof catalog;
export type DetailOf<E extends { schema: z.ZodType }> = z.infer<E['schema']>;
