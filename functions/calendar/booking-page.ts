import { createHash } from 'node:crypto';
import type * as z from 'zod';
import { type BookingPageEventReceived, MeetingBooked, MeetingCancelled } from '#events/catalog.ts';
import { now } from '#shared/clock.ts';
import { localTimeFor } from '#shared/compliance/local-time.ts';
import type { BusinessProfile } from '#shared/config/business-profile.ts';
import { assignRep } from '#shared/domain/assign-rep.ts';
import { leadIdForContact } from '#shared/domain/contact.ts';
import { PermanentError } from '#shared/ports/errors.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import type { Lead, LeadStore } from '#shared/ports/lead-store.ts';

type PageEvent = z.infer<(typeof BookingPageEventReceived)['schema']>;

/** One meeting per booking on the page, whatever delivers it. */
const meetingIdFor = (provider: string, bookingId: string) =>
  `${provider === 'cal.com' ? 'calcom' : provider}-${createHash('sha256').update(bookingId).digest('hex').slice(0, 20)}`;

/** The lead a booking is about: the one the link named, else the invitee's phone, else their email. */
const findLead = async (event: PageEvent, store: Pick<LeadStore, 'getLead'>): Promise<Lead | undefined> => {
  for (const leadId of [
    event.leadId,
    ...(event.phone ? [leadIdForContact(event.phone)] : []),
    ...(event.email ? [leadIdForContact(event.email)] : []),
  ]) {
    const lead = await store.getLead(leadId);
    if (lead) return lead;
  }
  return undefined;
};

/** The lead's `source` for a booking page. */
const SOURCE = { calendly: 'calendly', 'cal.com': 'cal-com' } as const;

/**
 * A lead for someone who booked on the page without ever writing to the business (straight from
 * the website): keyed by their phone if they gave one, else their email, named as they wrote it.
 * Their channel is email whenever an email is known: they never texted the business, and FACTS.md
 * holds no rule that lets a business text a person who only typed a number into a booking form,
 * so what Leadline starts (reminders, the message after the meeting) goes by email; with a phone
 * only, the lead is SMS but nothing automatic is texted until they text the business
 * (`conversation/reminder.ts`). Undefined when the booking names no phone or email.
 */
const leadFromBooking = (event: PageEvent, profile: BusinessProfile): Lead | undefined => {
  const contact = event.phone ?? event.email;
  if (!contact) return undefined;
  const at = now().toISOString();
  const localTime = localTimeFor({ phone: event.phone, businessTimeZone: profile.timeZone });
  return {
    leadId: leadIdForContact(contact),
    contact,
    channel: event.email ? 'email' : 'sms',
    source: SOURCE[event.provider],
    ...(event.phone && { phone: event.phone }),
    ...(event.email && { email: event.email }),
    ...(event.name && { name: event.name }),
    timeZone: localTime.zones[0] ?? profile.timeZone,
    localTime,
    status: 'new',
    createdAt: at,
    updatedAt: at,
    firstInboundAt: at,
    known: {},
    assignedRepId: assignRep(profile, undefined).id,
  };
};

/** What became of a booking-page event: `unmatched` for a cancellation of a booking Leadline never saw. */
export type BookingPageOutcome = {
  action: PageEvent['action'];
  meetingId: string;
  lead: 'matched' | 'created' | 'unmatched';
};

/**
 * A booking made, moved or cancelled on the business's Calendly or Cal.com page, matched to its
 * lead and recorded as Leadline's own: the meeting is stored (or marked cancelled), the lead is
 * booked, and `Meeting Booked` / `Meeting Cancelled` (with `bookedVia`) let the CRM, the rep and
 * the reminders follow. A booking no lead matches creates the lead (`leadFromBooking`: someone who
 * booked straight from the website is a lead too); a cancellation no lead matches changes nothing
 * (`lead: 'unmatched'`, for the log). A booking with no lead id, phone or email cannot be
 * recorded: `PermanentError`.
 */
export const recordBookingPageEvent = async (
  event: PageEvent,
  deps: { store: LeadStore; publisher: EventPublisher; profile: BusinessProfile },
): Promise<BookingPageOutcome> => {
  const matched = await findLead(event, deps.store);
  if (!matched && event.action === 'cancelled') {
    return {
      action: event.action,
      meetingId: meetingIdFor(event.provider, event.bookingId),
      lead: 'unmatched',
    };
  }
  const fresh = matched ? undefined : leadFromBooking(event, deps.profile);
  if (!matched && !fresh)
    throw new PermanentError(
      `No lead matches this ${event.provider} booking (${event.messageId}), and it names no phone or email`,
    );
  // A redelivery, or two deliveries at once, find the lead the first one created.
  const lead = matched ?? (await deps.store.modifyLead(fresh!.leadId, () => null, { create: fresh! }));
  const found = matched ? 'matched' : 'created';
  const base = {
    version: 1 as const,
    leadId: lead.leadId,
    correlationId: event.correlationId,
    messageId: event.messageId,
  };
  const meetings = await deps.store.getMeetings(lead.leadId);
  const release = async (bookingId: string, reason: 'cancelled' | 'rescheduled') => {
    const meeting = meetings.find((m) => m.meetingId === meetingIdFor(event.provider, bookingId));
    if (!meeting) return;
    await deps.store.cancelMeeting(meeting, { at: now().toISOString(), messageId: event.messageId, reason });
    await deps.publisher.publish(MeetingCancelled, {
      ...base,
      channel: lead.channel,
      meetingId: meeting.meetingId,
      start: meeting.start,
      end: meeting.end,
      repId: meeting.repId,
      reason,
      bookedVia: event.provider,
    });
  };
  const meetingId = meetingIdFor(event.provider, event.bookingId);
  if (event.action === 'cancelled') {
    await release(event.bookingId, 'cancelled');
    return { action: event.action, meetingId, lead: found };
  }
  if (event.action === 'rescheduled' && event.previousBookingId)
    await release(event.previousBookingId, 'rescheduled');
  const start = new Date(event.start).toISOString();
  const end = new Date(event.end).toISOString();
  const repId = lead.assignedRepId ?? assignRep(deps.profile, lead.known.service).id;
  await deps.store.saveMeeting({
    meetingId,
    leadId: lead.leadId,
    start,
    end,
    repId,
    calendarEventId: event.bookingId,
    bookedAt: now().toISOString(),
    bookedVia: event.provider,
  });
  await deps.store.updateLead(lead.leadId, { status: 'booked', offeredSlots: [] });
  await deps.publisher.publish(MeetingBooked, {
    ...base,
    channel: lead.channel,
    meetingId,
    start,
    end,
    repId,
    bookedVia: event.provider,
  });
  return { action: event.action, meetingId, lead: found };
};
