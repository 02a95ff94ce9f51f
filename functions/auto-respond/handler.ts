import {
  HelpRequested,
  LeadOptedIn,
  LeadOptedOut,
  LeadScored,
  MeetingBooked,
  MeetingCancelled,
  MeetingSlotsOffered,
} from '#events/catalog.ts';
import { lazyReplyDrafter } from '#shared/adapters/openai/lazy-reply-drafter.ts';
import { readReplyDraftingSettings } from '#shared/config/reply-drafting.ts';
import { createObservability, MetricName } from '#shared/lambda/observability.ts';
import { createConsumerHandler } from '#shared/lambda/sqs-consumer.ts';
import { eventPublisher, once } from '#shared/wiring/core.ts';
import { leadMessenger } from '#shared/wiring/messaging.ts';
import { businessProfile, leadStore, openAiSettings } from '#shared/wiring/pipeline.ts';
import { respond } from './respond.ts';

// Read and checked when the function loads: a bad profile fails at once, not on the first lead.
const profile = businessProfile();

const observability = createObservability('auto-respond');
// Built on first use: in the cloud the OpenAI key arrives with the provider secrets. Without a
// key (or with OPENAI_DRAFT_REPLIES=false) there is none, and every reply is a template.
const drafter = once(() => {
  const openai = openAiSettings();
  const drafting = readReplyDraftingSettings();
  return lazyReplyDrafter({
    openAiApiKey: openai.OPENAI_API_KEY,
    openAiBaseUrl: openai.OPENAI_BASE_URL,
    enabled: drafting.OPENAI_DRAFT_REPLIES,
    model: drafting.OPENAI_DRAFT_MODEL ?? openai.OPENAI_MODEL,
    timeoutMs: drafting.OPENAI_DRAFT_TIMEOUT_MS,
    maxRetries: drafting.OPENAI_DRAFT_MAX_RETRIES,
  });
});

export const handler = createConsumerHandler({
  name: 'auto-respond',
  accepts: [
    LeadScored,
    MeetingSlotsOffered,
    MeetingBooked,
    MeetingCancelled,
    LeadOptedOut,
    LeadOptedIn,
    HelpRequested,
  ],
  // One answer per inbound message is the messenger's claimed item (`out-<message id>`, a
  // conditional write before the provider is called): a redelivery finds it and reports it.
  dedupe: 'own-writes',
  observability,
  onInvoke: (context) => leadMessenger().registerLambdaContext(context),
  process: async (event, { logger, metrics }) => {
    const outcome = await respond(event, {
      store: leadStore(),
      messenger: leadMessenger(),
      publisher: eventPublisher(),
      profile,
      drafter: drafter(),
      logger,
    });
    if (outcome.repeated) {
      logger.info('Answered before: reported again', { trigger: event.detailType, status: outcome.status });
      return;
    }
    if (outcome.status === 'sent') {
      metrics.addMetric(MetricName.RepliesSent, 'Count', 1);
      // First message in to first reply out: the speed-to-lead the business is judged on.
      if (outcome.speedToLeadMs !== undefined) {
        metrics.addMetric(MetricName.SpeedToLeadMs, 'Milliseconds', outcome.speedToLeadMs);
      }
      // Any message in to its answer: how quickly the conversation keeps going.
      if (outcome.answeredAt) {
        metrics.addMetric(
          MetricName.ReplyLatencyMs,
          'Milliseconds',
          Date.parse(outcome.sentAt) - Date.parse(outcome.answeredAt),
        );
      }
    } else if (outcome.status === 'held') {
      metrics.addMetric(MetricName.RepliesHeld, 'Count', 1);
    } else if (outcome.status === 'unconfirmed') {
      metrics.addMetric(MetricName.RepliesUnconfirmed, 'Count', 1);
      logger.warn('Reply unconfirmed: interrupted where the provider cannot tell whether it went out');
    } else {
      metrics.addMetric(MetricName.RepliesSuppressed, 'Count', 1);
    }
    logger.info('Reply handled', {
      trigger: event.detailType,
      status: outcome.status,
      composedBy: outcome.composedBy,
    });
  },
});
