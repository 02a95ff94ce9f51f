/** Ports for everything that leaves Leadline. Each has a real adapter and a sandbox one. */

export interface SentMessage {
  providerMessageId: string;
}

/** A send whose outcome is unknown (its sender crashed), to look up at the provider. */
export interface SentLookup {
  to: string;
  body: string;
  /** When the send was claimed: anything the provider took earlier is another message. */
  since: Date;
  /** Our id for the message (`out-…`), where the provider keeps one. */
  reference: string;
}

/** What a provider says of an interrupted send: it took it (its id), it did not (null), or it cannot tell. */
export type SentLookupResult = SentMessage | null | 'unknown';

/**
 * A text through the SMS provider: an SMS, or a WhatsApp message when `to` and `from` carry the
 * `whatsapp:` prefix (Twilio). `contentSid` sends an approved template (Twilio Content API)
 * with its `contentVariables` instead of `body`. `reference` is our id for it (`out-…`), kept
 * where the provider can.
 */
export interface OutgoingText {
  to: string;
  from: string;
  body: string;
  contentSid?: string;
  contentVariables?: Record<string, string>;
  reference?: string;
}

export interface SmsSender {
  /** Hands the text to the provider. */
  send(sms: OutgoingText): Promise<SentMessage>;
  /**
   * Whether the provider took this text (its id) or not (null); `unknown` when the provider
   * cannot tell, and then an interrupted send is never repeated (at most once).
   */
  findSent(lookup: SentLookup): Promise<SentLookupResult>;
}

export interface EmailSender {
  send(email: {
    to: string;
    from: { email: string; name: string };
    subject: string;
    text: string;
    html?: string;
    /** Threading: the Message-ID answered and the thread's References. */
    inReplyTo?: string;
    references?: string[];
    /** Our ids for the message, echoed back by the provider's delivery events. */
    tracking?: { leadId: string; messageId: string };
  }): Promise<SentMessage>;
  /** As `SmsSender.findSent`; `reference` is `tracking.messageId`. */
  findSent(lookup: SentLookup): Promise<SentLookupResult>;
}

/** A notification for someone in a team chat. */
export interface ChatMessage {
  /** Where the rep reads it, e.g. `#leads`. */
  channel: string;
  /** The whole message as plain text: the notification, and what clients without cards show. */
  text: string;
  /** The same content laid out: a title, labelled fields and lines under them. */
  card?: { title: string; fields: Array<{ label: string; value: string }>; lines?: string[] };
  /** The chat member to mention (a Slack member id such as `U0123ABCD`). */
  mentionUserId?: string;
}

export interface ChatPoster {
  post(message: ChatMessage): Promise<void>;
}

export interface CrmLeadRecord {
  /** Our lead id: the external id the CRM record is keyed on, so a retry never duplicates it. */
  externalId: string;
  name?: string;
  email?: string;
  phone?: string;
  score?: number;
  grade?: string;
  status: string;
  /** Where the conversation stands (new, engaged, qualified, meeting_offered, booked, handed_to_rep, won, lost, opted_out). */
  stage?: string;
  /** How the lead first came, when not by a message (`missed-call`). */
  source?: string;
  sourceChannel: 'sms' | 'email';
  need?: string;
  service?: string;
  location?: string;
  timing?: string;
  budget?: string;
  optedOut: boolean;
  ownerRepId?: string;
  /** The conversation so far, oldest first, one line a message. */
  conversationLog: string[];
  meetings: Array<{ start: string; end: string }>;
}

export interface Crm {
  readonly provider: string;
  /** `recordUrl`: where a person opens the record in the CRM, when the CRM's address is known. */
  upsertLead(record: CrmLeadRecord): Promise<{ crmId: string; created: boolean; recordUrl?: string }>;
}

export interface BusySlot {
  start: Date;
  end: Date;
}

export class SlotUnavailableError extends Error {
  override readonly name = 'SlotUnavailableError';
}

export interface CalendarPort {
  busy(range: { from: Date; to: Date }): Promise<BusySlot[]>;
  /** Books the slot; `key` makes a retried booking return the first one. Throws SlotUnavailableError when taken. */
  book(booking: {
    key: string;
    start: Date;
    end: Date;
    title: string;
    description: string;
    attendee: { name?: string; email?: string; phone?: string };
  }): Promise<{ eventId: string }>;
  /** Cancels a booked event and frees its time; an event already gone is not an error. */
  cancel(booking: { eventId: string; start: Date }): Promise<void>;
}

/**
 * A scheduling page the lead books on themselves (Calendly, Cal.com): Leadline picks no slot and
 * books nothing, it sends the link.
 */
export interface BookingLink {
  readonly provider: string;
  /** The page for this lead, prefilled with what the provider accepts in its query string. */
  /** `leadId` rides along (Calendly `utm_content`, Cal.com `metadata[leadId]`) so the booking's webhook names the lead. */
  urlFor(lead: { name?: string; email?: string; leadId?: string }): string;
}

/** How meetings are arranged: Leadline books on a calendar, or the lead books through a link. */
export type Scheduler = CalendarPort | BookingLink;

export interface BlobStore {
  put(key: string, body: Buffer | string, contentType: string): Promise<void>;
}
