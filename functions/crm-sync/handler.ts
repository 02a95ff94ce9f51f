import {
  ConversationStageChanged,
  LeadOptedOut,
  LeadScored,
  MeetingBooked,
  MeetingCancelled,
  ReplySent,
} from '#events/catalog.ts';
import { MetricName } from '#shared/lambda/observability.ts';
import { createConsumerHandler } from '#shared/lambda/sqs-consumer.ts';
import { eventPublisher } from '#shared/wiring/core.ts';
import { crm } from '#shared/wiring/crm.ts';
import { leadStore } from '#shared/wiring/pipeline.ts';
import { syncLead } from './sync-lead.ts';

export const handler = createConsumerHandler({
  name: 'crm-sync',
  accepts: [LeadScored, ReplySent, MeetingBooked, MeetingCancelled, LeadOptedOut, ConversationStageChanged],
  // The CRM write is an upsert on the lead's id (sandbox conditional create, Salesforce external
  // id, HubSpot unique property): a redelivery syncs the same record again.
  dedupe: 'own-writes',
  process: async (event, { logger, metrics }) => {
    try {
      const result = await syncLead(event, { store: leadStore(), crm: crm(), publisher: eventPublisher() });
      if ('skipped' in result) {
        logger.info('Not synced to CRM', { reason: result.skipped, trigger: event.detailType });
        return;
      }
      metrics.addMetric(MetricName.CrmSyncs, 'Count', 1);
      logger.info('Lead synced to CRM', {
        crm: crm().provider,
        crmId: result.crmId,
        created: result.created,
      });
    } catch (error) {
      metrics.addMetric(MetricName.CrmSyncFailures, 'Count', 1);
      throw error;
    }
  },
});
