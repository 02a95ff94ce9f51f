import { LeadSyncedToCrm } from '#events/catalog.ts';
import { now } from '#shared/clock.ts';
import { displayedStatus, hasEnquired } from '#shared/domain/lead-status.ts';
import { PermanentError } from '#shared/ports/errors.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import type { Lead, LeadMessage, LeadStore, Meeting } from '#shared/ports/lead-store.ts';
import type { Crm, CrmLeadRecord } from '#shared/ports/outbound.ts';

/** The CRM's view of a lead: keyed by our lead id, with the whole conversation as a log. */
export const toCrmRecord = (
  lead: Lead,
  messages: LeadMessage[],
  meetings: Meeting[],
  optedOut: boolean,
): CrmLeadRecord => ({
  externalId: lead.leadId,
  ...(lead.name && { name: lead.name }),
  ...(lead.email && { email: lead.email }),
  ...(lead.phone && { phone: lead.phone }),
  ...(lead.score && { score: lead.score.score, grade: lead.score.grade }),
  status: displayedStatus(lead.status, optedOut),
  ...(lead.stage && { stage: lead.stage }),
  ...(lead.source && { source: lead.source }),
  // WhatsApp leads are phone contacts: the CRM's phone fields and do-not-call flag apply.
  sourceChannel: lead.channel === 'email' ? 'email' : 'sms',
  ...(lead.known.need && { need: lead.known.need }),
  ...(lead.known.service && { service: lead.known.service }),
  ...(lead.known.location && { location: lead.known.location }),
  ...(lead.known.timing && { timing: lead.known.timing }),
  ...(lead.known.budget && { budget: lead.known.budget }),
  optedOut,
  ...(lead.assignedRepId && { ownerRepId: lead.assignedRepId }),
  conversationLog: messages
    .filter((m) => m.status === 'received' || m.status === 'sent')
    .map((m) => `${m.at} ${m.direction === 'in' ? 'lead' : 'us'} (${m.channel}): ${m.body}`),
  meetings: meetings.map((m) => ({ start: m.start, end: m.end })),
});

/**
 * Creates or updates the lead in the CRM and remembers the CRM's id for it (written once, when the
 * lead is first linked to its record). A contact that never enquired (a bare HELP or STOP) is not
 * created in the CRM: `skipped`. Once in the CRM, a lead is kept up to date whatever happens (an
 * opt-out included). Idempotent by the CRM's own upsert on the lead's id: a redelivery syncs the
 * same record again. Announced as `Lead Synced To CRM`, keyed on the event that caused the sync
 * (`trigger.dedupeKey`), so each sync is a fact of its own and a redelivery's is the same one.
 */
export const syncLead = async (
  trigger: { detailType: string; detail: { leadId: string; correlationId: string }; dedupeKey?: string },
  deps: { store: LeadStore; crm: Crm; publisher: EventPublisher; now?: () => Date },
): Promise<{ crmId: string; created: boolean; recordUrl?: string } | { skipped: string }> => {
  const { leadId, correlationId } = trigger.detail;
  const { lead, messages, meetings } = await deps.store.getConversation(leadId);
  if (!lead) throw new PermanentError(`Lead ${leadId} not found`);
  if (!lead.crm && !hasEnquired(lead)) return { skipped: 'the contact has not enquired' };
  const optOut = await deps.store.getOptOut(lead.contact);
  const result = await deps.crm.upsertLead(toCrmRecord(lead, messages, meetings, optOut?.optedOut ?? false));
  if (lead.crm?.provider !== deps.crm.provider || lead.crm.id !== result.crmId) {
    await deps.store.updateLead(leadId, {
      crm: {
        provider: deps.crm.provider,
        id: result.crmId,
        syncedAt: (deps.now?.() ?? now()).toISOString(),
      },
    });
  }
  await deps.publisher.publish(LeadSyncedToCrm, {
    version: 1,
    leadId,
    correlationId,
    crm: deps.crm.provider,
    crmId: result.crmId,
    created: result.created,
    trigger: trigger.detailType,
    ...(trigger.dedupeKey && { triggerKey: trigger.dedupeKey }),
    ...(result.recordUrl && { recordUrl: result.recordUrl }),
  });
  return result;
};
