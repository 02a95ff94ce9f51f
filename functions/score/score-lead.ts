import type * as z from 'zod';
import { type LeadQualified, LeadScored } from '#events/catalog.ts';
import type { BusinessProfile } from '#shared/config/business-profile.ts';
import { assignRep } from '#shared/domain/assign-rep.ts';
import { scoreLead as computeScore } from '#shared/domain/scoring.ts';
import { PermanentError } from '#shared/ports/errors.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import type { Grade, LeadStore } from '#shared/ports/lead-store.ts';

type Qualified = z.infer<(typeof LeadQualified)['schema']>;

/** Scores the lead from its qualification, its conversation and the business profile. */
export const scoreQualifiedLead = async (
  event: Qualified,
  deps: { store: LeadStore; publisher: EventPublisher; profile: BusinessProfile; now?: () => Date },
): Promise<{ score: number; grade: Grade; previousGrade: Grade | 'none' }> => {
  const lead = await deps.store.getLead(event.leadId);
  if (!lead?.qualification) throw new PermanentError(`Lead ${event.leadId} has no qualification to score`);
  const messages = await deps.store.getMessages(lead.leadId);

  // Scores the facts known so far, not only this message's: "yes, tomorrow works" keeps the need told earlier.
  const q = lead.qualification;
  const result = computeScore({
    qualification: {
      ...q,
      need: q.need ?? lead.known.need ?? null,
      service: q.service ?? lead.known.service ?? null,
      location: q.location ?? lead.known.location ?? null,
      budget: q.budget ?? lead.known.budget ?? null,
      timing:
        q.timing !== 'unknown' ? q.timing : ((lead.known.timing as typeof q.timing | undefined) ?? 'unknown'),
    },
    conversation: {
      inboundCount: messages.filter((m) => m.direction === 'in').length,
      outboundCount: messages.filter((m) => m.direction === 'out' && m.status === 'sent').length,
      hasEmail: Boolean(lead.email),
      hasPhone: Boolean(lead.phone),
    },
    profile: deps.profile,
  });
  const previousGrade = lead.score?.grade ?? 'none';
  await deps.store.updateLead(lead.leadId, {
    score: { ...result, at: (deps.now?.() ?? new Date()).toISOString() },
    ...(!lead.assignedRepId && {
      assignedRepId: assignRep(deps.profile, lead.known.service ?? q.service).id,
    }),
  });
  await deps.publisher.publish(LeadScored, {
    version: 1,
    leadId: lead.leadId,
    correlationId: event.correlationId,
    messageId: event.messageId,
    channel: event.channel,
    score: result.score,
    grade: result.grade,
    previousGrade,
    meeting: event.meeting,
    reasons: result.reasons,
  });
  return { score: result.score, grade: result.grade, previousGrade };
};
