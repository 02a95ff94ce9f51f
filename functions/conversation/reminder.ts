import type * as z from 'zod';
import type { MeetingReminderDue } from '#events/catalog.ts';
import type { BusinessProfile } from '#shared/config/business-profile.ts';
import { conversationText } from '#shared/domain/conversation/templates.ts';
import { templatesFor } from '#shared/domain/reply/templates.ts';
import { formatSlot } from '#shared/domain/slots.ts';
import type { LeadMessenger, SendOutcome } from '#shared/messaging/lead-messenger.ts';
import type { LeadStore } from '#shared/ports/lead-store.ts';

type Due = z.infer<(typeof MeetingReminderDue)['schema']>;

/**
 * A meeting's reminder fell due: 24 h or 1 h before (the time written in the lead's zone and
 * language), or after it ("how did it go", or the no-show follow-up when the meeting was marked a
 * no-show). Nothing goes for a meeting cancelled or moved since. Through the messenger as a
 * business-initiated text, once per (meeting, reminder).
 */
export const sendReminder = async (
  due: Due,
  deps: { store: LeadStore; messenger: LeadMessenger; profile: BusinessProfile },
): Promise<SendOutcome | { status: 'stale'; reason: string }> => {
  const [lead, meetings] = await Promise.all([
    deps.store.getLead(due.leadId),
    deps.store.getMeetings(due.leadId),
  ]);
  const meeting = meetings.find((m) => m.meetingId === due.meetingId);
  if (!lead || !meeting || meeting.cancelled)
    return { status: 'stale', reason: 'the meeting was cancelled or moved' };
  const language = lead.known.language;
  const options = { language, overrides: deps.profile.conversationTemplates };
  const reply = templatesFor(language, deps.profile.replyTemplates);
  const name = lead.name?.trim().split(/\s+/)[0];
  const when = formatSlot({ start: new Date(meeting.start) }, lead.timeZone, reply.locale);
  const kind = reply.meetingKinds[deps.profile.meeting.kind] ?? deps.profile.meeting.kind;
  const values = { name, when, kind, business: deps.profile.name };
  const text =
    due.reminder === 'day-before'
      ? conversationText('reminderDayBefore', values, options)
      : due.reminder === 'hour-before'
        ? conversationText('reminderHourBefore', values, options)
        : conversationText(meeting.noShow ? 'noShow' : 'afterMeeting', values, options);
  return deps.messenger.send({
    lead,
    channel: lead.channel,
    kind: 'initiated',
    purpose: `reminder-${due.reminder}${due.reminder === 'after-meeting' && meeting.noShow ? '-no-show' : ''}`,
    answering: `rm-${due.reminder}-${due.meetingId}`,
    text,
  });
};
