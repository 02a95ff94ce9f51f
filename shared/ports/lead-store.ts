import type { ConversationStage, MeetingIntent, MessageIntent } from '#events/catalog.ts';
import type { Channel } from '#events/envelope.ts';
import type { ConsentLedgerEntry, ConsentSignal } from '#shared/compliance/consent-ledger.ts';
import type { LeadLocalTime } from '#shared/compliance/local-time.ts';
import type { RepAlert } from '#shared/compliance/rep-notify-hours.ts';
import type { Qualification, Urgency } from '#shared/domain/qualification.ts';
import type { SmsDelivery } from '#shared/domain/sms-delivery.ts';
import type { QualifiedBy } from './qualifier.ts';
import type { ComposedBy } from './reply-drafter.ts';

export type Grade = 'hot' | 'warm' | 'cold';
export type LeadStatus = 'new' | 'engaged' | 'spam' | 'wrong_number' | 'booked';

export interface TimeSlot {
  start: string;
  end: string;
}

export interface Lead {
  leadId: string;
  /** The contact that identifies the lead: E.164 phone or lower-cased email. */
  contact: string;
  channel: Channel;
  /**
   * How the lead first reached the business, when it was not a message: a call nobody answered,
   * or a booking made straight on the business's Calendly or Cal.com page.
   */
  source?: 'missed-call' | 'calendly' | 'cal-com';
  /**
   * The missed call whose text back the caller got last (claimed before it is sent): a later
   * missed call within `missedCalls.textBackOncePerHours` of `at` is not texted back again.
   */
  missedCallTextBack?: { messageId: string; at: string };
  /** Where the conversation stands (moved only by events, by the `conversation` function). */
  stage?: ConversationStage;
  /** The follow-up pending for the lead's silence: the message it follows, its step, its timer. */
  followUp?: {
    anchor: string;
    /** When the message it follows went out. */
    anchorAt: string;
    step: number;
    dueAt: string;
    timer: string;
    /** The last step sent, if any. */
    lastSentStep?: number;
    /** Ended: the lead answered, booked, opted out, or the cadence ran out. */
    done?: boolean;
  };
  /** Which rep must answer for the lead now, and their response clock (`functions/route`). */
  routing?: LeadRouting;
  /** A rep took the conversation over: Leadline sends the lead nothing automatic but consent answers. */
  handedToRep?: { repId: string; at: string; messageId: string };
  phone?: string;
  email?: string;
  name?: string;
  /** The lead's most likely IANA zone: the first of `localTime.zones`. */
  timeZone: string;
  /** Every zone and calling region the lead may be in, and the signal it came from. */
  localTime?: LeadLocalTime;
  status: LeadStatus;
  createdAt: string;
  updatedAt: string;
  firstInboundAt: string;
  firstReplyAt?: string;
  /**
   * Facts learnt over the conversation (`mergeFacts`): a later message adds or refines, never erases
   * one; urgency only rises; language is the one the lead writes in now.
   */
  known: KnownFacts;
  qualification?: Qualification & { qualifiedBy: QualifiedBy; messageId: string; at: string };
  /**
   * The latest score; `messageId` and `previousGrade` say which message it was computed for and
   * what it replaced, so a redelivered `Lead Qualified` announces the same `Lead Scored` again
   * (absent on scores recorded before they were kept).
   */
  score?: {
    score: number;
    grade: Grade;
    reasons: string[];
    at: string;
    messageId?: string;
    previousGrade?: Grade | 'none';
  };
  offeredSlots?: TimeSlot[];
  assignedRepId?: string;
  /** The lead's record in the CRM; `syncedAt`: when the lead was linked to it (each sync is on the timeline). */
  crm?: { provider: string; id: string; syncedAt: string };
  /** Email threading: the subject and Message-IDs of the lead's latest email. */
  emailThread?: { subject?: string; messageId?: string; references: string[] };
  /** Bumped by every write; a read-modify-write (`modifyLead`) succeeds only on the version it read. */
  version?: number;
}

/**
 * A lead routed to a rep who must answer (ARCHITECTURE.md, "Rep routing"): one routing per message
 * that made the lead need a person, its attempts one rep each.
 */
