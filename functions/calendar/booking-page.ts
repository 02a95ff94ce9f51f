import { createHash } from 'node:crypto';
import type * as z from 'zod';
import { type BookingPageEventReceived, MeetingBooked, MeetingCancelled } from '#events/catalog.ts';
import { now } from '#shared/clock.ts';
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

/**
 * A booking made, moved or cancelled on the business's Calendly or Cal.com page, matched to its
 * lead and recorded as Leadline's own: the meeting is stored (or marked cancelled), the lead is
 * booked, and `Meeting Booked` / `Meeting Cancelled` (with `bookedVia`) let the CRM, the rep and
 * the reminders follow. A booking no lead matches cannot succeed: `PermanentError`, logged.
 */
export const recordBookingPageEvent = async (
  event: PageEvent,
  deps: { store: LeadStore; publisher: EventPublisher; profile: BusinessProfile },
): Promise<{ action: PageEvent['action']; meetingId: string }> => {
  const lead = await findLead(event, deps.store);
  if (!lead) throw new PermanentError(`No lead matches this ${event.provider} booking (${event.messageId})`);
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
    return { action: event.action, meetingId };
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
  return { action: event.action, meetingId };
};
