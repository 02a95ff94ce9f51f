import type { Lead, LeadStatus } from '#shared/ports/lead-store.ts';

/** A lead's status as people see it (the CRM, `/local/leads`): an opt-out outranks the conversation's state. */
export type DisplayedLeadStatus = LeadStatus | 'opted_out';

/** The status to show for a lead, given whether its contact has opted out. */
export const displayedStatus = (status: LeadStatus, optedOut: boolean): DisplayedLeadStatus =>
  optedOut ? 'opted_out' : status;

/**
 * Whether a lead has enquired: a message was read as a new lead or a reply, or they booked a
 * meeting on the business's booking page. A contact who only sent a keyword (HELP, STOP) or was
 * never qualified has not, and is no CRM lead.
 */
export const hasEnquired = (lead: Pick<Lead, 'qualification' | 'score' | 'source'>): boolean =>
  lead.source === 'calendly' ||
  lead.source === 'cal-com' ||
  lead.score !== undefined ||
  lead.qualification?.intent === 'new_lead' ||
  lead.qualification?.intent === 'reply';
