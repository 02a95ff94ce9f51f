import type * as z from 'zod';
import {
  type LeadScored,
  type MeetingBooked,
  type MeetingCancelled,
  type MissedCallHandled,
  RepNotified,
} from '#events/catalog.ts';
import { now } from '#shared/clock.ts';
import { decideRepNotifyTime } from '#shared/compliance/rep-notify-hours.ts';
import type { BusinessProfile, Rep } from '#shared/config/business-profile.ts';
import { assignRep } from '#shared/domain/assign-rep.ts';
import { formatSlot } from '#shared/domain/slots.ts';
import { PermanentError } from '#shared/ports/errors.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import type { Lead, LeadStore } from '#shared/ports/lead-store.ts';
import type { ChatMessage, ChatPoster, EmailSender, SmsSender } from '#shared/ports/outbound.ts';

export type NotifyTrigger =
  | { detailType: 'Lead Scored'; detail: z.infer<(typeof LeadScored)['schema']> }
  | { detailType: 'Meeting Booked'; detail: z.infer<(typeof MeetingBooked)['schema']> }
  | { detailType: 'Meeting Cancelled'; detail: z.infer<(typeof MeetingCancelled)['schema']> }
  | { detailType: 'Missed Call Handled'; detail: z.infer<(typeof MissedCallHandled)['schema']> };

/** What the rep is asked to do after a missed call, by what the caller got. */
const MISSED_CALL_NEXT: Readonly<Record<z.infer<(typeof MissedCallHandled)['schema']>['textBack'], string>> =
  {
    sent: 'We texted them back; call them when you can.',
    held: 'We will text them when the calling window opens; call them back if you can.',
    suppressed: 'They get no texts from us (opted out, or the text was refused): call them back.',
    'not-textable': 'Their number takes no texts (a landline): call them back.',
  };

export interface RepChannels {
  chat: ChatPoster;
  email: Pick<EmailSender, 'send'>;
  sms: Pick<SmsSender, 'send'>;
  identity: { smsNumber: string; emailFrom: string };
}

/** Language names for the rep, by ISO 639-1 code; others are shown as their code. */
const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  es: 'Spanish',
  fr: 'French',
  pt: 'Portuguese',
  de: 'German',
  it: 'Italian',
  vi: 'Vietnamese',
  zh: 'Chinese',
};

const describeLead = (lead: Lead, profile: BusinessProfile) => {
  const who = lead.name ?? 'New lead';
  const contact = [lead.phone, lead.email].filter(Boolean).join(', ');
  // The service as the business writes it ("AC repair"), never lower-cased.
  const service = profile.services.find(
    (s) => s.name.toLowerCase() === lead.known.service?.toLowerCase(),
  )?.name;
  const language = lead.known.language && lead.known.language !== 'en' ? lead.known.language : undefined;
  const facts = [
    service,
    lead.known.need,
    lead.known.location,
    lead.known.timing && `timing: ${lead.known.timing}`,
    language && `writes in ${LANGUAGE_NAMES[language] ?? language}`,
  ]
    .filter(Boolean)
    .join(' | ');
  return { who, contact, facts, service, language };
};

/** The lead's facts as labelled fields, for a chat card. */
const leadFields = (lead: Lead, profile: BusinessProfile): Array<{ label: string; value: string }> => {
  const { contact, service, language } = describeLead(lead, profile);
  return [
    { label: 'Contact', value: contact },
    { label: 'Service', value: service },
    { label: 'Need', value: lead.known.need },
    { label: 'Location', value: lead.known.location },
    { label: 'Timing', value: lead.known.timing },
    { label: 'Language', value: language && (LANGUAGE_NAMES[language] ?? language) },
  ].filter((field): field is { label: string; value: string } => Boolean(field.value));
};

/** What to do now: call a lead who has a phone, else answer them by email. */
const actNow = (lead: Lead) => (lead.phone ? 'Call them now.' : 'Email them now (no phone number).');

