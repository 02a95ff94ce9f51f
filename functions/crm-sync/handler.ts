import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { LeadOptedOut, LeadScored, MeetingBooked, ReplySent } from '#events/catalog.ts';
import { createObservability, MetricName } from '#shared/lambda/observability.ts';
import { createSqsConsumer } from '#shared/lambda/sqs-consumer.ts';
import { crm, eventPublisher, leadStore, newIdempotencyStore } from '#shared/wiring.ts';
import { syncLead } from './sync-lead.ts';

const { logger, metrics } = createObservability('crm-sync');

const consume = createSqsConsumer({
  name: 'crm-sync',
  accepts: [LeadScored, ReplySent, MeetingBooked, LeadOptedOut],
  logger,
  persistenceStore: newIdempotencyStore(),
  process: async (event) => {
    try {
      const result = await syncLead(event, { store: leadStore(), crm: crm(), publisher: eventPublisher() });
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

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { throwOnEmptyMetrics: false }))
  .handler(consume);
