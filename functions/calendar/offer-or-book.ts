import type * as z from 'zod';
import { type LeadScored, MeetingBooked, MeetingSlotsOffered } from '#events/catalog.ts';
import type { BusinessProfile } from '#shared/config/business-profile.ts';
import { assignRep } from '#shared/domain/assign-rep.ts';
import { findFreeSlots } from '#shared/domain/slots.ts';
import { PermanentError } from '#shared/ports/errors.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import type { Lead, LeadStore } from '#shared/ports/lead-store.ts';
import {
  type BookingLink,
  type CalendarPort,
  type Scheduler,
  SlotUnavailableError,
} from '#shared/ports/outbound.ts';

type Scored = z.infer<(typeof LeadScored)['schema']>;

const HORIZON_DAYS = 14;

export type CalendarOutcome =
  | { action: 'offered'; slots: number; reason: string }
  | { action: 'link-offered'; provider: string; reason: string }
  | { action: 'booked'; start: string };

export interface CalendarDeps {
  store: Pick<LeadStore, 'getLead' | 'getMessage' | 'updateLead' | 'saveMeeting'>;
  /** A calendar Leadline books on, or a booking link the lead books through. */
  calendar: Scheduler;
  publisher: EventPublisher;
  profile: BusinessProfile;
  now?: () => Date;
}

/**
 * A lead who wants a meeting gets concrete free slots; a lead who picked one of them gets it
 * booked. A slot taken meanwhile, or a pick that matches nothing, gets fresh slots. With a
 * booking link the lead gets the link instead, whatever they answered, and nothing is booked here.
 */
export const offerOrBook = async (event: Scored, deps: CalendarDeps): Promise<CalendarOutcome> => {
  const lead = await deps.store.getLead(event.leadId);
  if (!lead) throw new PermanentError(`Lead ${event.leadId} not found`);

  const scheduler = deps.calendar;
  if ('urlFor' in scheduler) {
    return offerLink(
      event,
      lead,
      { ...deps, link: scheduler },
      event.meeting === 'slot-chosen' ? 'no-match' : 'requested',
    );
  }
  const calendar = scheduler;

  if (event.meeting === 'slot-chosen') {
    // The pick this message made: in a burst the lead's latest reading may be another message's.
    const answered = await deps.store.getMessage(lead.leadId, event.messageId);
    const choice =
      answered?.reading?.slotChoice ??
      (lead.qualification?.messageId === event.messageId ? lead.qualification.slotChoice : null);
    const slot = choice !== null ? lead.offeredSlots?.[choice - 1] : undefined;
    if (!slot) return offer(event, lead, deps, calendar, 'no-match');
    const repId = lead.assignedRepId ?? assignRep(deps.profile, lead.known.service).id;
    try {
      const { eventId } = await calendar.book({
        key: `${lead.leadId}#${slot.start}`,
        start: new Date(slot.start),
        end: new Date(slot.end),
        title: `${deps.profile.meeting.kind} with ${lead.name ?? lead.phone ?? lead.email ?? 'a new lead'}`,
        description:
          [lead.known.need, lead.known.location].filter(Boolean).join(' — ') || 'Booked by Leadline',
        attendee: {
          ...(lead.name && { name: lead.name }),
          ...(lead.email && { email: lead.email }),
          ...(lead.phone && { phone: lead.phone }),
        },
      });
      const meetingId = `mtg-${eventId}`;
      await deps.store.saveMeeting({
        meetingId,
        leadId: lead.leadId,
        start: slot.start,
        end: slot.end,
        repId,
        calendarEventId: eventId,
        bookedAt: (deps.now?.() ?? new Date()).toISOString(),
      });
      await deps.store.updateLead(lead.leadId, { status: 'booked', offeredSlots: [] });
      await deps.publisher.publish(MeetingBooked, {
        version: 1,
        leadId: lead.leadId,
        correlationId: event.correlationId,
        messageId: event.messageId,
        channel: event.channel,
        meetingId,
        start: slot.start,
        end: slot.end,
        repId,
      });
      return { action: 'booked', start: slot.start };
    } catch (error) {
      if (!(error instanceof SlotUnavailableError)) throw error;
      return offer(event, lead, deps, calendar, 'slot-taken');
    }
  }
  return offer(event, lead, deps, calendar, 'requested');
};

const offer = async (
  event: Scored,
  lead: Lead,
  deps: CalendarDeps,
  calendar: CalendarPort,
  reason: 'requested' | 'slot-taken' | 'no-match',
): Promise<CalendarOutcome> => {
  const from = deps.now?.() ?? new Date();
  const to = new Date(from.getTime() + HORIZON_DAYS * 86_400_000);
  const busy = await calendar.busy({ from, to });
  const { meeting, hours, timeZone } = deps.profile;
  const slots = findFreeSlots({
    from,
    timeZone,
    hours,
    durationMinutes: meeting.durationMinutes,
    minNoticeMinutes: meeting.minNoticeMinutes,
    busy,
    count: meeting.slotsOffered,
    horizonDays: HORIZON_DAYS,
  }).map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString() }));
  await deps.store.updateLead(lead.leadId, { offeredSlots: slots });
  await deps.publisher.publish(MeetingSlotsOffered, {
    version: 1,
    leadId: lead.leadId,
    correlationId: event.correlationId,
    messageId: event.messageId,
    channel: event.channel,
    slots,
    reason,
  });
  return { action: 'offered', slots: slots.length, reason };
};

/** The booking link, prefilled for this lead; any slots offered before are forgotten. */
const offerLink = async (
  event: Scored,
  lead: Lead,
  deps: CalendarDeps & { link: BookingLink },
  reason: 'requested' | 'no-match',
): Promise<CalendarOutcome> => {
  const bookingUrl = deps.link.urlFor({
    ...(lead.name && { name: lead.name }),
    ...(lead.email && { email: lead.email }),
  });
  if ((lead.offeredSlots?.length ?? 0) > 0) await deps.store.updateLead(lead.leadId, { offeredSlots: [] });
  await deps.publisher.publish(MeetingSlotsOffered, {
    version: 1,
    leadId: lead.leadId,
    correlationId: event.correlationId,
    messageId: event.messageId,
    channel: event.channel,
    slots: [],
    bookingUrl,
    reason,
  });
  return { action: 'link-offered', provider: deps.link.provider, reason };
};