/** Why a rep is told about a Lead Scored: an emergency first, else a lead that turned hot. */
export const scoredReason = (lead: Lead, emergency: boolean): 'emergency' | 'hot-lead' =>
  emergency || lead.known.urgency === 'emergency' ? 'emergency' : 'hot-lead';

/**
 * What a rep reads: who, how to reach them, what they want, and why it matters now. `text` is
 * the whole of it (email, SMS, chat notification); `card` lays the same out for a chat client.
 * A hot lead lists every reason of its score, so the points can be checked.
 */
export const repMessage = (
  trigger: NotifyTrigger,
  lead: Lead,
  profile: BusinessProfile,
): { subject: string; text: string; card: NonNullable<ChatMessage['card']> } => {
  const { who, contact, facts } = describeLead(lead, profile);
  if (trigger.detailType === 'Missed Call Handled') {
    const subject = `Missed call: ${who === 'New lead' ? contact : who}`;
    const text = `Missed call from ${who === 'New lead' ? contact : `${who} (${contact})`}. ${MISSED_CALL_NEXT[trigger.detail.textBack]}`;
    return {
      subject,
      text: `${text}${facts ? `\n${facts}` : ''}`,
      card: {
        title: subject,
        fields: leadFields(lead, profile),
        lines: [MISSED_CALL_NEXT[trigger.detail.textBack]],
      },
    };
  }
  if (trigger.detailType === 'Meeting Booked' || trigger.detailType === 'Meeting Cancelled') {
    const when = formatSlot({ start: new Date(trigger.detail.start) }, profile.timeZone);
    const { subject, text } =
      trigger.detailType === 'Meeting Booked'
        ? {
            subject: `Meeting booked: ${who}, ${when}`,
            text: `Meeting booked with ${who} (${contact}) for ${when}.`,
          }
        : trigger.detail.reason === 'cancelled'
          ? {
              subject: `Meeting cancelled: ${who}, ${when}`,
              text: `Meeting cancelled: ${who} (${contact}) cancelled the meeting of ${when}; it is removed from the calendar.`,
            }
          : {
              subject: `Meeting moved: ${who}, was ${when}`,
              text: `Meeting moved: ${who} (${contact}) asked to move the meeting of ${when}; it is released and new times were offered.`,
            };
    return {
      subject,
      text: `${text}${facts ? `\n${facts}` : ''}`,
      card: { title: subject, fields: [{ label: 'When', value: when }, ...leadFields(lead, profile)] },
    };
  }
  const emergency = scoredReason(lead, trigger.detail.emergency) === 'emergency';
  const reasons = lead.score?.reasons ?? [];
  const why = reasons.join('; ');
  const headline = emergency ? 'EMERGENCY' : 'Hot lead';
  const subject = `${headline}: ${who} (score ${trigger.detail.score})`;
  return {
    subject,
    text: `${headline} (${trigger.detail.score}/100): ${who} (${contact}) via ${lead.channel}.${facts ? `\n${facts}` : ''}${why ? `\nWhy: ${why}` : ''}\n${actNow(lead)}`,
    card: {
      title: subject,
      fields: [
        { label: 'Score', value: `${trigger.detail.score}/100 (${trigger.detail.grade})` },
        { label: 'Via', value: lead.channel === 'sms' ? 'text message' : 'email' },
        ...leadFields(lead, profile),
      ],
      lines: [...(reasons.length > 0 ? [`Why: ${why}`] : []), actNow(lead)],
    },
  };
};

/**
 * A channel that refuses the notification for good (a rep's invalid number or address, an
 * archived Slack channel, a revoked webhook) is a configuration problem: named, and dropped
 * rather than retried until the DLQ. Anything else passes through so SQS retries it.
 */
