import * as z from 'zod';
import { readEnv } from '#shared/config/env.ts';
import { isSmsDeliveryFailure } from '#shared/domain/sms-delivery.ts';
import { createCallbackHandler } from '#shared/inbound/callback-handler.ts';
import { MetricName } from '#shared/lambda/observability.ts';
import { once } from '#shared/wiring/core.ts';
import { leadStore } from '#shared/wiring/pipeline.ts';
import { recordStatus } from './record-status.ts';

const settings = readEnv({ PUBLIC_BASE_URL: z.url() });
// A secret: in the cloud it arrives with the provider secrets, just before the first invocation.
const authToken = once(() => readEnv({ TWILIO_AUTH_TOKEN: z.string().min(1) }).TWILIO_AUTH_TOKEN);

export const handler = createCallbackHandler({
  name: 'sms-status',
  receive: async (event, { logger, metrics }) => {
    const { outcome, status } = await recordStatus(event, {
      authToken: authToken(),
      publicBaseUrl: settings.PUBLIC_BASE_URL,
      store: leadStore(),
      logger,
    });
    metrics.addMetric(
      outcome === 'outdated' ? MetricName.DuplicateWebhooks : MetricName.TextStatusesRecorded,
      'Count',
      1,
    );
    if (outcome !== 'outdated' && status && isSmsDeliveryFailure(status)) {
      metrics.addMetric(MetricName.TextsUndelivered, 'Count', 1);
    }
    return undefined;
  },
  // Twilio reads nothing from the answer; 204 says it was taken.
  accepted: { statusCode: 204 },
});
