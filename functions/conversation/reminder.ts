import type * as z from 'zod';
import type { MeetingNoShowReported, MeetingReminderDue } from '#events/catalog.ts';
import type { BusinessProfile } from '#shared/config/business-profile.ts';
import { conversationText } from '#shared/domain/conversation/templates.ts';
import { templatesFor } from '#shared/domain/reply/templates.ts';
import { formatSlot } from '#shared/domain/slots.ts';
import {
  type LeadMessenger,
  outboundMessageIdFor,
  type SendOutcome,
} from '#shared/messaging/lead-messenger.ts';
import type { Lead, LeadMessage, LeadStore, Meeting } from '#shared/ports/lead-store.ts';

type Due = z.infer<(typeof MeetingReminderDue)['schema']>;
type NoShow = z.infer<(typeof MeetingNoShowReported)['schema']>;
type Deps = { store: LeadStore; messenger: LeadMessenger; profile: BusinessProfile; now: () => Date };

/** The key of the message after a meeting ("how did it go", or the no-show one): one per meeting. */
const afterMeetingKey = (meetingId: string) => `rm-after-meeting-${meetingId}`;

/** A reminder's words, the time written in the lead's zone and language. */
const reminderText = (lead: Lead, meeting: Meeting, reminder: Due['reminder'], profile: BusinessProfile) => {
  const language = lead.known.language;
  const options = { language, overrides: profile.conversationTemplates };
  const reply = templatesFor(language, profile.replyTemplates);
  const name = lead.name?.trim().split(/\s+/)[0];
  const when = formatSlot({ start: new Date(meeting.start) }, lead.timeZone, reply.locale);
  const kind = reply.meetingKinds[profile.meeting.kind] ?? profile.meeting.kind;
  const values = { name, when, kind, business: profile.name };
  if (reminder === 'day-before') return conversationText('reminderDayBefore', values, options);
  if (reminder === 'hour-before') return conversationText('reminderHourBefore', values, options);
  return conversationText(meeting.noShow ? 'noShow' : 'afterMeeting', values, options);
};

/** What is not sent to a lead who never gave the business a ground to text them. */
type NoConsent = { status: 'no-consent'; reason: string };

/**
 * Why nothing may be texted to this lead, or undefined: a lead who booked on a Calendly or
 * Cal.com page with a phone and no email, and has never texted the business. FACTS.md ("Texting
 * people: the rules") holds no rule that lets a business text someone who only typed a number
 * into a booking form, so Leadline does not (ARCHITECTURE.md, "Booking pages"); a lead with an
 * email gets these by email (their channel), and one who texts the business is texted back.
 */
const noConsentToText = (lead: Lead, messages: readonly LeadMessage[]): NoConsent | undefined =>
  lead.channel === 'sms' &&
  (lead.source === 'calendly' || lead.source === 'cal-com') &&
  !messages.some((m) => m.direction === 'in' && m.channel === 'sms')
    ? {
        status: 'no-consent',
        reason: `booked on the ${lead.source} page with a phone only and never texted the business`,
      }
    : undefined;

/**
 * A meeting's reminder fell due: 24 h or 1 h before (the time written in the lead's zone and
 * language), or after it ("how did it go", or the no-show follow-up when a rep reported the lead
 * did not come). Nothing goes for a meeting cancelled or moved since. Through the messenger as a
 * business-initiated text, once per (meeting, reminder).
 */
export const sendReminder = async (
  due: Due,
  deps: Omit<Deps, 'now'>,
): Promise<SendOutcome | NoConsent | { status: 'stale'; reason: string }> => {
  const { lead, meetings, messages } = await deps.store.getConversation(due.leadId);
  const meeting = meetings.find((m) => m.meetingId === due.meetingId);
  if (!lead || !meeting || meeting.cancelled)
    return { status: 'stale', reason: 'the meeting was cancelled or moved' };
  const noConsent = noConsentToText(lead, messages);
  if (noConsent) return noConsent;
  const noShow = due.reminder === 'after-meeting' && meeting.noShow;
  return deps.messenger.send({
    lead,
    channel: lead.channel,
    kind: 'initiated',
    purpose: `reminder-${due.reminder}${noShow ? '-no-show' : ''}`,
    answering: `rm-${due.reminder}-${due.meetingId}`,
    text: reminderText(lead, meeting, due.reminder, deps.profile),
  });
};

/**
 * A rep reported the lead missed the meeting (`Meeting No-Show Reported`; the meeting is marked).
 * The lead gets the no-show follow-up once: as the message after the meeting when that has not
 * gone yet (its key, so the reminder and this never both send; a reminder still ahead is left to
 * say it), or as a message of its own when "how did it go" went already.
 */
export const sendNoShowFollowUp = async (
  reported: NoShow,
  deps: Deps,
): Promise<SendOutcome | NoConsent | { status: 'stale' | 'later'; reason: string }> => {
  const [lead, meetings, messages] = await Promise.all([
    deps.store.getLead(reported.leadId),
    deps.store.getMeetings(reported.leadId),
    deps.store.getMessages(reported.leadId),
  ]);
  const meeting = meetings.find((m) => m.meetingId === reported.meetingId);
  if (!lead || !meeting || meeting.cancelled) return { status: 'stale', reason: 'the meeting is gone' };
  const noConsent = noConsentToText(lead, messages);
  if (noConsent) return noConsent;
  const after = messages.find(
    (m) => m.messageId === outboundMessageIdFor(afterMeetingKey(meeting.meetingId)),
  );
  if (after?.purpose?.endsWith('-no-show')) return { status: 'stale', reason: 'the lead was told already' };
  const { afterMeetingMinutes } = deps.profile.reminders;
  const afterDue = Date.parse(meeting.end) + afterMeetingMinutes * 60_000;
  if (!after && afterMeetingMinutes > 0 && afterDue > deps.now().getTime()) {
    return { status: 'later', reason: 'the message after the meeting will say it' };
  }
  return deps.messenger.send({
    lead,
    channel: lead.channel,
    kind: 'initiated',
    purpose: 'reminder-after-meeting-no-show',
    answering: after ? `rm-no-show-${meeting.meetingId}` : afterMeetingKey(meeting.meetingId),
    text: reminderText(lead, { ...meeting, noShow: true }, 'after-meeting', deps.profile),
  });
};
