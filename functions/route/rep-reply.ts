import type * as z from 'zod';
import { MeetingNoShowReported, type RepMessageReceived, RepResponded } from '#events/catalog.ts';
import type { Lead, LeadChanges, Meeting } from '#shared/ports/lead-store.ts';
import type { RouteDeps } from './route-lead.ts';

type RepMessage = z.infer<(typeof RepMessageReceived)['schema']>;

export type RepReplyOutcome =
  | { response: 'acknowledged' | 'took-over' | 'late'; responseMs?: number }
  | { response: 'no-show'; meetingId: string }
  | { response: 'nothing'; reason: string };

/** Milliseconds from the rep's alert to their answer, when a clock ran. */
const responseTime = (lead: Lead, at: string): number | undefined => {
  const from = lead.routing?.notifiedAt;
  return from ? Math.max(0, Date.parse(at) - Date.parse(from)) : undefined;
};

/**
 * What a rep's text does (`Rep Message Received`, matched to the lead by the webhook):
 * - acknowledge: the lead is the rep's; the response clock stops (`Rep Responded` with the
 *   response time). From a rep the lead went past already: recorded as late, nothing changes;
 * - take-over: the rep writes to the lead from now on (`handedToRep`: the messenger sends the lead
 *   nothing automatic but consent answers, the conversation's stage becomes handed to a rep), the
 *   lead is theirs and any clock stops: a lead routed to another rep is stopped there
 *   (`routing.stopped`) and `Rep Responded` names that rep (`releasedRepId`), whom notify tells;
 * - once a rep has the conversation, another rep's OK or TAKE changes nothing (one owner at a time);
 * - no-show: the lead's latest meeting that has started is marked a no-show
 *   (`Meeting No-Show Reported`: the message after the meeting offers a new time).
 * Each writes the lead first and announces after, so a retry announces the same.
 */
export const handleRepMessage = async (message: RepMessage, deps: RouteDeps): Promise<RepReplyOutcome> => {
  const lead = await deps.store.getLead(message.leadId);
  if (!lead) return { response: 'nothing', reason: 'the lead is gone' };
  if (message.command === 'no-show') return markNoShow(lead, message, deps);

  const takeOver = message.command === 'take-over';
  const ownedByOther = (current: Lead) =>
    current.handedToRep !== undefined && current.handedToRep.repId !== message.repId;
  const updated = await deps.store.modifyLead(lead.leadId, (current) => {
    // One owner at a time: once a rep has the conversation, another rep's OK or TAKE changes nothing.
    if (ownedByOther(current)) return null;
    const changes: LeadChanges = {};
    const r = current.routing;
    if (r && r.repId === message.repId && !r.acknowledgedAt && !r.unanswered && !r.stopped) {
      changes.routing = { ...r, acknowledgedAt: message.receivedAt };
    } else if (takeOver && r && !r.acknowledgedAt && !r.unanswered && !r.stopped) {
      // A takeover of a lead routed to another rep stops that rep's clock: nobody else is asked.
      changes.routing = { ...r, stopped: { reason: 'handed_to_rep', at: message.receivedAt } };
    }
    if (takeOver && current.handedToRep?.messageId !== message.messageId) {
      changes.handedToRep = { repId: message.repId, at: message.receivedAt, messageId: message.messageId };
      changes.assignedRepId = message.repId;
    }
    return Object.keys(changes).length > 0 ? changes : null;
  });
  if (ownedByOther(updated)) {
    return { response: 'nothing', reason: `the conversation is with ${updated.handedToRep?.repId}` };
  }
  const routing = updated.routing;
  const answeredRouting =
    routing?.repId === message.repId && routing.acknowledgedAt === message.receivedAt ? routing : undefined;
  const stoppedByThis =
    takeOver && routing?.stopped?.reason === 'handed_to_rep' && routing.stopped.at === message.receivedAt
      ? routing
      : undefined;
  const clock = (answeredRouting ?? stoppedByThis)?.timer;
  if (clock) await deps.timers.cancel(clock);

  let response: 'acknowledged' | 'took-over' | 'late';
  if (takeOver) response = 'took-over';
  else if (answeredRouting) response = 'acknowledged';
  else if (routing?.tried.includes(message.repId) && routing.repId !== message.repId) response = 'late';
  else {
    return {
      response: 'nothing',
      reason:
        routing?.repId === message.repId
          ? 'acknowledged already'
          : 'no routing of this lead waits for the rep',
    };
  }
  const responseMs = answeredRouting ? responseTime(updated, message.receivedAt) : undefined;
  // The rep the lead was routed to until this takeover is told it is taken (notify).
  const releasedRepId =
    stoppedByThis && stoppedByThis.repId !== message.repId ? stoppedByThis.repId : undefined;
  await deps.publisher.publish(RepResponded, {
    version: 1,
    leadId: lead.leadId,
    correlationId: message.correlationId,
    messageId: message.messageId,
    repId: message.repId,
    response,
    ...(responseMs !== undefined && { responseMs }),
    ...(releasedRepId && { releasedRepId }),
  });
  return { response, ...(responseMs !== undefined && { responseMs }) };
};

/** The lead's latest meeting that has started by `at` and was not cancelled. */
const meetingJustHeld = (meetings: readonly Meeting[], at: string): Meeting | undefined =>
  meetings.filter((m) => !m.cancelled && m.start <= at).sort((a, b) => b.start.localeCompare(a.start))[0];

const markNoShow = async (lead: Lead, message: RepMessage, deps: RouteDeps): Promise<RepReplyOutcome> => {
  const meeting = meetingJustHeld(await deps.store.getMeetings(lead.leadId), message.receivedAt);
  if (!meeting) return { response: 'nothing', reason: 'the lead has no meeting that has started' };
  if (!meeting.noShow) await deps.store.markNoShow(meeting);
  await deps.publisher.publish(MeetingNoShowReported, {
    version: 1,
    leadId: lead.leadId,
    correlationId: message.correlationId,
    messageId: message.messageId,
    meetingId: meeting.meetingId,
    repId: message.repId,
  });
  return { response: 'no-show', meetingId: meeting.meetingId };
};
