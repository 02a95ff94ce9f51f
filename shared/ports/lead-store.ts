import type { Channel } from '#events/envelope.ts';
import type { ConsentLedgerEntry, ConsentSignal } from '#shared/compliance/consent-ledger.ts';
import type { LeadLocalTime } from '#shared/compliance/local-time.ts';
import type { Qualification } from '#shared/domain/qualification.ts';
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
  /** Facts learnt over the conversation; later messages fill what earlier ones left out. */
  known: { need?: string; service?: string; location?: string; timing?: string; budget?: string };
  qualification?: Qualification & { qualifiedBy: QualifiedBy; messageId: string; at: string };
  score?: { score: number; grade: Grade; reasons: string[]; at: string };
  offeredSlots?: TimeSlot[];
  assignedRepId?: string;
  crm?: { provider: string; id: string; syncedAt: string };
  /** Email threading: the subject and Message-IDs of the lead's latest email. */
  emailThread?: { subject?: string; messageId?: string; references: string[] };
}

export interface LeadMessage {
  messageId: string;
  leadId: string;
  direction: 'in' | 'out';
  channel: Channel;
  body: string;
  subject?: string;
  at: string;
  /**
   * in: received. out: sent; held until `sendAt` (quiet hours); sending (claimed by the held-text
   * dispatcher); suppressed (opt-out); failed (the provider refused it for good).
   */
  status: 'received' | 'sent' | 'held' | 'sending' | 'suppressed' | 'failed';
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

/** Where a held message is, so the dispatcher can find the due ones without scanning leads. */
export interface HeldMessageRef {
  leadId: string;
  messageId: string;
  at: string;
  sendAt: string;
}

export interface HeldOutcome {
  status: 'sent' | 'suppressed' | 'failed';
  providerMessageId?: string;
  reason?: string;
  sentAt?: string;
}

export interface LeadView extends Lead {
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
  alert: 'hot-lead' | 'meeting-booked';
}

/** The lead, its conversation, meetings and opt-out state. */
export interface LeadStore {
  /** Creates the lead if new and appends the message; a repeated message is not stored twice. */
  recordInbound(record: InboundRecord): Promise<{ lead: Lead; isNewLead: boolean }>;
  getLead(leadId: string): Promise<Lead | undefined>;
  /** Messages in and out, oldest first. */
  getMessages(leadId: string): Promise<LeadMessage[]>;
  updateLead(leadId: string, changes: Partial<Omit<Lead, 'leadId' | 'createdAt'>>): Promise<Lead>;
  /** Appends an outbound message; the same messageId is stored once. */
  recordOutbound(message: Omit<LeadMessage, 'direction'>): Promise<void>;
  /** Held messages whose `sendAt` is at or before `now`, oldest first. */
  listDueHeld(now: Date, limit: number): Promise<HeldMessageRef[]>;
  /**
   * Moves a held message to `sending` if it is still held; false when another dispatcher took it
   * or it is gone. A text claimed and never finished stays `sending`: at most once, never twice.
   */
  claimHeld(ref: HeldMessageRef): Promise<boolean>;
  /** Gives a claimed message back (the provider failed for now), so a later run retries it. */
  releaseHeld(ref: HeldMessageRef): Promise<void>;
  /** Records how a claimed held message ended and removes it from the due list. */
  finishHeld(ref: HeldMessageRef, outcome: HeldOutcome): Promise<void>;
  saveMeeting(meeting: Meeting): Promise<void>;
  getMeetings(leadId: string): Promise<Meeting[]>;
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
