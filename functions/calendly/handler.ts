import { requireBookingPageSecret } from '#shared/inbound/booking-page-settings.ts';
import { createCallbackHandler } from '#shared/inbound/callback-handler.ts';
import { requireMediaType, requireMethod, textResponse } from '#shared/lambda/http.ts';
import { MetricName } from '#shared/lambda/observability.ts';
import { eventPublisher } from '#shared/wiring/core.ts';
import { receiveCalendly } from './receive-calendly.ts';

// A secret: in the cloud it arrives with the provider secrets, just before the first invocation.
// Without it the webhook is off: every request is refused (503) and the log says what to set;
// a malformed one is refused the same way, the log naming the setting and its rule.
export const handler = createCallbackHandler({
  name: 'calendly',
  receive: async (event, { logger, metrics }) => {
    // The request is checked as far as it can be without the secret first (method, media type).
    requireMethod(event, 'POST');
    requireMediaType(event, 'application/json');
    const key = requireBookingPageSecret('CALENDLY_WEBHOOK_SIGNING_KEY', logger);
    const outcome = await receiveCalendly(event, { signingKey: key, publisher: eventPublisher() });
    if (outcome === 'published') metrics.addMetric(MetricName.BookingPageEvents, 'Count', 1);
    logger.info('Booking page webhook', { outcome });
    return undefined;
  },
  accepted: textResponse(200, 'ok\n'),
});
