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

type StoredScore = NonNullable<Lead['score']>;

/**
 * Scores the lead from its qualification, its conversation and the business profile, and
 * announces it (`Lead Scored`). One read of the lead and its conversation, one conditional write.
 * Idempotent by its own writes: the score keeps the message it was computed for and the grade it
 * replaced, so a redelivered `Lead Qualified` announces the same score again without writing.
 */
export const scoreQualifiedLead = async (
  event: Qualified,
  deps: { store: LeadStore; publisher: EventPublisher; profile: BusinessProfile; now?: () => Date },
): Promise<{ score: number; grade: Grade; previousGrade: Grade | 'none'; repeated?: boolean }> => {
  const { lead: initial, messages } = await deps.store.getConversation(event.leadId);
  if (!initial?.qualification) throw new PermanentError(`Lead ${event.leadId} has no qualification to score`);
  const scoredBefore = (lead: Lead): (StoredScore & { previousGrade: Grade | 'none' }) | undefined =>
    lead.score?.messageId === event.messageId && lead.score.previousGrade !== undefined
      ? { ...lead.score, previousGrade: lead.score.previousGrade }
      : undefined;

  // The score replaces the one it was computed over, atomically: two messages scored at once
  // cannot both see "warm" and both announce the lead turning hot.
  let score = scoredBefore(initial);
  const repeated = score !== undefined;
  if (!score) {
    await deps.store.modifyLead(
      initial.leadId,
      (current) => {
        score = scoredBefore(current);
        if (score) return null;
        score = {
          ...scoreFacts(current, messages, deps.profile),
          at: (deps.now?.() ?? now()).toISOString(),
          messageId: event.messageId,
          previousGrade: current.score?.grade ?? 'none',
        };
        return {
          score,
          ...(!current.assignedRepId && {
            assignedRepId: assignRep(deps.profile, current.known.service ?? current.qualification?.service)
              .id,
          }),
        };
      },
      { current: initial },
    );
  }
  if (!score) throw new Error(`Lead ${event.leadId} was not scored`);
  const scored: StoredScore & { previousGrade: Grade | 'none' } = score;
  await deps.publisher.publish(LeadScored, {
    version: 1,
    leadId: event.leadId,
    correlationId: event.correlationId,
    messageId: event.messageId,
    channel: event.channel,
    score: scored.score,
    grade: scored.grade,
    previousGrade: scored.previousGrade,
    meeting: event.meeting,
    emergency: event.emergency,
    reasons: scored.reasons,
  });
  return {
    score: scored.score,
    grade: scored.grade,
    previousGrade: scored.previousGrade,
    ...(repeated && { repeated }),
  };
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
