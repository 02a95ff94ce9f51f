import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { BookingPageEventReceived } from '#events/catalog.ts';
import { bookingPageEvent } from '#shared/inbound/booking-page-event.ts';
import { verifyCalendlySignature } from '#shared/inbound/booking-page-signature.ts';
import { header, rawBody, requireMediaType, requireMethod, WebhookRejection } from '#shared/lambda/http.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';

/** The fields Leadline reads from a Calendly invitee webhook; Calendly adds others. */
const CalendlyWebhook = z
  .object({
    event: z.string().min(1),
    payload: z
      .object({
        /** The invitee's URI: one booking of one person. */
        uri: z.string().min(1),
        email: z.string().nullish(),
        name: z.string().nullish(),
        text_reminder_number: z.string().nullish(),
        rescheduled: z.boolean().nullish(),
        tracking: z.object({ utm_content: z.string().nullish() }).loose().nullish(),
        scheduled_event: z.object({ start_time: z.string(), end_time: z.string() }).loose(),
      })
      .loose(),
  })
  .loose();

/**
 * A Calendly webhook (`invitee.created`, `invitee.canceled`), signed with the subscription's
 * signing key: verified, read, and published as `Booking Page Event Received`. A cancellation
 * that is half of a reschedule (`rescheduled: true`) releases the old time; the new booking comes
 * as its own `invitee.created`. Other events are acknowledged and ignored.
 * @throws WebhookRejection: 403 (no or a wrong signature), 401 (too old: a replay), 400 (unreadable)
 */
export const receiveCalendly = async (
  event: APIGatewayProxyEventV2,
  deps: { signingKey: string; publisher: EventPublisher },
): Promise<'published' | 'ignored'> => {
  requireMethod(event, 'POST');
  requireMediaType(event, 'application/json');
  const body = rawBody(event, 256 * 1024).toString('utf8');
  const check = verifyCalendlySignature({
    header: header(event, 'calendly-webhook-signature'),
    body,
    signingKey: deps.signingKey,
  });
  if (check === 'invalid') throw new WebhookRejection(403, 'Missing or invalid Calendly-Webhook-Signature');
  if (check === 'stale') throw new WebhookRejection(401, 'Calendly-Webhook-Signature is too old (a replay?)');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new WebhookRejection(400, 'The body is not JSON');
  }
  const parsed = CalendlyWebhook.safeParse(json);
  if (!parsed.success) {
    throw new WebhookRejection(
      400,
      `Not a Calendly invitee webhook: check ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  }
  const { event: name, payload } = parsed.data;
  if (name !== 'invitee.created' && name !== 'invitee.canceled') return 'ignored';
  await deps.publisher.publish(
    BookingPageEventReceived,
    bookingPageEvent({
      provider: 'calendly',
      providerEvent: name,
      action: name === 'invitee.created' ? 'booked' : 'cancelled',
      bookingId: payload.uri,
      start: payload.scheduled_event.start_time,
      end: payload.scheduled_event.end_time,
      email: payload.email,
      phone: payload.text_reminder_number,
      name: payload.name,
      linkedLeadId: payload.tracking?.utm_content,
    }),
  );
  return 'published';
};
