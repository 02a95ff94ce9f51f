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

/** Where a meeting was booked: Leadline's calendar, or the business's booking page. */
const BookedVia = z.enum(['calendar', 'calendly', 'cal.com']).default('calendar');

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
    bookedVia: BookedVia,
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
    bookedVia: BookedVia,
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
    /**
     * The dedupe key of the event that caused the sync (`<detail-type>#<its key>`): one message
     * causes several syncs of one kind (its stage moves twice), each a fact of its own.
     */
    triggerKey: z.string().min(1).max(512).optional(),
    /** Where a person opens the record in the CRM, when the adapter knows it. */
    recordUrl: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .optional(),
  }),
  (detail) => detail.triggerKey ?? `${detail.correlationId}#${detail.trigger}`,
);

export const RepNotified = defineEvent(
  Source.pipeline,
  'Rep Notified',
  DetailBase.extend({
    repId: z.string().min(1),
    via: z.enum(['slack', 'email', 'sms']),
    reason: z.enum([
      'hot-lead',
      'emergency',
      'meeting-booked',
      'meeting-cancelled',
      'meeting-moved',
      'missed-call',
      // The manager, told that a rep let a lead's response time run out.
      'response-missed',
      // The rep who has the lead (or it is routed to), told the lead opted out: text them no more.
      'lead-opted-out',
      // The rep a lead was routed to, told another rep took the conversation over.
      'lead-taken',
    ]),
  }),
  (detail) => `${detail.correlationId}#${detail.repId}#${detail.reason}`,
);

/** How Twilio says a forwarded call ended without anyone answering (`<Dial>`'s `DialCallStatus`). */
export const MissedDialStatus = z.enum(['no-answer', 'busy', 'failed', 'canceled']);

export const CallMissed = defineEvent(
  Source.inbound,
  'Call Missed',
  DetailBase.extend({
    /** `call-<CallSid>`: one missed call, whatever Twilio retries. */
    messageId: z.string().min(1),
    callSid: z.string().min(1),
    /** The caller, E.164. */
    from: z.string().min(1),
    /** The business number called. */
    to: z.string().min(1),
    dialCallStatus: MissedDialStatus,
    receivedAt: z.iso.datetime(),
    /** US state the carrier reports for the caller, for the lead's time zone. */
    fromState: z.string().max(50).optional(),
  }),
);

export const MissedCallHandled = defineEvent(
  Source.pipeline,
  'Missed Call Handled',
  DetailBase.extend({
    messageId: z.string().min(1),
    channel: Channel,
    /** The rep who owns the caller. */
    repId: z.string().min(1),
    /**
     * What the caller got: a text now, a text held for the calling window, nothing because they
     * opted out (or the text was refused), or nothing because the number takes no texts (a landline).
     */
    textBack: z.enum(['sent', 'held', 'suppressed', 'not-textable']),
    reason: z.string().max(500).optional(),
  }),
);

/** Where a lead's conversation stands (ARCHITECTURE.md, "Conversations"): moved only by events. */
export const ConversationStage = z.enum([
  'new',
  'engaged',
  'qualified',
  'meeting_offered',
  'booked',
  'handed_to_rep',
  'won',
  'lost',
  'opted_out',
]);
export type ConversationStage = z.infer<typeof ConversationStage>;

export const ConversationStageChanged = defineEvent(
  Source.pipeline,
  'Conversation Stage Changed',
  DetailBase.extend({
    from: ConversationStage.nullable(),
    to: ConversationStage,
    /** The event that moved it (its detail-type). */
    trigger: z.string().min(1),
  }),
  (detail) => `${detail.correlationId}#${detail.trigger}#${detail.to}`,
);

export const FollowUpDue = defineEvent(
  Source.pipeline,
  'Follow-Up Due',
  DetailBase.extend({
    /** The outbound message the lead has not answered, which the follow-ups follow. */
    anchor: z.string().min(1),
    /** 1-based step of the business's cadence. */
    step: z.number().int().min(1).max(10),
  }),
  (detail) => `${detail.anchor}#${detail.step}`,
);

export const FollowUpSent = defineEvent(
  Source.pipeline,
  'Follow-Up Sent',
  DetailBase.extend({
    anchor: z.string().min(1),
    step: z.number().int().min(1).max(10),
    outboundMessageId: z.string().min(1),
    /** sent, or held for the calling window (send-held sends it). */
    status: z.enum(['sent', 'held']),
    /** The last step of the cadence: nothing follows it. */
    last: z.boolean(),
  }),
  (detail) => detail.outboundMessageId,
);

export const MeetingReminderDue = defineEvent(
  Source.pipeline,
  'Meeting Reminder Due',
  DetailBase.extend({
    meetingId: z.string().min(1),
    reminder: z.enum(['day-before', 'hour-before', 'after-meeting']),
  }),
  (detail) => `${detail.meetingId}#${detail.reminder}`,
);

