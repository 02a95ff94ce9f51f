import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { textResponse } from '#shared/lambda/http.ts';
import { MetricName } from '#shared/lambda/observability.ts';
import { eventPublisher } from '#shared/wiring/core.ts';
import { inboundAcceptance } from '#shared/wiring/inbound.ts';
import { createCallbackHandler } from './callback-handler.ts';
import {
  createInboundPublisher,
  InboundInProgressError,
  type InboundMessage,
  type InboundPublisher,
  type PublishOutcome,
} from './publish-inbound.ts';

/**
 * The Lambda around an inbound-message webhook: the callback handler's middleware and refusal
 * mapping (`callback-handler.ts`), plus accepting once per provider message id
 * (`publish-inbound.ts`). A refusal answers its status and reason; a repeat of an accepted
 * message answers like a first delivery, so the provider stops retrying; a repeat while another
 * request is still accepting it answers 503 with Retry-After, which SendGrid retries, and Twilio
 * too when the webhook URL carries connection overrides (README, "Webhooks").
 */
export const createWebhookHandler = (options: {
  name: string;
  receive: (
    event: APIGatewayProxyEventV2,
    deps: {
      publishInbound: (message: InboundMessage) => Promise<PublishOutcome>;
      publishOnce: InboundPublisher['publishOnce'];
      logger: Logger;
    },
  ) => Promise<PublishOutcome | { nothingPublished: APIGatewayProxyStructuredResultV2 }>;
  /** The answer to a request that was accepted; a receive may pick its own (`response`). */
  accepted: APIGatewayProxyStructuredResultV2;
}) => {
  const inboundPublisher = createInboundPublisher({
    publisher: eventPublisher(),
    acceptance: inboundAcceptance(),
  });

  return createCallbackHandler({
    name: options.name,
    receive: async (event, { logger, metrics }) => {
      try {
        const outcome = await options.receive(event, {
          publishInbound: inboundPublisher.publish,
          publishOnce: inboundPublisher.publishOnce,
          logger,
        });
        // A request that carries nothing to publish (a call that was answered) is answered as it says.
        if ('nothingPublished' in outcome) return outcome.nothingPublished;
        metrics.addMetric(
          outcome.duplicate ? MetricName.DuplicateWebhooks : MetricName.InboundMessages,
          'Count',
          1,
        );
        if (outcome.consent === 'opt_out') metrics.addMetric(MetricName.OptOuts, 'Count', 1);
        return outcome.response;
      } catch (error) {
        if (!(error instanceof InboundInProgressError)) throw error;
        metrics.addMetric(MetricName.DuplicateWebhooks, 'Count', 1);
        logger.info('Repeat of a message still being accepted: asked to retry', {
          retryAfterSeconds: error.retryAfterSeconds,
        });
        return textResponse(503, `${error.message}\n`, undefined, {
          'retry-after': String(error.retryAfterSeconds),
        });
      }
    },
    accepted: options.accepted,
  }).before((request) => inboundPublisher.registerLambdaContext(request.context));
};
