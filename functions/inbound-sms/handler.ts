import { IdempotencyAlreadyInProgressError } from '@aws-lambda-powertools/idempotency';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { readEnv } from '#shared/config/env.ts';
import { createInboundPublisher } from '#shared/inbound/publish-inbound.ts';
import { rejectionResponse, textResponse } from '#shared/lambda/http.ts';
import { createObservability, MetricName } from '#shared/lambda/observability.ts';
import { eventPublisher, newIdempotencyStore } from '#shared/wiring.ts';
import { EMPTY_TWIML } from './parse-twilio-sms.ts';
import { receiveSms } from './receive-sms.ts';

const { logger, metrics } = createObservability('inbound-sms');
const settings = readEnv({
  TWILIO_AUTH_TOKEN: z.string().min(1),
  PUBLIC_BASE_URL: z.url(),
});
const inboundPublisher = createInboundPublisher({
  publisher: eventPublisher(),
  persistenceStore: newIdempotencyStore(),
  keyPrefix: 'inbound-sms',
});

const receive = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  try {
    const outcome = await receiveSms(event, {
      authToken: settings.TWILIO_AUTH_TOKEN,
      publicBaseUrl: settings.PUBLIC_BASE_URL,
      publishInbound: inboundPublisher.publish,
      logger,
    });
    metrics.addMetric(
      outcome.duplicate ? MetricName.DuplicateWebhooks : MetricName.InboundMessages,
      'Count',
      1,
    );
  } catch (error) {
    if (error instanceof IdempotencyAlreadyInProgressError) {
      // The same MessageSid is being published right now by another invocation.
      metrics.addMetric(MetricName.DuplicateWebhooks, 'Count', 1);
    } else {
      return rejectionResponse(error, logger, () =>
        metrics.addMetric(MetricName.WebhookRejected, 'Count', 1),
      );
    }
  }
  return textResponse(200, EMPTY_TWIML, 'text/xml');
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { throwOnEmptyMetrics: false }))
  .before((request) => inboundPublisher.registerLambdaContext(request.context))
  .handler(receive);
