/**
 * What the console's read API answers, locally and in the cloud: the browser app (`console/`)
 * imports these types, the API builds them (`shared/console/*.ts`). Times are ISO 8601 UTC unless
 * a field says otherwise; durations are milliseconds.
 */
import type { ConversationStage } from '#events/catalog.ts';
import type { Channel } from '#events/envelope.ts';
import type { Grade, LeadStatus } from '#shared/ports/lead-store.ts';

export type { Channel, Grade, LeadStatus };

/** A lead's stage as the console shows it (`shownStage`): its conversation's, or spam, or a wrong number. */
export type ShownStage = ConversationStage | 'spam' | 'wrong_number';

/** One row of the lead list. */
export interface LeadRow {
  leadId: string;
  name?: string;
  /** The contact that identifies the lead: E.164 phone or lower-cased email. */
  contact: string;
  phone?: string;
  email?: string;
  channel: Channel;
  /** Where the lead's conversation stands (`shownStage`). */
  stage: ShownStage;
  grade?: Grade;
  score?: number;
  lastMessage?: { direction: 'in' | 'out'; text: string; at: string; status: string };
  rep?: { id: string; name: string };
  /** First inbound message to first reply, once replied. */
  speedToLeadMs?: number;
  optedOut: boolean;
  /** The email address bounced for good; no email goes to it. */
  emailUnreachable: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface LeadPage {
  leads: LeadRow[];
  /** Pass back as `cursor` for the next page; absent on the last one. */
  nextCursor?: string;
}

/** A message of the conversation, with what became of it in words. */
export interface ThreadMessage {
  messageId: string;
  direction: 'in' | 'out';
  channel: Channel;
  text: string;
  subject?: string;
  at: string;
  /** received, sent, delivered, held, sending, suppressed, failed, bounced… */
  status: string;
  /** Why or until when, e.g. "held until Tue Nov 24, 8:00 AM CST (quiet hours)". */
  statusDetail?: string;
  tone: Tone;
  purpose?: string;
  composedBy?: string;
  media?: { contentType: string; archived: boolean }[];
}

export type Tone = 'good' | 'warn' | 'bad' | 'neutral';

/** One entry of a lead's timeline: a pipeline event, a message's fate, or a consent entry. */
export interface TimelineItem {
  at: string;
  /** `event` from the recorded history, `message` from a message's status, `consent` from the ledger, `stored` from the lead itself (history not recorded). */
  source: 'event' | 'message' | 'consent' | 'stored';
  title: string;
  details: string[];
  tone: Tone;
  link?: { href: string; label: string };
}

export interface LeadDetail {
  lead: LeadRow & {
    timeZone: string;
    known: Record<string, string | undefined>;
    qualification?: { intent: string; qualifiedBy: string; at: string };
    scoreReasons: string[];
    crm?: { provider: string; id: string; syncedAt: string };
    meetings: { meetingId: string; start: string; end: string; repName: string }[];
    optOut?: { optedOut: boolean; at: string; channel: Channel };
  };
  thread: ThreadMessage[];
  timeline: TimelineItem[];
}

/** One subscriber's queue and dead-letter queue. Ages in seconds; absent when unknown or empty. */
export interface QueueHealthView {
  subscriber: string;
  visible: number;
  inFlight: number;
  delayed: number;
  oldestAgeSeconds?: number;
  deadLettered: number;
  deadLetterOldestAgeSeconds?: number;
}

/** Speed to lead of the leads first answered in one hour. */
export interface SpeedToLeadPoint {
  /** The hour's start. */
  hour: string;
  leads: number;
  medianMs?: number;
  worstMs?: number;
}

export interface PipelineHealth {
  queues: QueueHealthView[];
  speedToLead: { hours: number; points: SpeedToLeadPoint[] };
  /** When this was read. */
  at: string;
}

/** Who is signed in, and what they may do. */
export interface Session {
  user: string;
  canRedrive: boolean;
  /** `local`: the runtime on this machine (sandbox outbox, simulated phone and mailbox). */
  mode: 'local' | 'cloud';
}

export interface RedriveResult {
  subscriber: string;
  /** Messages moved (local), or waiting in the dead-letter queue when the move task started (AWS). */
  messages: number;
  taskHandle?: string;
}
