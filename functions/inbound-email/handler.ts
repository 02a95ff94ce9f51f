import { IdempotencyAlreadyInProgressError } from '@aws-lambda-powertools/idempotency';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { s3Client } from '#shared/adapters/aws/clients.ts';
import { S3BlobStore } from '#shared/adapters/aws/s3-blob-store.ts';
import { basicAuthPair, readEnv } from '#shared/config/env.ts';
import { createInboundPublisher } from '#shared/inbound/publish-inbound.ts';
import { rejectionResponse, textResponse } from '#shared/lambda/http.ts';
import { createObservability, MetricName } from '#shared/lambda/observability.ts';
import { eventPublisher, newIdempotencyStore } from '#shared/wiring.ts';
import { receiveEmail } from './receive-email.ts';

const { logger, metrics } = createObservability('inbound-email');
const settings = readEnv({
  INBOUND_EMAIL_BASIC_AUTH: basicAuthPair,
  SENDGRID_INBOUND_PUBLIC_KEY: z.string().min(1).optional(),
  RAW_BUCKET_NAME: z.string().min(3),
  /** API Gateway and Lambda cap a request at 6 MB (FACTS.md). */
  INBOUND_EMAIL_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(6 * 1024 * 1024),
});
const blobStore = new S3BlobStore(s3Client(), settings.RAW_BUCKET_NAME);
const inboundPublisher = createInboundPublisher({
  publisher: eventPublisher(),
  persistenceStore: newIdempotencyStore(),
  keyPrefix: 'inbound-email',
});

const receive = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  try {
    const outcome = await receiveEmail(event, {
      basicAuth: settings.INBOUND_EMAIL_BASIC_AUTH,
      ...(settings.SENDGRID_INBOUND_PUBLIC_KEY && {
        signaturePublicKey: settings.SENDGRID_INBOUND_PUBLIC_KEY,
      }),
      maxBytes: settings.INBOUND_EMAIL_MAX_BYTES,
      blobStore,
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
      metrics.addMetric(MetricName.DuplicateWebhooks, 'Count', 1);
    } else {
      return rejectionResponse(error, logger, () =>
        metrics.addMetric(MetricName.WebhookRejected, 'Count', 1),
      );
    }
  }
  return textResponse(200, 'OK\n');
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics, { throwOnEmptyMetrics: false }))
  .before((request) => inboundPublisher.registerLambdaContext(request.context))
  .handler(receive);
