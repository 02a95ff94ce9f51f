import type * as z from 'zod';
import { type LeadScored, MeetingBooked, MeetingCancelled, MeetingSlotsOffered } from '#events/catalog.ts';
import { now as clockNow } from '#shared/clock.ts';
import type { BusinessProfile } from '#shared/config/business-profile.ts';
import { assignRep } from '#shared/domain/assign-rep.ts';
import { upcomingMeeting } from '#shared/domain/facts.ts';
import { findFreeSlots, type PartOfDay, type SlotPreference } from '#shared/domain/slots.ts';
import { PermanentError } from '#shared/ports/errors.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import type { Lead, LeadStore, Meeting } from '#shared/ports/lead-store.ts';
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
  | { action: 'booked'; start: string }
  | { action: 'cancelled'; meetingId: string }
  | { action: 'nothing-to-change' };

export interface CalendarDeps {
  store: Pick<
    LeadStore,
    'getLead' | 'getMessage' | 'updateLead' | 'saveMeeting' | 'getMeetings' | 'cancelMeeting'
  >;
  /** A calendar Leadline books on, or a booking link the lead books through. */
  calendar: Scheduler;
  publisher: EventPublisher;
  profile: BusinessProfile;
  now?: () => Date;
}

/**
 * A lead who wants a meeting gets concrete free slots (on the day and part of day they asked for,
 * when some are free); a lead who picked one of them gets it booked. A slot taken meanwhile, or a
 * pick that matches nothing, gets fresh slots. A lead who cancels gets the booked meeting cancelled
 * in the calendar; one who moves it gets it released and new slots offered. With a booking link
 * the lead gets the link instead, whatever they answered, and nothing is booked here.
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

  if (event.meeting === 'cancel' || event.meeting === 'reschedule') {
    return changeMeeting(event, lead, deps, calendar, event.meeting);
  }
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
        bookedAt: (deps.now?.() ?? clockNow()).toISOString(),
      });
      await deps.store.updateLead(lead.leadId, { status: 'booked', offeredSlots: [] });
      // A lead holds one meeting: a new pick while one is booked moves it.
      await releaseEarlierMeetings(event, lead, deps, calendar, meetingId);
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
  reason: 'requested' | 'slot-taken' | 'no-match' | 'rescheduled',
): Promise<CalendarOutcome> => {
  const from = deps.now?.() ?? clockNow();
  // What the lead asked for ("Tuesday afternoon") when they asked for a meeting or a move.
  const q = lead.qualification;
  const preference: SlotPreference | undefined =
    reason === 'requested' || reason === 'rescheduled'
      ? {
          date: q?.preferredDate ?? undefined,
          partOfDay: (q?.preferredPartOfDay ?? undefined) as PartOfDay | undefined,
        }
      : undefined;
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
    preference,
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
    leadId: lead.leadId,
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

/**
 * Cancels the lead's booked meeting in the calendar (freeing its time) and says so with
 * `Meeting Cancelled`; a move then offers new slots. A retry finds the meeting this message
 * cancelled already and carries on from there, so nothing is cancelled or announced twice over.
 */
/**
 * Cancels the lead's other upcoming meetings once `keep` is booked, as a move (`rescheduled`): a
 * lead who picks a new time while booked means the new time, and must not hold two.
 */
const releaseEarlierMeetings = async (
  event: Scored,
  lead: Lead,
  deps: CalendarDeps,
  calendar: CalendarPort,
  keep: string,
): Promise<void> => {
  const now = deps.now?.() ?? new Date();
  const others = (await deps.store.getMeetings(lead.leadId)).filter(
    (m) => m.meetingId !== keep && !m.cancelled && Date.parse(m.end) > now.getTime(),
  );
  for (const meeting of others) {
    await calendar.cancel({ eventId: meeting.calendarEventId, start: new Date(meeting.start) });
    await deps.store.cancelMeeting(
      { leadId: lead.leadId, meetingId: meeting.meetingId },
      { at: now.toISOString(), messageId: event.messageId, reason: 'rescheduled' },
    );
    await deps.publisher.publish(MeetingCancelled, {
      version: 1,
      leadId: lead.leadId,
      correlationId: event.correlationId,
      messageId: event.messageId,
      channel: event.channel,
      meetingId: meeting.meetingId,
      start: meeting.start,
      end: meeting.end,
      repId: meeting.repId,
      reason: 'rescheduled',
    });
  }
};

const changeMeeting = async (
  event: Scored,
  lead: Lead,
  deps: CalendarDeps,
  calendar: CalendarPort,
  change: 'cancel' | 'reschedule',
): Promise<CalendarOutcome> => {
  const now = deps.now?.() ?? clockNow();
  const meetings = await deps.store.getMeetings(lead.leadId);
  const target: Meeting | undefined =
    meetings.find((m) => m.cancelled?.messageId === event.messageId) ?? upcomingMeeting(meetings, now);
  if (!target) {
    // Cancelled already by an earlier message (which was answered): a move still gets times.
    return change === 'reschedule'
      ? offer(event, lead, deps, calendar, 'requested')
      : { action: 'nothing-to-change' };
  }
  const reason = change === 'cancel' ? 'cancelled' : 'rescheduled';
  if (!target.cancelled) {
    await calendar.cancel({ eventId: target.calendarEventId, start: new Date(target.start) });
    await deps.store.cancelMeeting(
      { leadId: lead.leadId, meetingId: target.meetingId },
      { at: now.toISOString(), messageId: event.messageId, reason },
    );
  }
  const stillBooked = upcomingMeeting(
    meetings.filter((m) => m.meetingId !== target.meetingId),
    now,
  );
  if (!stillBooked && lead.status === 'booked')
    await deps.store.updateLead(lead.leadId, { status: 'engaged' });
  await deps.publisher.publish(MeetingCancelled, {
    version: 1,
    leadId: lead.leadId,
    correlationId: event.correlationId,
    messageId: event.messageId,
    channel: event.channel,
    meetingId: target.meetingId,
    start: target.start,
    end: target.end,
    repId: target.repId,
    reason,
  });
  if (change === 'reschedule') return offer(event, lead, deps, calendar, 'rescheduled');
  return { action: 'cancelled', meetingId: target.meetingId };
};
