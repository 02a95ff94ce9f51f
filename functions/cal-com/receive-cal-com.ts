import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { BookingPageEventReceived } from '#events/catalog.ts';
import { bookingPageEvent } from '#shared/inbound/booking-page-event.ts';
import { verifyCalComSignature } from '#shared/inbound/booking-page-signature.ts';
import { header, rawBody, requireMediaType, requireMethod, WebhookRejection } from '#shared/lambda/http.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';

/** The fields Leadline reads from a Cal.com booking webhook; Cal.com adds many others. */
const CalComWebhook = z
  .object({
    triggerEvent: z.string().min(1),
    payload: z
      .object({
        uid: z.string().min(1).optional(),
        /** BOOKING_RESCHEDULED: the booking this one replaces. */
        rescheduleUid: z.string().nullish(),
        startTime: z.string().optional(),
        endTime: z.string().optional(),
        attendees: z
          .array(
            z
              .object({
                email: z.string().nullish(),
                name: z.string().nullish(),
                phoneNumber: z.string().nullish(),
              })
              .loose(),
          )
          .default([]),
        metadata: z.record(z.string(), z.unknown()).nullish(),
      })
      .loose(),
  })
  .loose();

const ACTIONS = {
  BOOKING_CREATED: 'booked',
  BOOKING_RESCHEDULED: 'rescheduled',
  BOOKING_CANCELLED: 'cancelled',
} as const;

/**
 * A Cal.com webhook (`BOOKING_CREATED`, `BOOKING_RESCHEDULED`, `BOOKING_CANCELLED`), signed with
 * the webhook's secret (`X-Cal-Signature-256`): verified, read, and published as `Booking Page
 * Event Received`. Other triggers (a `PING` test) are acknowledged and ignored.
 * @throws WebhookRejection: 403 (no or a wrong signature), 400 (unreadable, or a booking without its times)
 */
export const receiveCalCom = async (
  event: APIGatewayProxyEventV2,
  deps: { secret: string; publisher: EventPublisher },
): Promise<'published' | 'ignored'> => {
  requireMethod(event, 'POST');
  requireMediaType(event, 'application/json');
  const body = rawBody(event, 256 * 1024).toString('utf8');
  if (!verifyCalComSignature({ header: header(event, 'x-cal-signature-256'), body, secret: deps.secret })) {
    throw new WebhookRejection(403, 'Missing or invalid X-Cal-Signature-256');
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new WebhookRejection(400, 'The body is not JSON');
  }
  const parsed = CalComWebhook.safeParse(json);
  if (!parsed.success) {
    throw new WebhookRejection(
      400,
      `Not a Cal.com webhook: check ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  }
  const { triggerEvent, payload } = parsed.data;
  const action = ACTIONS[triggerEvent as keyof typeof ACTIONS];
  if (!action) return 'ignored';
  if (!payload.uid || !payload.startTime || !payload.endTime) {
    throw new WebhookRejection(400, `A ${triggerEvent} without uid, startTime and endTime`);
  }
  const attendee = payload.attendees[0];
  const linked = payload.metadata?.leadId;
  await deps.publisher.publish(
    BookingPageEventReceived,
    bookingPageEvent({
      provider: 'cal.com',
      providerEvent: triggerEvent,
      action,
      bookingId: payload.uid,
      previousBookingId: payload.rescheduleUid ?? undefined,
      start: payload.startTime,
      end: payload.endTime,
      email: attendee?.email,
      phone: attendee?.phoneNumber,
      name: attendee?.name,
      linkedLeadId: typeof linked === 'string' ? linked : undefined,
    }),
  );
  return 'published';
};
