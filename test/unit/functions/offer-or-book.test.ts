import { describe, expect, it } from 'vitest';
import { LeadScored, MeetingSlotsOffered } from '#events/catalog.ts';
import { bookingLinkOffered, sampleDetail } from '#events/samples.ts';
import { SchedulingPageLink } from '#shared/adapters/booking-link/scheduling-page-link.ts';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import { blankQualification } from '#shared/domain/qualification.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import type { Lead, Meeting } from '#shared/ports/lead-store.ts';
import type { BusySlot, CalendarPort } from '#shared/ports/outbound.ts';
import { type CalendarDeps, offerOrBook } from '../../../functions/calendar/offer-or-book.ts';

const profile = BusinessProfile.parse(demoBusinessProfile);
const NOW = new Date('2026-11-23T14:00:00Z');

const baseLead: Lead = {
  leadId: 'ld_0123456789abcdef0123',
  contact: '+15125550123',
  channel: 'sms',
  phone: '+15125550123',
  email: 'maria@example.com',
  name: 'Maria Lopez',
  timeZone: 'America/Chicago',
  status: 'engaged',
  createdAt: '2026-11-21T15:04:05.000Z',
  updatedAt: '2026-11-21T15:04:06.000Z',
  firstInboundAt: '2026-11-21T15:04:05.000Z',
  known: { need: 'Leaking pipe', location: 'Austin' },
};

const harness = (scheduler: CalendarDeps['calendar'], lead: Lead = baseLead) => {
  let current = lead;
  const published: Array<{ type: string; detail: unknown }> = [];
  const meetings: Meeting[] = [];
  const publisher: EventPublisher = {
    publish: async (event, detail) => {
      published.push({ type: event.detailType, detail: event.schema.parse(detail) });
    },
  };
  const deps: CalendarDeps = {
    store: {
      getLead: async (id) => (id === current.leadId ? current : undefined),
      getMessage: async () => undefined,
      updateLead: async (_id, changes) => {
        current = { ...current, ...changes };
        return current;
      },
      saveMeeting: async (meeting) => {
        meetings.push(meeting);
      },
      getMeetings: async () => meetings,
      cancelMeeting: async (ref, cancellation) => {
        const meeting = meetings.find((m) => m.meetingId === ref.meetingId);
        if (meeting && !meeting.cancelled) meeting.cancelled = cancellation;
      },
    },
    calendar: scheduler,
    publisher,
    profile,
    now: () => NOW,
  };
  return { deps, published, meetings, lead: () => current };
};

const link = new SchedulingPageLink(new URL('https://calendly.com/brightside-plumbing/estimate'));

describe('offerOrBook with a booking link', () => {
  it('offers the link prefilled for the lead and carrying its id, with no slots', async () => {
    const { deps, published } = harness(link);
    const outcome = await offerOrBook(sampleDetail(LeadScored, { meeting: 'requested' }), deps);
    expect(outcome).toEqual({ action: 'link-offered', provider: 'calendly', reason: 'requested' });
    expect(published).toEqual([
      {
        type: 'Meeting Slots Offered',
        detail: expect.objectContaining({
          slots: [],
          reason: 'requested',
          bookingUrl:
            // utm_content comes back in Calendly's invitee.created, so the booking finds this lead.
            'https://calendly.com/brightside-plumbing/estimate?name=Maria%20Lopez&email=maria%40example.com&utm_content=ld_0123456789abcdef0123',
        }),
      },
    ]);
  });

  it('answers a slot number with the link again and forgets slots offered before', async () => {
    const lead: Lead = {
      ...baseLead,
      offeredSlots: [{ start: '2026-11-24T15:00:00.000Z', end: '2026-11-24T15:30:00.000Z' }],
      qualification: {
        ...blankQualification({ summary: '1', slotChoice: 1, wantsMeeting: true }),
        qualifiedBy: 'rules',
        messageId: 'sms-SM2',
        at: NOW.toISOString(),
      },
    };
    const { deps, published, meetings, lead: after } = harness(link, lead);
    const outcome = await offerOrBook(sampleDetail(LeadScored, { meeting: 'slot-chosen' }), deps);
    expect(outcome).toMatchObject({ action: 'link-offered', reason: 'no-match' });
    expect(meetings).toEqual([]);
    expect(after().offeredSlots).toEqual([]);
    expect(published[0]?.detail).toMatchObject({
      slots: [],
      bookingUrl: expect.stringContaining('calendly.com'),
    });
  });

  it('is a valid Meeting Slots Offered detail, as the sample shows', () => {
    expect(sampleDetail(MeetingSlotsOffered, bookingLinkOffered).bookingUrl).toMatch(
      /^https:\/\/calendly\.com\//,
    );
  });
});

describe('offerOrBook with a calendar', () => {
  it('offers free slots from the calendar and books the one picked', async () => {
    const booked: Array<Parameters<CalendarPort['book']>[0]> = [];
    const calendar: CalendarPort = {
      busy: async (): Promise<BusySlot[]> => [],
      book: async (booking) => {
        booked.push(booking);
        return { eventId: 'evt1' };
      },
      cancel: async () => undefined,
    };
    const { deps, published, lead } = harness(calendar);
    const offered = await offerOrBook(sampleDetail(LeadScored, { meeting: 'requested' }), deps);
    expect(offered).toMatchObject({ action: 'offered', slots: profile.meeting.slotsOffered });
    expect(published[0]?.detail).not.toHaveProperty('bookingUrl');

    const picked = harness(calendar, {
      ...lead(),
      qualification: {
        ...blankQualification({ summary: '2', slotChoice: 2, wantsMeeting: true }),
        qualifiedBy: 'rules',
        messageId: 'sms-SM3',
        at: NOW.toISOString(),
      },
    });
    const outcome = await offerOrBook(
      sampleDetail(LeadScored, { meeting: 'slot-chosen', messageId: 'sms-SM3' }),
      picked.deps,
    );
    expect(outcome).toEqual({ action: 'booked', start: lead().offeredSlots?.[1]?.start });
    expect(booked[0]?.attendee).toEqual({
      name: 'Maria Lopez',
      email: 'maria@example.com',
      phone: '+15125550123',
    });
  });
});

