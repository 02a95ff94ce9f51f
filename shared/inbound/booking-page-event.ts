import { createHash } from 'node:crypto';
import type * as z from 'zod';
import type { BookingPageEventReceived } from '#events/catalog.ts';
import { leadIdForContact, normaliseEmail, normalisePhone } from '#shared/domain/contact.ts';
import { WebhookRejection } from '#shared/lambda/http.ts';

export type BookingPageEvent = z.input<(typeof BookingPageEventReceived)['schema']>;

const LEAD_ID = /^ld_[0-9a-f]{20}$/;

/**
 * The `Booking Page Event Received` detail for a booking-page webhook: its id from the provider's
 * own ids (so a retried delivery is the same fact, deduplicated by the consumer), and the lead it
 * is about: the id the link carried, else the invitee's phone, else their email.
 * @throws WebhookRejection (422) when nothing names a lead
 */
export const bookingPageEvent = (fields: {
  provider: 'calendly' | 'cal.com';
  /** The provider's name for what happened and the booking it happened to: the delivery's identity. */
  providerEvent: string;
  action: BookingPageEvent['action'];
  bookingId: string;
  previousBookingId?: string | undefined;
  start: string;
  end: string;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  name?: string | null | undefined;
  linkedLeadId?: string | null | undefined;
}): BookingPageEvent => {
  const phone = fields.phone ? (normalisePhone(fields.phone) ?? undefined) : undefined;
  const email = fields.email ? (normaliseEmail(fields.email) ?? undefined) : undefined;
  const linked = fields.linkedLeadId && LEAD_ID.test(fields.linkedLeadId) ? fields.linkedLeadId : undefined;
  const contact = phone ?? email;
  const leadId = linked ?? (contact ? leadIdForContact(contact) : undefined);
  if (!leadId) throw new WebhookRejection(422, 'The booking names no lead: no lead id, phone or email in it');
  const id = createHash('sha256')
    .update(`${fields.providerEvent}\n${fields.bookingId}`)
    .digest('hex')
    .slice(0, 24);
  const messageId = `${fields.provider === 'cal.com' ? 'calcom' : 'calendly'}-${id}`;
  return {
    version: 1,
    leadId,
    correlationId: messageId,
    messageId,
    provider: fields.provider,
    action: fields.action,
    bookingId: fields.bookingId,
    ...(fields.previousBookingId && { previousBookingId: fields.previousBookingId }),
    start: fields.start,
    end: fields.end,
    ...(email && { email }),
    ...(phone && { phone }),
    ...(fields.name && { name: fields.name.slice(0, 200) }),
    ...(linked && { linkedLeadId: linked }),
  };
};
