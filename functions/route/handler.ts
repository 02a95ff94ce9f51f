import { LeadScored, RepMessageReceived, RepNotified, RepResponseDue } from '#events/catalog.ts';
import { now } from '#shared/clock.ts';
import { MetricName } from '#shared/lambda/observability.ts';
import { createConsumerHandler } from '#shared/lambda/sqs-consumer.ts';
import { eventPublisher } from '#shared/wiring/core.ts';
import { businessProfile, leadStore } from '#shared/wiring/pipeline.ts';
import { repRouting } from '#shared/wiring/routing.ts';
import { timers } from '#shared/wiring/timers.ts';
import { handleRepMessage } from './rep-reply.ts';
import { startResponseClock } from './response-clock.ts';
import { reassignUnanswered, routeLead } from './route-lead.ts';

// Read and checked when the function loads: a bad profile fails at once, not on the first lead.
const profile = businessProfile();

export const handler = createConsumerHandler({
  name: 'route',
  accepts: [LeadScored, RepNotified, RepResponseDue, RepMessageReceived],
  process: async (event, { logger, metrics }) => {
    const deps = {
      store: leadStore(),
      routing: repRouting(),
      timers: timers(),
      publisher: eventPublisher(),
      profile,
      now,
    };
    switch (event.detailType) {
      case 'Lead Scored': {
        const routing = await routeLead(event.detail, deps);
        logger.info('Lead routed', {
          repId: routing.repId,
          reason: routing.reason,
          attempt: routing.attempt,
        });
        return;
      }
      case 'Rep Notified': {
        const clock = await startResponseClock(event.detail, deps);
        logger.info('Response clock', { repId: event.detail.repId, ...clock });
        return;
      }
      case 'Rep Response Due': {
        const outcome = await reassignUnanswered(event.detail, deps);
        if (outcome.status === 'reassigned') metrics.addMetric(MetricName.RepReassignments, 'Count', 1);
        if (outcome.status === 'unanswered') metrics.addMetric(MetricName.HotLeadsUnanswered, 'Count', 1);
        logger.info('Response time ran out', {
          repId: event.detail.repId,
          status: outcome.status,
          ...('routing' in outcome ? { nextRepId: outcome.routing.repId } : { reason: outcome.reason }),
        });
        return;
      }
      case 'Rep Message Received': {
        const outcome = await handleRepMessage(event.detail, deps);
        if ('responseMs' in outcome && outcome.responseMs !== undefined) {
          metrics.addMetric(MetricName.RepResponseMs, 'Milliseconds', outcome.responseMs);
        }
        logger.info('Rep answered', { repId: event.detail.repId, command: event.detail.command, ...outcome });
        return;
      }
    }
  },
});