describe('offerOrBook with a booked meeting', () => {
  const booked: Meeting = {
    meetingId: 'mtg-evt-old',
    leadId: baseLead.leadId,
    start: '2026-11-30T16:00:00.000Z',
    end: '2026-11-30T16:30:00.000Z',
    repId: 'rep-dana',
    calendarEventId: 'evt-old',
    bookedAt: '2026-11-22T10:00:00.000Z',
  };
  const calendarRecording = () => {
    const cancelled: string[] = [];
    const calendar: CalendarPort = {
      busy: async () => [],
      book: async () => ({ eventId: 'evt-new' }),
      cancel: async ({ eventId }) => {
        cancelled.push(eventId);
      },
    };
    return { calendar, cancelled };
  };
  const asking = (preferredDate: string | null, preferredPartOfDay: 'afternoon' | null): Lead => ({
    ...baseLead,
    status: 'booked',
    qualification: {
      ...blankQualification({ summary: 'move it', preferredDate, preferredPartOfDay }),
      qualifiedBy: 'rules',
      messageId: 'sms-SM0123456789',
      at: NOW.toISOString(),
    },
  });

  it('cancels the meeting in the calendar, records it, says so and offers nothing', async () => {
    const { calendar, cancelled } = calendarRecording();
    const { deps, published, meetings, lead } = harness(calendar, asking(null, null));
    meetings.push({ ...booked });
    const outcome = await offerOrBook(sampleDetail(LeadScored, { meeting: 'cancel' }), deps);
    expect(outcome).toEqual({ action: 'cancelled', meetingId: 'mtg-evt-old' });
    expect(cancelled).toEqual(['evt-old']);
    expect(meetings[0]?.cancelled).toMatchObject({ reason: 'cancelled', messageId: 'sms-SM0123456789' });
    expect(lead().status).toBe('engaged');
    expect(published.map((p) => p.type)).toEqual(['Meeting Cancelled']);
    expect(published[0]?.detail).toMatchObject({
      meetingId: 'mtg-evt-old',
      reason: 'cancelled',
      repId: 'rep-dana',
    });
  });

  it('moves the meeting when the lead picks a new time while booked: never two meetings', async () => {
    const { calendar, cancelled } = calendarRecording();
    const slot = { start: '2026-12-01T16:00:00.000Z', end: '2026-12-01T16:30:00.000Z' };
    const { deps, published, meetings } = harness(calendar, {
      ...baseLead,
      status: 'booked',
      offeredSlots: [slot],
      qualification: {
        ...blankQualification({ summary: '1', slotChoice: 1, wantsMeeting: true }),
        qualifiedBy: 'rules',
        messageId: 'sms-SMpick',
        at: NOW.toISOString(),
      },
    });
    meetings.push({ ...booked });
    const outcome = await offerOrBook(
      sampleDetail(LeadScored, { meeting: 'slot-chosen', messageId: 'sms-SMpick' }),
      deps,
    );
    expect(outcome).toEqual({ action: 'booked', start: slot.start });
    expect(cancelled).toEqual(['evt-old']);
    expect(meetings.filter((m) => !m.cancelled).map((m) => m.start)).toEqual([slot.start]);
    expect(published.map((p) => [p.type, (p.detail as { reason?: string }).reason])).toEqual([
      ['Meeting Cancelled', 'rescheduled'],
      ['Meeting Booked', undefined],
    ]);
  });

  it('moves the meeting: releases it, then offers times on the day and part of day asked for', async () => {
    const { calendar, cancelled } = calendarRecording();
    const { deps, published, meetings } = harness(calendar, asking('2026-12-01', 'afternoon'));
    meetings.push({ ...booked });
    const outcome = await offerOrBook(sampleDetail(LeadScored, { meeting: 'reschedule' }), deps);
    expect(outcome).toMatchObject({ action: 'offered', reason: 'rescheduled' });
    expect(cancelled).toEqual(['evt-old']);
    expect(published.map((p) => p.type)).toEqual(['Meeting Cancelled', 'Meeting Slots Offered']);
    const { slots } = MeetingSlotsOffered.schema.parse(published[1]?.detail);
    expect(slots.length).toBeGreaterThan(0);
    for (const slot of slots) {
      // Tuesday 1 December, from noon in Austin (UTC-6).
      expect(slot.start >= '2026-12-01T18:00:00.000Z' && slot.start < '2026-12-02T00:00:00.000Z').toBe(true);
    }
  });

  it('does not cancel twice when the same request is retried', async () => {
    const { calendar, cancelled } = calendarRecording();
    const { deps, meetings, published } = harness(calendar, asking(null, null));
    meetings.push({ ...booked });
    const event = sampleDetail(LeadScored, { meeting: 'cancel' });
    await offerOrBook(event, deps);
    await offerOrBook(event, deps);
    expect(cancelled).toEqual(['evt-old']);
    expect(published.map((p) => p.type)).toEqual(['Meeting Cancelled', 'Meeting Cancelled']);
  });
});
