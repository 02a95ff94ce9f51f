import * as z from 'zod';
import { LeadMessageReceived } from '#events/catalog.ts';
import { s3Client } from '#shared/adapters/aws/clients.ts';
import { S3BlobStore } from '#shared/adapters/aws/s3-blob-store.ts';
import { readEnv } from '#shared/config/env.ts';
import { MetricName } from '#shared/lambda/observability.ts';
import { createConsumerHandler } from '#shared/lambda/sqs-consumer.ts';
import { smsMediaSource } from '#shared/wiring/messaging.ts';
import { leadStore } from '#shared/wiring/pipeline.ts';
import { archiveMedia } from './archive-media.ts';

const settings = readEnv({ RAW_BUCKET_NAME: z.string().min(3) });
const blobs = new S3BlobStore(s3Client(), settings.RAW_BUCKET_NAME);

export const handler = createConsumerHandler({
  name: 'archive-media',
  accepts: [LeadMessageReceived],
  process: async ({ detail }, { logger, metrics }) => {
    // Built on first use: in the cloud the Twilio credentials arrive with the provider secrets.
    const { archived, skipped } = await archiveMedia(detail, {
      store: leadStore(),
      blobs,
      source: smsMediaSource(),
      logger,
    });
    metrics.addMetric(MetricName.MediaArchived, 'Count', archived);
    metrics.addMetric(MetricName.MediaSkipped, 'Count', skipped);
  },
});
