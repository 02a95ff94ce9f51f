import type * as z from 'zod';
import { type RepNotified, RepResponseDue } from '#events/catalog.ts';
import type { LeadRouting } from '#shared/ports/lead-store.ts';
import { timerName } from '#shared/ports/timers.ts';
import type { RouteDeps } from './route-lead.ts';

type Notified = z.infer<(typeof RepNotified)['schema']>;

/** The response clock of a routing's attempt: one timer per (lead, routing, attempt). */
export const responseTimer = (leadId: string, routing: Pick<LeadRouting, 'messageId' | 'attempt'>) =>
  timerName('rr', leadId, routing.messageId, routing.attempt);

/**
 * The rep's alert about a routed lead went out (`Rep Notified`: at once, or when a held text was
 * sent in the rep's hours): their response clock starts now. It runs for `responseMinutes` (none
 * when 0: no way to answer by text, or the business turned it off) as a timer that publishes
 * `Rep Response Due`. Only the current attempt's rep starts it, once.
 */
export const startResponseClock = async (
  notified: Notified,
  deps: Pick<RouteDeps, 'store' | 'timers' | 'now'>,
): Promise<{ respondBy: string } | { status: 'no-clock'; reason: string }> => {
  const matches = (r: LeadRouting | undefined): r is LeadRouting =>
    r !== undefined &&
    r.correlationId === notified.correlationId &&
    r.repId === notified.repId &&
    r.responseMinutes > 0 &&
    !r.acknowledgedAt &&
    !r.unanswered;
  const lead = await deps.store.getLead(notified.leadId);
  if (!lead || !matches(lead.routing) || lead.handedToRep) {
    return { status: 'no-clock', reason: 'no routing waits for this rep' };
  }
  const now = deps.now();
  const updated = await deps.store.modifyLead(lead.leadId, (current) => {
    const r = current.routing;
    if (!matches(r) || r.notifiedAt) return null;
    const respondBy = new Date(now.getTime() + r.responseMinutes * 60_000).toISOString();
    return {
      routing: { ...r, notifiedAt: now.toISOString(), respondBy, timer: responseTimer(current.leadId, r) },
    };
  });
  const routing = updated.routing;
  if (!matches(routing) || !routing.respondBy || !routing.timer) {
    return { status: 'no-clock', reason: 'the rep answered meanwhile' };
  }
  // A retry after a crash here sets the same timer (same name: the first is kept).
  await deps.timers.set({
    name: routing.timer,
    at: new Date(routing.respondBy),
    event: RepResponseDue,
    detail: {
      version: 1,
      leadId: updated.leadId,
      correlationId: routing.correlationId,
      messageId: routing.messageId,
      attempt: routing.attempt,
      repId: routing.repId,
    },
  });
  return { respondBy: routing.respondBy };
};