export interface LeadRouting {
  /** The message whose score started it (`Lead Routed`'s messageId) and its correlation id. */
  messageId: string;
  correlationId: string;
  reason: 'hot-lead' | 'emergency';
  repId: string;
  attempt: number;
  /** Every rep asked so far, in order: `tried[attempt - 1]` is `repId`. */
  tried: string[];
  /** When this attempt was routed. */
  routedAt: string;
  /** When the routing's first attempt was (absent on routings stored before it was kept: `routedAt`). */
  startedAt?: string;
  /** Minutes the rep has; 0 when no clock runs. */
  responseMinutes: number;
  /** When the rep's alert went out: the clock runs from here (absent while the alert is held). */
  notifiedAt?: string;
  respondBy?: string;
  timer?: string;
  acknowledgedAt?: string;
  /** Every suited rep was asked and none answered in time (the manager was told). */
  unanswered?: boolean;
  /**
   * The clock stopped without an answer: the lead had booked since, opted out, been taken over by a
   * rep, or been won or lost (its `stage`), when the response time ran out or a rep took it over.
   */
  stopped?: { reason: 'booked' | 'opted_out' | 'handed_to_rep' | 'won' | 'lost'; at: string };
}

/** The fields a write may change on a lead. */
export type LeadChanges = Partial<Omit<Lead, 'leadId' | 'createdAt' | 'version'>>;

/**
 * How the pipeline answers an inbound message, known once `qualify` has read it:
 * `action` — a confirmation (opt-out, opt-in, help), a slot offer or a booking;
 * `conversation` — a written answer; `none` — nothing (spam, wrong number, automatic mail).
 */
export type AnswerRoute = 'action' | 'conversation' | 'none';

/**
 * What `qualify` announced for an inbound message: `Lead Qualified` with what it carried, a
 * consent event, or nothing (Twilio answered a HELP itself).
 */
export type InboundAnnouncement =
  | {
      event: 'Lead Qualified';
      meeting: MeetingIntent;
      qualifiedBy: QualifiedBy;
      isNewLead: boolean;
      emergency: boolean;
    }
  | {
      event: 'Lead Opted Out' | 'Lead Opted In' | 'Help Requested';
      qualifiedBy: QualifiedBy;
      isNewLead: boolean;
    }
  | { event: 'none'; qualifiedBy: QualifiedBy; isNewLead: boolean };

/** What `qualify` made of an inbound message, kept on the message itself. */
export interface InboundReading {
  intent: MessageIntent;
  answer: AnswerRoute;
  /** The offered slot (1-based) this message picked, if it picked one. */
  slotChoice?: number;
  /** It asks something (hours, prices, area…): it gets a written answer of its own. */
  asks?: boolean;
  at: string;
  /**
   * What was announced, so a redelivery of the message announces the same again without reading
   * it anew (absent on readings recorded before it was kept: those are read again).
   */
  announced?: InboundAnnouncement;
}

/** A lead with its conversation and meetings, as one read returns them. */
export interface Conversation {
  /** Undefined until the lead's first message is qualified. */
  lead: Lead | undefined;
  /** Messages in and out, oldest first (as `getMessages`). */
  messages: LeadMessage[];
  meetings: Meeting[];
  /**
   * Inbound messages a webhook is accepting right now (claimed, not yet published, the claim still
   * running): not part of the conversation yet, but an answer waits for them as for an unread
   * message of its burst, since they are about to be.
   */
  pending: LeadMessage[];
}

/** How `modifyLead` starts and what it does for a lead that does not exist. */
export interface ModifyLeadOptions {
  /**
   * The lead as the caller just read it (`null`: read, and absent): the first attempt writes
   * against it instead of reading again. A writer that got in between makes it read and retry.
   */
  current?: Lead | null;
  /** Creates the lead from this when it does not exist (`change` then gets it), instead of throwing. */
  create?: Lead;
}

/**
 * inbound: received. outbound: sending (claimed: the provider is being called, until
 * `claimedUntil`); sent; held until `sendAt` (quiet hours); suppressed (opt-out, unreachable);
 * superseded (a later message of the same burst is answered instead); failed (the provider
 * refused it for good); unconfirmed (a send interrupted where no provider can tell whether it
 * went out: never sent again, at most once).
 */
export type MessageStatus =
  | 'received'
  | 'sent'
  | 'held'
  | 'sending'
  | 'suppressed'
  | 'superseded'
  | 'failed'
  | 'unconfirmed';

/** How a claimed send ended. */
export interface OutboundOutcome {
  status: 'sent' | 'suppressed' | 'failed' | 'unconfirmed';
  /** When it was handed to the provider (or found to have been). */
  at: string;
  providerMessageId?: string;
  reason?: string;
}

