import { IdempotencyAlreadyInProgressError } from '@aws-lambda-powertools/idempotency';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { rejectionResponse } from '#shared/lambda/http.ts';
import { createObservability, MetricName } from '#shared/lambda/observability.ts';
import { providerSecrets } from '#shared/lambda/provider-secrets.ts';
import { eventPublisher, newIdempotencyStore } from '#shared/wiring/core.ts';
import { createInboundPublisher, type InboundMessage, type PublishOutcome } from './publish-inbound.ts';

/**
 * The Lambda around a webhook's use case: Powertools logging and metrics, publishing once per
 * provider message id, and the one mapping of outcomes to answers. A refusal answers its status
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
  const { logger, metrics } = createObservability(options.name);
  const inboundPublisher = createInboundPublisher({
    publisher: eventPublisher(),
    persistenceStore: newIdempotencyStore(),
    keyPrefix: options.name,
  });

  const receive = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      const outcome = await options.receive(event, { publishInbound: inboundPublisher.publish, logger });
      metrics.addMetric(
        outcome.duplicate ? MetricName.DuplicateWebhooks : MetricName.InboundMessages,
        'Count',
        1,
      );
    } catch (error) {
      if (!(error instanceof IdempotencyAlreadyInProgressError)) {
        return rejectionResponse(error, logger, () =>
          metrics.addMetric(MetricName.WebhookRejected, 'Count', 1),
        );
      }
      metrics.addMetric(MetricName.DuplicateWebhooks, 'Count', 1);
    }
    return options.accepted;
  };

  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(providerSecrets())
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics, { throwOnEmptyMetrics: false }))
    .before((request) => inboundPublisher.registerLambdaContext(request.context))
    .handler(receive);
};
