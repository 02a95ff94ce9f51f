import type * as z from 'zod';
import { LeadRouted, type LeadScored, type RepResponseDue, RepResponseMissed } from '#events/catalog.ts';
import type { BusinessProfile, Rep } from '#shared/config/business-profile.ts';
import { isRepOn } from '#shared/domain/routing/availability.ts';
import { routingCandidates } from '#shared/domain/routing/candidates.ts';
import { PermanentError } from '#shared/ports/errors.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import type { Lead, LeadRouting, LeadStore } from '#shared/ports/lead-store.ts';
import type { RepRouting } from '#shared/ports/rep-routing.ts';
import type { Timers } from '#shared/ports/timers.ts';

type Scored = z.infer<(typeof LeadScored)['schema']>;
type Due = z.infer<(typeof RepResponseDue)['schema']>;

export interface RouteDeps {
  store: LeadStore;
  routing: RepRouting;
  timers: Timers;
  publisher: EventPublisher;
  profile: BusinessProfile;
  now: () => Date;
}

/** Why a scored lead needs a person now: an emergency first, else it turned hot. */
export const routingReason = (lead: Lead, emergency: boolean): LeadRouting['reason'] =>
  emergency || lead.known.urgency === 'emergency' ? 'emergency' : 'hot-lead';

/** Minutes a rep has to acknowledge: the profile's, when the rep can text back (has a phone). */
const responseMinutesFor = (rep: Rep | undefined, profile: BusinessProfile) =>
  rep?.phone ? profile.routing.responseMinutes : 0;

const repNamed = (profile: BusinessProfile, repId: string) => profile.reps.find((r) => r.id === repId);

/**
 * The rep who keeps a lead that needs a person again: the one who took the conversation over, else
 * the one it is routed to (unless nobody answered), when they are on duty or nobody suited is.
 */
const keeperOf = (lead: Lead, profile: BusinessProfile, now: Date, allOff: boolean): string | undefined => {
  const owner =
    lead.handedToRep?.repId ?? (lead.routing && !lead.routing.unanswered ? lead.routing.repId : undefined);
  const rep = owner ? repNamed(profile, owner) : undefined;
  return rep && (allOff || isRepOn(rep, now, profile)) ? rep.id : undefined;
};

/** `Lead Routed` for the routing's current attempt, from what is stored (a retry announces the same). */
const announceRouted = async (lead: Lead, routing: LeadRouting, deps: RouteDeps) => {
  const previousRepId = routing.attempt > 1 ? routing.tried[routing.attempt - 2] : undefined;
  await deps.publisher.publish(LeadRouted, {
    version: 1,
    leadId: lead.leadId,
    correlationId: routing.correlationId,
    messageId: routing.messageId,
    channel: lead.channel,
    repId: routing.repId,
    reason: routing.reason,
    attempt: routing.attempt,
    ...(previousRepId && { previousRepId }),
    responseMinutes: routing.responseMinutes,
  });
};

/**
 * A lead turned hot or reported an emergency: it goes to a rep who must answer. The rep who has it
 * already keeps it (`keeperOf`); otherwise the suited reps on duty (`routingCandidates`) take turns
 * by weight (`RepRouting.pickRep`, decided once per message). The routing is stored on the lead
 * (replacing an earlier one, whose pending clock is stopped) and announced as `Lead Routed`, which
 * `notify` turns into the rep's alert. A retry finds its routing stored and announces it again.
 */
export const routeLead = async (scored: Scored, deps: RouteDeps): Promise<LeadRouting> => {
  const lead = await deps.store.getLead(scored.leadId);
  if (!lead) throw new PermanentError(`Lead ${scored.leadId} not found`);
  if (lead.routing?.messageId === scored.messageId) {
    await announceRouted(lead, lead.routing, deps);
    return lead.routing;
  }
  const now = deps.now();
  const { profile } = deps;
  const { reps, allOff } = routingCandidates(
    profile,
    { service: lead.known.service, location: lead.known.location },
    now,
  );
  const repId =
    keeperOf(lead, profile, now, allOff) ??
    (await deps.routing.pickRep(
      `${scored.messageId}#1`,
      reps.map((rep) => ({ repId: rep.id, weight: rep.weight })),
    ));
  const routing: LeadRouting = {
    messageId: scored.messageId,
    correlationId: scored.correlationId,
    reason: routingReason(lead, scored.emergency),
    repId,
    attempt: 1,
    tried: [repId],
    routedAt: now.toISOString(),
    startedAt: now.toISOString(),
    responseMinutes: responseMinutesFor(repNamed(profile, repId), profile),
  };
  let replaced: LeadRouting | undefined;
  const routed = await deps.store.modifyLead(lead.leadId, (current) => {
    replaced = current.routing;
    return current.routing?.messageId === scored.messageId ? null : { routing, assignedRepId: repId };
  });
  // The clock of the routing this one replaces stops: its rep has this alert to answer now.
  if (replaced?.timer && replaced.messageId !== scored.messageId && !replaced.acknowledgedAt) {
    await deps.timers.cancel(replaced.timer);
  }
  const stored = routed.routing ?? routing;
  await announceRouted(routed, stored, deps);
  return stored;
};

export type ReassignOutcome =
  | { status: 'reassigned'; routing: LeadRouting }
  | { status: 'unanswered'; routing: LeadRouting }
  | { status: 'stopped'; reason: NonNullable<LeadRouting['stopped']>['reason'] }
  | { status: 'stale'; reason: string };

