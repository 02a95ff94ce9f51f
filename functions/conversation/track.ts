import type * as z from 'zod';
import {
  ConversationStageChanged,
  type FollowUpDue,
  FollowUpDue as FollowUpDueEvent,
  type LeadOptedIn,
  type LeadOptedOut,
  type LeadQualified,
  type LeadScored,
  type MeetingBooked,
  type MeetingCancelled,
  type MeetingNoShowReported,
  MeetingReminderDue,
  type MeetingSlotsOffered,
  type ReplySent,
  type RepResponded,
} from '#events/catalog.ts';
import { now } from '#shared/clock.ts';
import type { BusinessProfile } from '#shared/config/business-profile.ts';
import { followUpDueAt } from '#shared/domain/conversation/cadence.ts';
import { followsUpLead, nextStage, type StageEvent } from '#shared/domain/conversation/stage.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import type { Lead, LeadChanges, LeadStore, Meeting } from '#shared/ports/lead-store.ts';
import type { Timers } from '#shared/ports/timers.ts';
import { followUpTimer, REMINDER_KINDS, type ReminderKind, reminderTimer } from './timers.ts';

type Detail<E extends { schema: z.ZodType }> = z.infer<E['schema']>;

export type TrackedEvent =
  | { detailType: 'Lead Qualified'; detail: Detail<typeof LeadQualified> }
  | { detailType: 'Lead Scored'; detail: Detail<typeof LeadScored> }
  | { detailType: 'Reply Sent'; detail: Detail<typeof ReplySent> }
  | { detailType: 'Meeting Slots Offered'; detail: Detail<typeof MeetingSlotsOffered> }
  | { detailType: 'Meeting Booked'; detail: Detail<typeof MeetingBooked> }
  | { detailType: 'Meeting Cancelled'; detail: Detail<typeof MeetingCancelled> }
  | { detailType: 'Lead Opted Out'; detail: Detail<typeof LeadOptedOut> }
  | { detailType: 'Lead Opted In'; detail: Detail<typeof LeadOptedIn> }
  | { detailType: 'Rep Responded'; detail: Detail<typeof RepResponded> }
  | { detailType: 'Meeting No-Show Reported'; detail: Detail<typeof MeetingNoShowReported> };

/** Texts the pipeline sends that no follow-up follows: confirmations, and its own follow-ups and reminders. */
const NOT_FOLLOWED =
  /^(follow-up-\d+|reminder-.*|opt-out-confirmation|opt-in-confirmation|help|meeting-booked)$/;

const stageEventOf = (event: TrackedEvent): StageEvent | null => {
  switch (event.detailType) {
    case 'Lead Qualified':
      return event.detail.intent === 'new_lead' || event.detail.intent === 'reply'
        ? { type: 'lead-wrote' }
        : null;
    case 'Lead Scored':
      return { type: 'lead-scored', grade: event.detail.grade };
    case 'Reply Sent':
      return { type: 'reply-sent' };
    case 'Meeting Slots Offered':
      return { type: 'slots-offered' };
    case 'Meeting Booked':
      return { type: 'meeting-booked' };
    case 'Meeting Cancelled':
      return { type: event.detail.reason === 'rescheduled' ? 'meeting-moved' : 'meeting-cancelled' };
    case 'Lead Opted Out':
      return { type: 'opted-out' };
    case 'Lead Opted In':
      return { type: 'opted-in' };
    case 'Rep Responded':
      return event.detail.response === 'took-over' ? { type: 'rep-took-over' } : null;
    case 'Meeting No-Show Reported':
      return { type: 'no-show' };
  }
};

const MEETING_EVENTS = new Set<StageEvent['type']>([
  'meeting-booked',
  'meeting-cancelled',
  'meeting-moved',
  'no-show',
]);

/** Whether a meeting is booked and still ahead or under way at `at`: not cancelled, not missed, not over. */
const hasMeetingAhead = (meetings: readonly Meeting[], at: Date): boolean =>
  meetings.some((m) => !m.cancelled && !m.noShow && Date.parse(m.end) > at.getTime());

/**
 * Whether this event ends the follow-ups of the lead's silence: the lead answered, booked, or opted
 * out (a rep taking over, or the lead routed to a rep, ends them: `followsUpLead`).
 */
const endsFollowUps = (event: TrackedEvent): boolean =>
  (event.detailType === 'Lead Qualified' &&
    (event.detail.intent === 'new_lead' || event.detail.intent === 'reply')) ||
  event.detailType === 'Meeting Booked' ||
  event.detailType === 'Lead Opted Out';

/**
 * Keeps a lead's conversation where the events say it is, and its timers with it:
 * - the stage (`nextStage`), announced as `Conversation Stage Changed` when it moves;
 * - the follow-ups: a text the lead may not answer (`Reply Sent`) sets the first step's timer,
 *   counted from when it went; the lead writing, a booking or an opt-out ends them (the pending
 *   timer is deleted; a stale one that fires anyway finds nothing to do);
 * - the meeting reminders: a booking sets its timers (24 h and 1 h before, and after the meeting),
 *   a cancellation deletes them.
 * Returns whether the lead wrote back after a follow-up (the dashboard's replies after follow-up).
 */
