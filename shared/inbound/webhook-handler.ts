import { IdempotencyAlreadyInProgressError } from '@aws-lambda-powertools/idempotency';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { MetricName } from '#shared/lambda/observability.ts';
import { eventPublisher, newIdempotencyStore } from '#shared/wiring/core.ts';
import { createCallbackHandler } from './callback-handler.ts';
import { createInboundPublisher, type InboundMessage, type PublishOutcome } from './publish-inbound.ts';

/**
 * The Lambda around an inbound-message webhook: the callback handler's middleware and refusal
 * mapping (`callback-handler.ts`), plus publishing once per provider message id. A refusal answers its status
 * and reason; a repeat (or the same message being published right now by another invocation)
 * answers like a first delivery, so the provider stops retrying.
 */
export const createWebhookHandler = (options: {
  name: string;
  receive: (
    event: APIGatewayProxyEventV2,
    deps: { publishInbound: (message: InboundMessage) => Promise<PublishOutcome>; logger: Logger },
  ) => Promise<PublishOutcome>;
  accepted: APIGatewayProxyStructuredResultV2;
}) => {
  const inboundPublisher = createInboundPublisher({
    publisher: eventPublisher(),
    persistenceStore: newIdempotencyStore(),
    keyPrefix: options.name,
  });

  return createCallbackHandler({
    name: options.name,
    receive: async (event, { logger, metrics }) => {
      try {
        const outcome = await options.receive(event, { publishInbound: inboundPublisher.publish, logger });
        metrics.addMetric(
          outcome.duplicate ? MetricName.DuplicateWebhooks : MetricName.InboundMessages,
          'Count',
          1,
        );
      } catch (error) {
        if (!(error instanceof IdempotencyAlreadyInProgressError)) throw error;
        metrics.addMetric(MetricName.DuplicateWebhooks, 'Count', 1);
      }
    },
    accepted: options.accepted,
  }).before((request) => inboundPublisher.registerLambdaContext(request.context));
};