/** What the conversation has told about a lead's need so far. */
export interface KnownFacts {
  need?: string;
  service?: string;
  location?: string;
  timing?: string;
  budget?: string;
  /** emergency, urgent or normal: only ever rises over a conversation. */
  urgency?: Urgency;
  /** ISO 639-1 code of the language the lead writes in. */
  language?: string;
  /** The day the lead asked for (YYYY-MM-DD, business zone) and the part of it. */
  preferredDate?: string;
  preferredPartOfDay?: string;
}

export interface LeadMessage {
  messageId: string;
  leadId: string;
  direction: 'in' | 'out';
  channel: Channel;
  body: string;
  subject?: string;
  at: string;
  status: MessageStatus;
  /** Outbound `sending`: the claim runs until this instant; after it, a retry resolves the send. */
  claimedUntil?: string;
  /** Inbound: set once `qualify` has read it. */
  reading?: InboundReading;
  /** Inbound: written by a machine (out-of-office, bounce): never answered. */
  automated?: boolean;
  purpose?: string;
  inReplyTo?: string;
  sendAt?: string;
  providerMessageId?: string;
  reason?: string;
  /** Outbound: who wrote the words, the model (checked) or the templates. */
  composedBy?: ComposedBy;
  /** An email's latest delivery state, from the provider's delivery events. */
  emailDelivery?: EmailDelivery;
  /** A text's latest delivery state, from Twilio's status callbacks; `rank` only ever grows. */
  smsDelivery?: SmsDelivery & { rank: number };
  /** Inbound MMS: each media item, archived to the blob store (`key`) or why not (`skipped`). */
  media?: InboundMedia[];
}

/** Where a message is stored. */
export interface MessageRef {
  leadId: string;
  messageId: string;
  at: string;
}

export interface InboundMedia {
  url: string;
  contentType: string;
  /** Email attachments: the file's name. */
  filename?: string;
  key?: string;
  bytes?: number;
  skipped?: string;
}

/** What the email provider's delivery events last said about an email we sent. */
export interface EmailDelivery {
  /** `deferred` may still turn into any of the others; the rest are final. */
  status: 'delivered' | 'deferred' | 'bounced' | 'dropped';
  /** When the provider saw it happen. */
  at: string;
  reason?: string;
  /** The provider's id of the event (SendGrid `sg_event_id`) and of the message (`sg_message_id`). */
  providerEventId: string;
  providerMessageId?: string;
}

/** An email address the provider could not deliver to for good (hard bounce, invalid): never emailed again. */
export interface EmailUnreachableState {
  /** Lower-cased email address. */
  contact: string;
  at: string;
  reason: string;
  /** The provider event that showed it (SendGrid `sg_event_id`). */
  providerEventId: string;
}

export interface Meeting {
  meetingId: string;
  leadId: string;
  start: string;
  end: string;
  repId: string;
  calendarEventId: string;
  bookedAt: string;
  /** Set when the meeting was cancelled in the calendar (the lead cancelled or moved it). */
  cancelled?: MeetingCancellation;
  /** The rep (or the booking page) said the lead did not come: the message after it asks to rebook. */
  noShow?: boolean;
  /** Where it was booked: Leadline's calendar, or the business's booking page. */
  bookedVia?: 'calendar' | 'calendly' | 'cal.com';
}

export interface MeetingCancellation {
  at: string;
  /** The lead's message that asked for it. */
  messageId: string;
  reason: 'cancelled' | 'rescheduled';
}

export interface OptOutState {
  contact: string;
  optedOut: boolean;
  at: string;
  channel: Channel;
  /** The message (or provider event) that set this state: the one a confirmation may answer. */
  messageId: string;
  /** What set it (absent on states recorded before the consent ledger existed). */
  signal?: ConsentSignal;
  /** The provider already answered the person (Twilio Advanced Opt-Out): Leadline confirms nothing. */
  answeredByProvider?: boolean;
}

/** An inbound message, with what it tells about its lead (the lead is created from it if new). */
export interface InboundRecord
  extends Pick<
    Lead,
    'leadId' | 'contact' | 'channel' | 'phone' | 'email' | 'name' | 'timeZone' | 'localTime' | 'emailThread'
  > {
  message: Omit<LeadMessage, 'leadId' | 'direction' | 'status'>;
}

/**
 * The lead an inbound message makes when its contact is new: what the message tells of it, no
 * facts yet, created and updated `at` (ISO 8601 UTC), first written to at the message's time.
 */