export const trackConversation = async (
  event: TrackedEvent,
  deps: { store: LeadStore; timers: Timers; publisher: EventPublisher; profile: BusinessProfile },
): Promise<{ repliedAfterFollowUp: boolean }> => {
  const { detail } = event;
  const initial = await deps.store.getLead(detail.leadId);
  if (!initial) return { repliedAfterFollowUp: false };
  const stageEvent = stageEventOf(event);
  // A meeting event is judged against the meetings as stored: its lead's events come in any order.
  const meetingFacts =
    stageEvent && MEETING_EVENTS.has(stageEvent.type)
      ? { meetingAhead: hasMeetingAhead(await deps.store.getMeetings(detail.leadId), now()) }
      : undefined;
  let before: Lead = initial;
  let plannedTimer: { name: string; at: Date; step: number; anchor: string } | undefined;
  // Written against the lead just read: a conflict reads it again.
  const lead = await deps.store.modifyLead(
    detail.leadId,
    (current) => {
      before = current;
      plannedTimer = undefined;
      const changes: LeadChanges = {};
      const stage = stageEvent ? nextStage(current.stage, stageEvent, meetingFacts) : current.stage;
      if (stage && stage !== current.stage) changes.stage = stage;
      if (endsFollowUps(event) || !followsUpLead({ ...current, stage })) {
        if (current.followUp && !current.followUp.done)
          changes.followUp = { ...current.followUp, done: true };
      } else if (event.detailType === 'Reply Sent' && !NOT_FOLLOWED.test(event.detail.purpose)) {
        const cadence = deps.profile.followUps.cadence;
        const newer = !current.followUp || current.followUp.anchorAt <= event.detail.sentAt;
        const pending = current.followUp;
        if (
          pending?.anchor === event.detail.outboundMessageId &&
          !pending.done &&
          pending.step === 1 &&
          pending.lastSentStep === undefined
        ) {
          // A redelivery (a crash came between the lead's write and the timer's): the same timer
          // again, which the Scheduler keeps once by its name.
          plannedTimer = {
            name: pending.timer,
            at: new Date(pending.dueAt),
            step: 1,
            anchor: pending.anchor,
          };
        } else if (cadence[0] && newer && current.followUp?.anchor !== event.detail.outboundMessageId) {
          const at = followUpDueAt(cadence[0], new Date(event.detail.sentAt), deps.profile);
          const name = followUpTimer(current.leadId, event.detail.outboundMessageId, 1);
          plannedTimer = { name, at, step: 1, anchor: event.detail.outboundMessageId };
          changes.followUp = {
            anchor: event.detail.outboundMessageId,
            anchorAt: event.detail.sentAt,
            step: 1,
            dueAt: at.toISOString(),
            timer: name,
          };
        }
      }
      return Object.keys(changes).length > 0 ? changes : null;
    },
    { current: initial },
  );

  // Timers after the lead is written: a crash between the two leaves a timer that finds nothing to do.
  const superseded =
    before.followUp && !before.followUp.done && before.followUp.timer !== lead.followUp?.timer;
  if (superseded || (lead.followUp?.done && before.followUp && !before.followUp.done)) {
    await deps.timers.cancel(before.followUp!.timer);
  }
  if (plannedTimer && lead.followUp?.timer === plannedTimer.name) {
    await deps.timers.set({
      name: plannedTimer.name,
      at: plannedTimer.at,
      event: FollowUpDueEvent,
      detail: {
        version: 1,
        leadId: lead.leadId,
        correlationId: detail.correlationId,
        anchor: plannedTimer.anchor,
        step: plannedTimer.step,
      },
    });
  }
  if (event.detailType === 'Meeting Booked') await setReminders(event.detail, deps);
  if (event.detailType === 'Meeting Cancelled') {
    for (const kind of REMINDER_KINDS)
      await deps.timers.cancel(reminderTimer(lead.leadId, event.detail.meetingId, kind));
  }
  if (lead.stage && lead.stage !== before.stage) {
    await deps.publisher.publish(ConversationStageChanged, {
      version: 1,
      leadId: lead.leadId,
      correlationId: detail.correlationId,
      from: before.stage ?? null,
      to: lead.stage,
      trigger: event.detailType,
    });
  }
  const repliedAfterFollowUp =
    event.detailType === 'Lead Qualified' &&
    stageEvent !== null &&
    before.followUp?.lastSentStep !== undefined &&
    !before.followUp.done;
  return { repliedAfterFollowUp };
};

/** The reminders of a booked meeting, those still ahead: 24 h and 1 h before, and after it. */
const setReminders = async (
  booked: Detail<typeof MeetingBooked>,
  deps: { timers: Timers; profile: BusinessProfile },
) => {
  const { reminders } = deps.profile;
  const start = Date.parse(booked.start);
  const planned: Array<[ReminderKind, number | null]> = [
    ['day-before', reminders.dayBefore ? start - 24 * 3_600_000 : null],
    ['hour-before', reminders.hourBefore ? start - 3_600_000 : null],
    [
      'after-meeting',
      reminders.afterMeetingMinutes > 0
        ? Date.parse(booked.end) + reminders.afterMeetingMinutes * 60_000
        : null,
    ],
  ];
  for (const [kind, at] of planned) {
    // A reminder whose time has passed (a meeting booked for within the hour) is not sent late.
    if (at === null || at <= now().getTime()) continue;
    await deps.timers.set({
      name: reminderTimer(booked.leadId, booked.meetingId, kind),
      at: new Date(at),
      event: MeetingReminderDue,
      detail: {
        version: 1,
        leadId: booked.leadId,
        correlationId: booked.correlationId,
        meetingId: booked.meetingId,
        reminder: kind,
      },
    });
  }
};

export type FollowUpDueDetail = Detail<typeof FollowUpDue>;
