import {
  ConversationStageChanged,
  LeadOptedOut,
  LeadScored,
  MeetingBooked,
  MeetingCancelled,
  ReplySent,
} from '#events/catalog.ts';
import { MetricName } from '#shared/lambda/observability.ts';
import { createBatchConsumerHandler } from '#shared/lambda/sqs-consumer.ts';
import { PermanentError } from '#shared/ports/errors.ts';
import { eventPublisher } from '#shared/wiring/core.ts';
import { crm } from '#shared/wiring/crm.ts';
import { leadStore } from '#shared/wiring/pipeline.ts';
import { byLead } from './by-lead.ts';
import { syncLead } from './sync-lead.ts';

/**
 * Keeps each lead's CRM record up to date. A sync writes the lead as it is now, whatever event
 * caused it, so the events of one lead in a batch (a lead scored, its reply sent and its stage
 * moved, seconds apart) need one CRM write, for the latest of them: a CRM API's rate limit is spent
 * on leads, not on events. The CRM write is an upsert on the lead's id (sandbox conditional create,
 * Salesforce external id, HubSpot unique property), so a redelivery syncs the same record again:
 * no idempotency record. A lead whose sync fails returns its events to the queue; the other leads'
 * are done.
 */
export const handler = createBatchConsumerHandler({
  name: 'crm-sync',
  accepts: [LeadScored, ReplySent, MeetingBooked, MeetingCancelled, LeadOptedOut, ConversationStageChanged],
  processBatch: async (events, { logger, metrics }) => {
    const failed: (typeof events)[number][] = [];
    for (const group of byLead(events)) {
      const latest = group.at(-1)!;
      try {
        const result = await syncLead(latest, {
          store: leadStore(),
          crm: crm(),
          publisher: eventPublisher(),
        });
        if ('skipped' in result) {
          logger.info('Not synced to CRM', { reason: result.skipped, trigger: latest.detailType });
          continue;
        }
        metrics.addMetric(MetricName.CrmSyncs, 'Count', 1);
        logger.info('Lead synced to CRM', {
          leadId: latest.detail.leadId,
          crm: crm().provider,
          crmId: result.crmId,
          created: result.created,
          events: group.length,
        });
      } catch (error) {
        if (error instanceof PermanentError) {
          logger.warn('Dropped events that cannot succeed', {
            leadId: latest.detail.leadId,
            events: group.length,
            reason: error.message,
          });
          continue;
        }
        metrics.addMetric(MetricName.CrmSyncFailures, 'Count', 1);
        logger.error('CRM sync failed; the lead’s events return to their queue', {
          leadId: latest.detail.leadId,
          error: error as Error,
        });
        failed.push(...group);
      }
    }
    return { failed };
  },
});