/**
 * Why nobody need be asked about a lead any more, if so: a rep took the conversation over, or its
 * stage says it opted out, was won or lost, or booked a meeting since the routing began (a booked
 * lead who reports an emergency later still reaches a rep: the meeting must be newer than it).
 */
export const routingSettled = async (
  lead: Lead,
  routing: LeadRouting,
  store: Pick<LeadStore, 'getMeetings'>,
): Promise<NonNullable<LeadRouting['stopped']>['reason'] | undefined> => {
  if (lead.handedToRep || lead.stage === 'handed_to_rep') return 'handed_to_rep';
  if (lead.stage === 'opted_out' || lead.stage === 'won' || lead.stage === 'lost') return lead.stage;
  if (lead.stage !== 'booked') return undefined;
  const since = routing.startedAt ?? routing.routedAt;
  const meetings = await store.getMeetings(lead.leadId);
  return meetings.some((m) => !m.cancelled && m.bookedAt >= since) ? 'booked' : undefined;
};

/**
 * A rep's response time ran out (`Rep Response Due`). Unless they answered meanwhile, or the lead
 * needs nobody any more (`routingSettled`: taken over, booked since, opted out, won or lost; recorded
 * as `routing.stopped`, nobody is told), the lead goes to the next suited rep not asked yet, on duty first
 * and by turns (`routingCandidates` without the reps tried; decided once per attempt), and
 * `Rep Response Missed` tells the manager; when every suited rep was asked, the routing is marked
 * unanswered and the manager is told that. The step is stored before it is announced, so a retry
 * announces the same; a timer of an attempt that moved on finds nothing to do.
 */
export const reassignUnanswered = async (due: Due, deps: RouteDeps): Promise<ReassignOutcome> => {
  const lead = await deps.store.getLead(due.leadId);
  const current = lead?.routing;
  if (!lead || !current || current.messageId !== due.messageId) {
    return { status: 'stale', reason: 'the lead was routed again since' };
  }
  const isThisAttempt = current.attempt === due.attempt && current.repId === due.repId;
  const movedOnByThis =
    (current.attempt === due.attempt + 1 && current.tried[due.attempt - 1] === due.repId) ||
    (isThisAttempt && current.unanswered === true);
  if (!isThisAttempt && !movedOnByThis) return { status: 'stale', reason: 'a later attempt runs' };
  if (isThisAttempt && !current.unanswered && current.acknowledgedAt) {
    return { status: 'stale', reason: 'the rep answered' };
  }
  if (current.stopped) return { status: 'stopped', reason: current.stopped.reason };
  const settled =
    isThisAttempt && !current.unanswered ? await routingSettled(lead, current, deps.store) : undefined;
  if (settled) {
    // Recorded on the routing, so the lead's record says why nobody else was asked.
    const at = deps.now().toISOString();
    await deps.store.modifyLead(lead.leadId, (latest) => {
      const r = latest.routing;
      if (!r || r.messageId !== due.messageId || r.attempt !== due.attempt || r.stopped) return null;
      return { routing: { ...r, stopped: { reason: settled, at } } };
    });
    return { status: 'stopped', reason: settled };
  }

  let routing = current;
  if (isThisAttempt && !current.unanswered) {
    const now = deps.now();
    const { profile } = deps;
    const { reps } = routingCandidates(
      { ...profile, reps: profile.reps.filter((rep) => !current.tried.includes(rep.id)) },
      { service: lead.known.service, location: lead.known.location },
      now,
    );
    const nextRepId =
      reps.length > 0
        ? await deps.routing.pickRep(
            `${due.messageId}#${due.attempt + 1}`,
            reps.map((rep) => ({ repId: rep.id, weight: rep.weight })),
          )
        : undefined;
    const updated = await deps.store.modifyLead(lead.leadId, (latest) => {
      const r = latest.routing;
      if (!r || r.messageId !== due.messageId || r.attempt !== due.attempt || r.unanswered) return null;
      if (r.acknowledgedAt || r.stopped || latest.handedToRep) return null;
      if (!nextRepId) return { routing: { ...r, unanswered: true } };
      const next: LeadRouting = {
        messageId: r.messageId,
        correlationId: r.correlationId,
        reason: r.reason,
        repId: nextRepId,
        attempt: r.attempt + 1,
        tried: [...r.tried, nextRepId],
        routedAt: now.toISOString(),
        startedAt: r.startedAt ?? r.routedAt,
        responseMinutes: responseMinutesFor(repNamed(profile, nextRepId), profile),
      };
      return { routing: next, assignedRepId: nextRepId };
    });
    if (!updated.routing) return { status: 'stale', reason: 'the routing is gone' };
    routing = updated.routing;
  }
  if (
    routing.messageId !== due.messageId ||
    routing.attempt > due.attempt + 1 ||
    (routing.attempt === due.attempt && !routing.unanswered)
  ) {
    return { status: 'stale', reason: 'the rep answered, or the lead moved on' };
  }

  const nextRepId = routing.attempt === due.attempt + 1 ? routing.repId : undefined;
  await deps.publisher.publish(RepResponseMissed, {
    version: 1,
    leadId: lead.leadId,
    correlationId: routing.correlationId,
    messageId: routing.messageId,
    attempt: due.attempt,
    repId: due.repId,
    reason: routing.reason,
    ...(nextRepId && { nextRepId }),
    responseMinutes: deps.profile.routing.responseMinutes,
  });
  if (!nextRepId) return { status: 'unanswered', routing };
  await announceRouted(lead, routing, deps);
  return { status: 'reassigned', routing };
};
