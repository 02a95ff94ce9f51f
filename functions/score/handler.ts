import { LeadQualified } from '#events/catalog.ts';
import { MetricName } from '#shared/lambda/observability.ts';
import { createConsumerHandler } from '#shared/lambda/sqs-consumer.ts';
import { eventPublisher } from '#shared/wiring/core.ts';
import { businessProfile, leadStore } from '#shared/wiring/pipeline.ts';
import { scoreQualifiedLead } from './score-lead.ts';

// Read and checked when the function loads: a bad profile fails at once, not on the first lead.
const profile = businessProfile();

export const handler = createConsumerHandler({
  name: 'score',
  accepts: [LeadQualified],
  // The score is written with the message it was computed for (a conditional write on the lead's
  // version): a redelivery announces the same score again and writes nothing (`score-lead.ts`).
  dedupe: 'own-writes',
  process: async ({ detail }, { logger, metrics }) => {
    const scored = await scoreQualifiedLead(detail, {
      store: leadStore(),
      publisher: eventPublisher(),
      profile,
    });
    if (scored.repeated) {
      logger.info('Scored before: its score announced again', { score: scored.score });
      return;
    }
    metrics.addMetric(MetricName.LeadsScored, 'Count', 1);
    if (scored.grade === 'hot' && scored.previousGrade !== 'hot')
      metrics.addMetric(MetricName.HotLeads, 'Count', 1);
    logger.info('Lead scored', { score: scored.score, grade: scored.grade });
  },
});
