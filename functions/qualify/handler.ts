import { LeadMessageReceived } from '#events/catalog.ts';
import { createQualifier } from '#shared/adapters/qualifier/index.ts';
import { createObservability, MetricName } from '#shared/lambda/observability.ts';
import { createConsumerHandler } from '#shared/lambda/sqs-consumer.ts';
import { eventPublisher, once } from '#shared/wiring/core.ts';
import { businessProfile, leadStore, openAiSettings } from '#shared/wiring/pipeline.ts';
import { qualifyMessage } from './qualify-message.ts';

// Read and checked when the function loads: a bad profile fails at once, not on the first lead.
const profile = businessProfile();

const observability = createObservability('qualify');
// Built on first use: in the cloud the OpenAI key arrives with the provider secrets.
const qualifier = once(() => {
  const settings = openAiSettings();
  return createQualifier(
    {
      ...(settings.OPENAI_API_KEY && { openAiApiKey: settings.OPENAI_API_KEY }),
      ...(settings.OPENAI_BASE_URL && { openAiBaseUrl: settings.OPENAI_BASE_URL }),
      model: settings.OPENAI_MODEL,
      timeoutMs: settings.OPENAI_TIMEOUT_MS,
      maxRetries: settings.OPENAI_MAX_RETRIES,
    },
    observability.logger,
  );
});

export const handler = createConsumerHandler({
  name: 'qualify',
  accepts: [LeadMessageReceived],
  // The reading is stored on the message once (a conditional write), with what was announced: a
  // redelivery announces the same again and reads nothing anew (`qualify-message.ts`).
  dedupe: 'own-writes',
  observability,
  process: async ({ detail }, { logger, metrics }) => {
    const outcome = await qualifyMessage(detail, {
      store: leadStore(),
      qualifier: qualifier(),
      publisher: eventPublisher(),
      profile,
    });
    if (outcome.repeated) {
      logger.info('Message read before: its announcement repeated', { intent: outcome.intent });
      return;
    }
    metrics.addMetric(
      outcome.qualifiedBy === 'openai' ? MetricName.QualifiedByLlm : MetricName.QualifiedByRules,
      'Count',
      1,
    );
    if (outcome.isNewLead) metrics.addMetric(MetricName.LeadsReceived, 'Count', 1);
    if (outcome.recoversMissedCall) metrics.addMetric(MetricName.MissedCallsRecovered, 'Count', 1);
    if (outcome.intent === 'opt_out') metrics.addMetric(MetricName.OptOuts, 'Count', 1);
    logger.info('Message qualified', { intent: outcome.intent, qualifiedBy: outcome.qualifiedBy });
  },
});
