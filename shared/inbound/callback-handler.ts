import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { rejectionResponse } from '#shared/lambda/http.ts';
import { createObservability, MetricName, observabilityMiddleware } from '#shared/lambda/observability.ts';

/**
 * The Lambda around every provider webhook: provider secrets, Powertools logging and metrics, and
 * the one mapping of refusals to answers (a status and its reason). Status callbacks use it as
 * is; inbound messages add once-per-message publishing (`webhook-handler.ts`).
 */
export const createCallbackHandler = (options: {
  name: string;
  /** Resolves with nothing to answer `accepted`, or with an answer of its own. */
  receive: (
    event: APIGatewayProxyEventV2,
    deps: { logger: Logger; metrics: Metrics },
  ) => Promise<APIGatewayProxyStructuredResultV2 | undefined>;
  accepted: APIGatewayProxyStructuredResultV2;
}) => {
  const { logger, metrics } = createObservability(options.name);

  const receive = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    try {
      return (await options.receive(event, { logger, metrics })) ?? options.accepted;
    } catch (error) {
      return rejectionResponse(error, logger, () =>
        metrics.addMetric(MetricName.WebhookRejected, 'Count', 1),
      );
    }
  };

  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(observabilityMiddleware({ logger, metrics }))
    .handler(receive);
};