const naming = async (rep: Rep, send: () => Promise<unknown>): Promise<void> => {
  try {
    await send();
  } catch (error) {
    if (!(error instanceof PermanentError)) throw error;
    throw new PermanentError(`Rep ${rep.id} could not be notified by ${rep.notifyVia}: ${error.message}`, {
      cause: error,
    });
  }
};

const notificationReason = (trigger: NotifyTrigger, lead: Lead) => {
  switch (trigger.detailType) {
    case 'Meeting Booked':
      return 'meeting-booked' as const;
    case 'Meeting Cancelled':
      return trigger.detail.reason === 'cancelled'
        ? ('meeting-cancelled' as const)
        : ('meeting-moved' as const);
    case 'Lead Scored':
      return scoredReason(lead, trigger.detail.emergency);
    case 'Missed Call Handled':
      return 'missed-call' as const;
  }
};

/**
 * Tells the lead's rep, on the channel the rep chose, about a hot lead, an emergency or a
 * meeting booked, moved or cancelled. A text outside the rep's notify hours waits for them
 * (`heldUntil`), unless the business marked the alert urgent (emergencies are, by default);
 * `send-held` sends it then and announces it.
 */
export const notifyRep = async (
  trigger: NotifyTrigger,
  deps: {
    store: Pick<LeadStore, 'getLead' | 'holdRepNotification'>;
    channels: RepChannels;
    publisher: EventPublisher;
    profile: BusinessProfile;
    now?: () => Date;
  },
): Promise<{ rep: Rep; heldUntil?: string }> => {
  const lead = await deps.store.getLead(trigger.detail.leadId);
  if (!lead) throw new PermanentError(`Lead ${trigger.detail.leadId} not found`);
  const repId = trigger.detailType === 'Lead Scored' ? lead.assignedRepId : trigger.detail.repId;
  const rep = deps.profile.reps.find((r) => r.id === repId) ?? assignRep(deps.profile, lead.known.service);
  const message = repMessage(trigger, lead, deps.profile);
  const { chat, email, sms, identity } = deps.channels;
  const alert = notificationReason(trigger, lead);

  switch (rep.notifyVia) {
    case 'slack': {
      const channel = rep.slackChannel;
      if (!channel) throw new PermanentError(`Rep ${rep.id} wants Slack but has no slackChannel`);
      await naming(rep, () =>
        chat.post({
          channel,
          text: message.text,
          card: message.card,
          ...(rep.slackUserId && { mentionUserId: rep.slackUserId }),
        }),
      );
      break;
    }
    case 'email': {
      const to = rep.email;
      if (!to) throw new PermanentError(`Rep ${rep.id} wants email but has no email`);
      await naming(rep, () =>
        email.send({
          to,
          from: { email: identity.emailFrom, name: `Leadline for ${deps.profile.name}` },
          subject: message.subject,
          text: message.text,
        }),
      );
      break;
    }
    case 'sms': {
      const to = rep.phone;
      if (!to) throw new PermanentError(`Rep ${rep.id} wants SMS but has no phone`);
      const when = decideRepNotifyTime({
        now: deps.now?.() ?? now(),
        rep,
        profile: deps.profile,
        alert,
        leadTiming: lead.known.timing,
      });
      if (when.action === 'hold') {
        const sendAt = when.sendAt.toISOString();
        await deps.store.holdRepNotification({
          id: `${rep.id}-${alert}-${trigger.detail.correlationId}`,
          repId: rep.id,
          to,
          body: message.text,
          sendAt,
          leadId: lead.leadId,
          correlationId: trigger.detail.correlationId,
          alert,
        });
        return { rep, heldUntil: sendAt };
      }
      await naming(rep, () => sms.send({ to, from: identity.smsNumber, body: message.text }));
      break;
    }
  }
  await deps.publisher.publish(RepNotified, {
    version: 1,
    leadId: lead.leadId,
    correlationId: trigger.detail.correlationId,
    repId: rep.id,
    via: rep.notifyVia,
    reason: alert,
  });
  return { rep };
};
