import type { Channel } from '#events/envelope.ts';
import type { Qualification } from '#shared/domain/qualification.ts';
import type { QualifiedBy } from './qualifier.ts';

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
  timeZone: string;
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
  /** in: received; out: sent, held (quiet hours) or suppressed (opt-out). */
  status: 'received' | 'sent' | 'held' | 'suppressed';
  purpose?: string;
  inReplyTo?: string;
  sendAt?: string;
  providerMessageId?: string;
  reason?: string;
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
  messageId: string;
}

export interface InboundRecord {
  leadId: string;
  contact: string;
  channel: Channel;
  phone?: string;
  email?: string;
  name?: string;
  timeZone: string;
  message: Omit<LeadMessage, 'leadId' | 'direction' | 'status'>;
  emailThread?: Lead['emailThread'];
}

export interface LeadView extends Lead {
  messages: LeadMessage[];
  meetings: Meeting[];
  optOut: OptOutState | null;
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
  saveMeeting(meeting: Meeting): Promise<void>;
  getMeetings(leadId: string): Promise<Meeting[]>;
  setOptOut(state: OptOutState): Promise<void>;
  getOptOut(contact: string): Promise<OptOutState | undefined>;
  listLeads(): Promise<Lead[]>;
}
