import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { LeadQualified } from '#events/catalog.ts';
import { createObservability, MetricName } from '#shared/lambda/observability.ts';
import { createSqsConsumer } from '#shared/lambda/sqs-consumer.ts';
import { businessProfile, eventPublisher, leadStore, newIdempotencyStore } from '#shared/wiring.ts';
import { scoreQualifiedLead } from './score-lead.ts';

const { logger, metrics } = createObservability('score');

const consume = createSqsConsumer({
  name: 'score',
  accepts: [LeadQualified],
  logger,
  persistenceStore: newIdempotencyStore(),
  process: async ({ detail }) => {
    const scored = await scoreQualifiedLead(detail, {
      store: leadStore(),
      publisher: eventPublisher(),
      profile: businessProfile(),
    });
    metrics.addMetric(MetricName.LeadsScored, 'Count', 1);
    if (scored.grade === 'hot' && scored.previousGrade !== 'hot')
      metrics.addMetric(MetricName.HotLeads, 'Count', 1);
    logger.info('Lead scored', { score: scored.score, grade: scored.grade });
  },
});

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { throwOnEmptyMetrics: false }))
  .handler(consume);
