import * as z from 'zod';
import { ConversationStage } from '#events/catalog.ts';
import { Channel } from '#events/envelope.ts';
import type { BusinessProfile } from '#shared/config/business-profile.ts';
import type { EmailUnreachableState, Lead, LeadMessage, OptOutState } from '#shared/ports/lead-store.ts';
import type { LeadRow, ShownStage } from './views.ts';

/** How much of the last message the list shows. */
const PREVIEW_CHARS = 140;

/** A message's text for a preview: whitespace collapsed, cut at a word near `max` characters. */
export const preview = (text: string, max = PREVIEW_CHARS): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
};

/** First inbound message to first reply, in ms; undefined before the first reply. */
export const speedToLeadMs = (lead: Pick<Lead, 'firstInboundAt' | 'firstReplyAt'>): number | undefined => {
  if (!lead.firstReplyAt) return undefined;
  const ms = Date.parse(lead.firstReplyAt) - Date.parse(lead.firstInboundAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
};

/**
 * The stage the console shows: where the lead's conversation stands (`Lead.stage`, moved by the
 * `conversation` function), spam and wrong numbers as such (they have no conversation), and a lead
 * stored before stages existed by its status.
 */
export const shownStage = (lead: Pick<Lead, 'stage' | 'status'>): ShownStage =>
  lead.status === 'spam' || lead.status === 'wrong_number' ? lead.status : (lead.stage ?? lead.status);

/** The lead list's row for a lead, with its latest message and contact states. */
export const toLeadRow = (
  lead: Lead,
  extra: {
    lastMessage?: LeadMessage;
    optOut?: OptOutState | null;
    emailUnreachable?: EmailUnreachableState | null;
    profile: BusinessProfile;
  },
): LeadRow => {
  const rep = lead.assignedRepId ? extra.profile.reps.find((r) => r.id === lead.assignedRepId) : undefined;
  const speed = speedToLeadMs(lead);
  const last = extra.lastMessage;
  return {
    leadId: lead.leadId,
    ...(lead.name && { name: lead.name }),
    contact: lead.contact,
    ...(lead.phone && { phone: lead.phone }),
    ...(lead.email && { email: lead.email }),
    channel: lead.channel,
    stage: shownStage(lead),
    ...(lead.score && { grade: lead.score.grade, score: lead.score.score }),
    ...(last && {
      lastMessage: { direction: last.direction, text: preview(last.body), at: last.at, status: last.status },
    }),
    ...(lead.assignedRepId && { rep: { id: lead.assignedRepId, name: rep?.name ?? lead.assignedRepId } }),
    ...(speed !== undefined && { speedToLeadMs: speed }),
    optedOut: extra.optOut?.optedOut ?? false,
    emailUnreachable: Boolean(extra.emailUnreachable),
    createdAt: lead.createdAt,
    updatedAt: lead.updatedAt,
  };
};

const LeadStage = z.enum([...ConversationStage.options, 'spam', 'wrong_number'] satisfies ShownStage[]);

/** The lead list's query string: filters, search and paging. Unknown values are refused with the field's name. */
export const LeadListQuery = z.object({
  grade: z.enum(['hot', 'warm', 'cold', 'none']).optional(),
  stage: LeadStage.optional(),
  channel: Channel.optional(),
  /** Part of a name, phone number or email address. */
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(2000).optional(),
});
export type LeadListQuery = z.infer<typeof LeadListQuery>;

/**
 * Whether the lead matches the search text: case-insensitive in the name and email, and by digits
 * in the phone number, so "512 555-0123", "(512) 555 0123" and "5550123" all find +15125550123.
 */
export const matchesSearch = (
  lead: Pick<Lead, 'name' | 'email' | 'phone' | 'contact'>,
  q: string,
): boolean => {
  const text = q.trim().toLowerCase();
  if (!text) return true;
  if (lead.name?.toLowerCase().includes(text)) return true;
  if ((lead.email ?? lead.contact).toLowerCase().includes(text)) return true;
  const digits = text.replace(/\D/g, '');
  return digits.length >= 3 && (lead.phone ?? lead.contact).replace(/\D/g, '').includes(digits);
};

/** Whether the lead passes the list's filters and search. */
export const matchesQuery = (lead: Lead, query: Omit<LeadListQuery, 'limit' | 'cursor'>): boolean =>
  (!query.grade || (lead.score?.grade ?? 'none') === query.grade) &&
  (!query.stage || shownStage(lead) === query.stage) &&
  (!query.channel || lead.channel === query.channel) &&
  (!query.q || matchesSearch(lead, query.q));