export const leadFromInbound = (record: InboundRecord, at: string): Lead => ({
  leadId: record.leadId,
  contact: record.contact,
  channel: record.channel,
  ...(record.phone && { phone: record.phone }),
  ...(record.email && { email: record.email }),
  ...(record.name && { name: record.name }),
  timeZone: record.timeZone,
  ...(record.localTime && { localTime: record.localTime }),
  status: 'new',
  createdAt: at,
  updatedAt: at,
  firstInboundAt: record.message.at,
  known: {},
  ...(record.emailThread && { emailThread: record.emailThread }),
});

/** Where a held message is, so the dispatcher can find the due ones without scanning leads. */
export interface HeldMessageRef {
  leadId: string;
  messageId: string;
  at: string;
  sendAt: string;
}

export interface HeldOutcome {
  status: 'sent' | 'suppressed' | 'failed' | 'unconfirmed';
  providerMessageId?: string;
  reason?: string;
  sentAt?: string;
}

export interface LeadView extends Omit<Lead, 'status'> {
  /** The conversation's status, or `opted_out` while the contact is opted out (as the CRM shows it). */
  status: LeadStatus | 'opted_out';
  messages: LeadMessage[];
  meetings: Meeting[];
  optOut: OptOutState | null;
  /** Set while the lead's email address is marked unreachable after a bounce. */
  emailUnreachable: EmailUnreachableState | null;
  /** The consent ledger of the lead's contact, oldest first. */
  consent: ConsentLedgerEntry[];
}

/** An SMS to a rep held until the rep's notify hours open (shared/compliance/rep-notify-hours.ts). */
export interface HeldRepNotification {
  /** Unique per alert: the rep, the alert and the event that caused it. */
  id: string;
  repId: string;
  /** The rep's phone, E.164. */
  to: string;
  body: string;
  sendAt: string;
  leadId: string;
  correlationId: string;
  alert: RepAlert;
}

