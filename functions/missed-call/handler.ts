import { CallMissed } from '#events/catalog.ts';
import { MetricName } from '#shared/lambda/observability.ts';
import { createConsumerHandler } from '#shared/lambda/sqs-consumer.ts';
import { eventPublisher } from '#shared/wiring/core.ts';
import { leadMessenger } from '#shared/wiring/messaging.ts';
import { businessProfile, leadStore } from '#shared/wiring/pipeline.ts';
import { textBackMissedCall } from './text-back.ts';

// Read and checked when the function loads: a bad profile fails at once, not on the first call.
const profile = businessProfile();

export const handler = createConsumerHandler({
  name: 'missed-call',
  accepts: [CallMissed],
  onInvoke: (context) => leadMessenger().registerLambdaContext(context),
  process: async ({ detail }, { logger, metrics }) => {
    const { textBack } = await textBackMissedCall(detail, {
      store: leadStore(),
      messenger: leadMessenger(),
      publisher: eventPublisher(),
      profile,
    });
    metrics.addMetric(MetricName.MissedCalls, 'Count', 1);
    if (textBack === 'repeat') {
      logger.info('Missed call again: the caller was texted back within the window, nothing sent', {
        textBack,
      });
      return;
    }
    if (textBack === 'sent') metrics.addMetric(MetricName.MissedCallsTextedBack, 'Count', 1);
    logger.info('Missed call handled', { textBack });
  },
});