export const BookingPageEventReceived = defineEvent(
  Source.inbound,
  'Booking Page Event Received',
  DetailBase.extend({
    /** `<provider>-<hash of the provider's booking and event>`: one per delivery of one fact. */
    messageId: z.string().min(1),
    provider: z.enum(['calendly', 'cal.com']),
    action: z.enum(['booked', 'cancelled', 'rescheduled']),
    /** The provider's id of the booking (Calendly invitee URI, Cal.com uid). */
    bookingId: z.string().min(1).max(500),
    /** For a moved booking, the booking it replaces. */
    previousBookingId: z.string().min(1).max(500).optional(),
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }),
    /** What the invitee gave, to find the lead when the link did not carry its id. */
    email: z.string().max(320).optional(),
    phone: z.string().max(20).optional(),
    name: z.string().max(200).optional(),
    /** The lead id the link carried back (Calendly `utm_content`, Cal.com `metadata.leadId`). */
    linkedLeadId: z.string().max(40).optional(),
  }),
);

/** Why a lead needs a person now: it turned hot, or reported an emergency. */
export const RoutingReason = z.enum(['hot-lead', 'emergency']);

export const LeadRouted = defineEvent(
  Source.pipeline,
  'Lead Routed',
  DetailBase.extend({
    /** The message whose score made the lead need a person: the routing's id. */
    messageId: z.string().min(1),
    channel: Channel,
    repId: z.string().min(1),
    reason: RoutingReason,
    /** 1 for the first rep; each reassignment adds one. */
    attempt: z.number().int().min(1).max(50),
    /** The rep who let the response time run out, on a reassignment. */
    previousRepId: z.string().min(1).optional(),
    /** Minutes the rep has to acknowledge by text; 0 when no clock runs (the rep has no phone, or it is off). */
    responseMinutes: z.number().int().min(0).max(240),
  }),
  (detail) => `${detail.messageId}#${detail.attempt}`,
);

export const RepResponseDue = defineEvent(
  Source.pipeline,
  'Rep Response Due',
  DetailBase.extend({
    /** The routing (`Lead Routed`'s messageId) and its attempt whose response time ran out. */
    messageId: z.string().min(1),
    attempt: z.number().int().min(1).max(50),
    repId: z.string().min(1),
  }),
  (detail) => `${detail.messageId}#${detail.attempt}`,
);

export const RepResponseMissed = defineEvent(
  Source.pipeline,
  'Rep Response Missed',
  DetailBase.extend({
    messageId: z.string().min(1),
    attempt: z.number().int().min(1).max(50),
    /** The rep who did not answer in time. */
    repId: z.string().min(1),
    reason: RoutingReason,
    /** The rep the lead went to next; absent when every suited rep was tried. */
    nextRepId: z.string().min(1).optional(),
    responseMinutes: z.number().int().min(0).max(240),
  }),
  (detail) => `${detail.messageId}#${detail.attempt}`,
);

export const RepMessageReceived = defineEvent(
  Source.inbound,
  'Rep Message Received',
  DetailBase.extend({
    /** `sms-<MessageSid>`: one text, whatever Twilio retries. */
    messageId: z.string().min(1),
    repId: z.string().min(1),
    command: z.enum(['acknowledge', 'take-over', 'no-show']),
    /** The alert reference the rep wrote, if any. */
    reference: z.string().max(10).optional(),
    receivedAt: z.iso.datetime(),
  }),
);

export const RepResponded = defineEvent(
  Source.pipeline,
  'Rep Responded',
  DetailBase.extend({
    /** The rep's text. */
    messageId: z.string().min(1),
    repId: z.string().min(1),
    /**
     * acknowledged: the rep has the lead (the clock stopped); took-over: the rep writes to the
     * lead from now on (automatic texts stop); late: the lead had gone to another rep already.
     */
    response: z.enum(['acknowledged', 'took-over', 'late']),
    /** From the rep's alert to their answer, when a response clock ran. */
    responseMs: z.number().int().nonnegative().optional(),
    /**
     * took-over only: the rep the lead was routed to until then (another rep), whose clock stopped
     * and whom `notify` tells the lead is now with the taker.
     */
    releasedRepId: z.string().min(1).optional(),
  }),
);

export const MeetingNoShowReported = defineEvent(
  Source.pipeline,
  'Meeting No-Show Reported',
  DetailBase.extend({
    /** The rep's text that said so. */
    messageId: z.string().min(1),
    meetingId: z.string().min(1),
    repId: z.string().min(1),
  }),
  (detail) => `${detail.meetingId}#no-show`,
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
  CallMissed,
  MissedCallHandled,
  ConversationStageChanged,
  FollowUpDue,
  FollowUpSent,
  MeetingReminderDue,
  BookingPageEventReceived,
  LeadRouted,
  RepResponseDue,
  RepResponseMissed,
  RepMessageReceived,
  RepResponded,
  MeetingNoShowReported,
} as const;

export type EventName = keyof typeof catalog;
export type DetailOf<E extends { schema: z.ZodType }> = z.infer<E['schema']>;