/** The lead, its conversation, meetings and opt-out state. */
export interface LeadStore {
  /** Creates the lead if new and appends the message; a repeated message is not stored twice. */
  recordInbound(record: InboundRecord): Promise<{ lead: Lead; isNewLead: boolean }>;
  getLead(leadId: string): Promise<Lead | undefined>;
  /** Messages in and out, oldest first. */
  getMessages(leadId: string): Promise<LeadMessage[]>;
  /** The lead, its messages (as `getMessages`) and its meetings, in one read. */
  getConversation(leadId: string): Promise<Conversation>;
  getMessage(leadId: string, messageId: string): Promise<LeadMessage | undefined>;
  /** Sets fields on the lead (last write wins per field); bumps its version. */
  updateLead(leadId: string, changes: LeadChanges): Promise<Lead>;
  /**
   * Read-modify-write with optimistic concurrency: `change` gets the current lead and returns the
   * fields to set (null: nothing to change); if another writer got in between, it is called again
   * on the newer lead. So no update to a lead is ever lost. Throws when the lead does not exist,
   * unless `options.create` says how to create it.
   */
  modifyLead(
    leadId: string,
    change: (lead: Lead) => LeadChanges | null,
    options?: ModifyLeadOptions,
  ): Promise<Lead>;
  /**
   * Records what `qualify` made of an inbound message, once: the first reading stands, and the
   * reading stored is returned (an earlier one when a redelivery read the message at the same
   * time). With `message`, stores the message first if no webhook did (an event published before
   * webhooks stored their messages); without it, throws when the message is not stored.
   */
  settleInbound(
    ref: { leadId: string; messageId: string },
    reading: InboundReading,
    message?: Omit<LeadMessage, 'leadId' | 'direction' | 'status'>,
  ): Promise<InboundReading>;
  /**
   * Stores an outbound message (held, suppressed, superseded) unless its id is taken; returns
   * what is stored under the id, which is the earlier message when it was taken.
   */
  recordOutbound(message: Omit<LeadMessage, 'direction'>): Promise<LeadMessage>;
  /**
   * Claims an outbound message before its provider is called: stores it as `sending` until
   * `claimedUntil`, unless its id is taken (then returns what is stored).
   */
  claimOutbound(
    message: Omit<LeadMessage, 'direction' | 'status' | 'claimedUntil'>,
    claimedUntil: Date,
  ): Promise<{ claimed: true } | { claimed: false; existing: LeadMessage }>;
  /** Takes over a `sending` claim whose time ran out (its sender crashed); false if another did. */
  retakeOutbound(
    ref: { leadId: string; messageId: string },
    expiredClaim: string,
    claimedUntil: Date,
  ): Promise<boolean>;
  /** Records how a claimed send ended. */
  finishOutbound(ref: MessageRef & { channel: Channel }, outcome: OutboundOutcome): Promise<void>;
  /** Drops a claim whose send surely did not happen (the provider refused it for now), if still ours. */
  releaseOutbound(ref: { leadId: string; messageId: string }, claimedUntil: string): Promise<void>;
  /** Ends a claim at `now` (its send may have happened): the next attempt resolves it at once. */
  expireOutbound(ref: { leadId: string; messageId: string }, claimedUntil: string, now: Date): Promise<void>;
  /** Held messages whose `sendAt` is at or before `now`, oldest first. */
  listDueHeld(now: Date, limit: number): Promise<HeldMessageRef[]>;
  /**
   * Moves a held message to `sending` until `claimedUntil` if it is still held (`claimed`), or
   * takes over a `sending` claim that ran out before `now` (`retaken`: its run crashed, and the
   * provider must be asked whether it went out); false when another dispatcher holds it or it is
   * gone. Never sent twice.
   */
  claimHeld(ref: HeldMessageRef, claimedUntil: Date, now: Date): Promise<'claimed' | 'retaken' | false>;
  /** Gives a claimed message back (the provider failed for now), so a later run retries it. */
  releaseHeld(ref: HeldMessageRef): Promise<void>;
  /** Records how a claimed held message ended and removes it from the due list. */
  finishHeld(ref: HeldMessageRef, outcome: HeldOutcome): Promise<void>;
  saveMeeting(meeting: Meeting): Promise<void>;
  /** Marks a stored meeting cancelled; a second call keeps the first cancellation. */
  cancelMeeting(ref: { leadId: string; meetingId: string }, cancellation: MeetingCancellation): Promise<void>;
  getMeetings(leadId: string): Promise<Meeting[]>;
  /** Marks a stored meeting a no-show (the rep said the lead did not come); a meeting not stored is left. */
  markNoShow(ref: { leadId: string; meetingId: string }): Promise<void>;
  setOptOut(state: OptOutState): Promise<void>;
  /**
   * Writes `state` only when it changes the contact's state: none yet, or the other direction
   * and not older than the state it replaces; or it is the same message again (a retry).
   * True when written. One conditional write: a second STOP never takes over the first's place.
   */
  changeOptOut(state: OptOutState): Promise<boolean>;
  getOptOut(contact: string): Promise<OptOutState | undefined>;
  /** Adds a fact to the contact's consent ledger; the same entry (at, id) is stored once. */
  recordConsentEvent(entry: ConsentLedgerEntry): Promise<void>;
  /** The contact's consent ledger, oldest first. */
  getConsentLedger(contact: string): Promise<ConsentLedgerEntry[]>;
  /** Keeps a rep's SMS notification for later; the same id is kept once. */
  holdRepNotification(notification: HeldRepNotification): Promise<void>;
  /**
   * Takes the held rep notifications due at `now`, oldest first, each removed as it is taken so
   * two dispatchers never both send it (at most once: one taken and not sent is lost, and logged).
   */
  takeDueRepNotifications(now: Date, limit: number): Promise<HeldRepNotification[]>;
  /**
   * Records a delivery event on an outbound email: a final state is never replaced by a deferral,
   * nor by an event older than the one recorded. `not-found` when no such message is stored.
   */
  recordEmailDelivery(
    ref: { leadId: string; messageId: string },
    delivery: EmailDelivery,
  ): Promise<'recorded' | 'outdated' | 'not-found'>;
  setEmailUnreachable(state: EmailUnreachableState): Promise<void>;
  getEmailUnreachable(email: string): Promise<EmailUnreachableState | undefined>;
  /** The person wrote from the address: it works again. True when it had been marked unreachable. */
  clearEmailUnreachable(email: string): Promise<boolean>;
  /**
   * Records a status callback on the text the provider knows as `providerMessageId`, unless a
   * status as far along is recorded already (`outdated`). A callback that beats the sender's own
   * record is kept (`pending`) and applied when the sender records the text.
   */
  recordSmsDelivery(
    providerMessageId: string,
    delivery: SmsDelivery,
  ): Promise<{ outcome: 'recorded' | 'outdated' | 'pending'; message?: MessageRef }>;
  /** Records what became of an inbound message's media; false when the message is not stored yet. */
  recordInboundMedia(ref: MessageRef, media: InboundMedia[]): Promise<boolean>;
  listLeads(): Promise<Lead[]>;
}
