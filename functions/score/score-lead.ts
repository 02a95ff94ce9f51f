import type * as z from 'zod';
import { type LeadQualified, LeadScored } from '#events/catalog.ts';
import { now } from '#shared/clock.ts';
import type { BusinessProfile } from '#shared/config/business-profile.ts';
import { assignRep } from '#shared/domain/assign-rep.ts';
import type { Qualification } from '#shared/domain/qualification.ts';
import { scoreLead as computeScore } from '#shared/domain/scoring.ts';
import { PermanentError } from '#shared/ports/errors.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import type { Grade, Lead, LeadMessage, LeadStore } from '#shared/ports/lead-store.ts';

type Qualified = z.infer<(typeof LeadQualified)['schema']>;
type Timing = Qualification['timing'];

const TIMINGS: ReadonlySet<string> = new Set<Timing>([
  'urgent',
  'this_week',
  'this_month',
  'later',
  'unknown',
]);
const isTiming = (value: string | undefined): value is Timing => value !== undefined && TIMINGS.has(value);

/** Scores the lead from its qualification, its conversation and the business profile. */
export const scoreQualifiedLead = async (
  event: Qualified,
  deps: { store: LeadStore; publisher: EventPublisher; profile: BusinessProfile; now?: () => Date },
): Promise<{ score: number; grade: Grade; previousGrade: Grade | 'none' }> => {
  const initial = await deps.store.getLead(event.leadId);
  if (!initial?.qualification) throw new PermanentError(`Lead ${event.leadId} has no qualification to score`);
  const messages = await deps.store.getMessages(initial.leadId);

  // The score replaces the one it was computed over, atomically: two messages scored at once
  // cannot both see "warm" and both announce the lead turning hot.
  let result: ReturnType<typeof computeScore> | undefined;
  let previousGrade: Grade | 'none' = 'none';
  const lead = await deps.store.modifyLead(initial.leadId, (current) => {
    result = scoreFacts(current, messages, deps.profile);
    previousGrade = current.score?.grade ?? 'none';
    return {
      score: { ...result, at: (deps.now?.() ?? now()).toISOString() },
      ...(!current.assignedRepId && {
        assignedRepId: assignRep(deps.profile, current.known.service ?? current.qualification?.service).id,
      }),
    };
  });
  if (!result) throw new Error(`Lead ${lead.leadId} was not scored`);
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
    emergency: event.emergency,
    reasons: result.reasons,
  });
  return { score: result.score, grade: result.grade, previousGrade };
};

/** Scores the facts known so far, not only this message's: "yes, tomorrow works" keeps the need told earlier. */
const scoreFacts = (lead: Lead, messages: LeadMessage[], profile: BusinessProfile) => {
  const q = lead.qualification;
  if (!q) throw new PermanentError(`Lead ${lead.leadId} has no qualification to score`);
  // `mergeFacts` keeps the need, the name and the urgency told earlier on the lead.
  const { known } = lead;
  return computeScore({
    qualification: {
      ...q,
      name: q.name ?? lead.name ?? null,
      need: known.need ?? q.need,
      service: known.service ?? q.service,
      location: known.location ?? q.location,
      budget: known.budget ?? q.budget,
      timing: isTiming(known.timing) ? known.timing : q.timing,
      urgency: known.urgency ?? q.urgency,
    },
    conversation: {
      inboundCount: messages.filter((m) => m.direction === 'in').length,
      outboundCount: messages.filter((m) => m.direction === 'out' && m.status === 'sent').length,
      hasEmail: Boolean(lead.email),
      hasPhone: Boolean(lead.phone),
    },
    profile,
  });
};
