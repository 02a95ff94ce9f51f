import type * as z from 'zod';
import {
  type LeadOptedOut,
  type LeadRouted,
  type MeetingBooked,
  type MeetingCancelled,
  type MissedCallHandled,
  RepNotified,
  type RepResponded,
  type RepResponseMissed,
} from '#events/catalog.ts';
import { now } from '#shared/clock.ts';
import { decideRepNotifyTime, type RepAlert } from '#shared/compliance/rep-notify-hours.ts';
import type { BusinessProfile, Contactable } from '#shared/config/business-profile.ts';
import { assignRep } from '#shared/domain/assign-rep.ts';
import { alertReference } from '#shared/domain/routing/rep-command.ts';
import { formatSlot } from '#shared/domain/slots.ts';
import { PermanentError } from '#shared/ports/errors.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import type { Lead, LeadStore } from '#shared/ports/lead-store.ts';
import type { ChatMessage, ChatPoster, EmailSender, SmsSender } from '#shared/ports/outbound.ts';
import type { RepRouting } from '#shared/ports/rep-routing.ts';

export type NotifyTrigger =
  | { detailType: 'Lead Routed'; detail: z.infer<(typeof LeadRouted)['schema']> }
  | { detailType: 'Rep Response Missed'; detail: z.infer<(typeof RepResponseMissed)['schema']> }
  | { detailType: 'Meeting Booked'; detail: z.infer<(typeof MeetingBooked)['schema']> }
  | { detailType: 'Meeting Cancelled'; detail: z.infer<(typeof MeetingCancelled)['schema']> }
  | { detailType: 'Missed Call Handled'; detail: z.infer<(typeof MissedCallHandled)['schema']> }
  | { detailType: 'Lead Opted Out'; detail: z.infer<(typeof LeadOptedOut)['schema']> }
  | { detailType: 'Rep Responded'; detail: z.infer<(typeof RepResponded)['schema']> };

/** Who is told: a rep of the profile, or the manager (`routing.manager`, id `manager`). */
type Person = z.infer<typeof Contactable> & { id: string };

/** The manager's id in `Rep Notified`. */
export const MANAGER_ID = 'manager';

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

/**
 * The lead's time zone when it is not the business's (a Hawaii lead alerted at 8:00 in Chicago is
 * at 4:00): the rep calls within the lead's calling hours, 8 AM to 9 PM at the called party's
 * location (47 CFR 64.1200(c)(1)), narrower in some states. Worded for whenever the rep reads it
 * (an alert may wait for the rep's hours). `at` names the zone (standard or daylight time).
 */
export const theirTime = (
  lead: Lead,
  profile: Pick<BusinessProfile, 'timeZone'>,
  at: Date,
): string | undefined => {
  const zone = lead.localTime?.zones[0] ?? lead.timeZone;
  if (!lead.phone || !zone || zone === profile.timeZone) return undefined;
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'long' })
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')?.value ?? zone;
  return `They are on ${name}: call between 8 AM and 9 PM their time (narrower in some states).`;
};

const personName = (profile: BusinessProfile, repId: string | undefined) =>
  (repId && profile.reps.find((r) => r.id === repId)?.name) || repId || 'a rep';

/**
 * How a rep answers an alert about a routed lead: by text to the business number, with the lead's
 * reference (`alertReference`) so the answer finds the lead whatever alert came after.
 */
const answerLines = (
  trigger: Extract<NotifyTrigger, { detailType: 'Lead Routed' }>,
  rep: Person | undefined,
  lead: Lead,
  profile: BusinessProfile,
  smsNumber: string,
): string[] => {
  const { detail } = trigger;
  const lines: string[] = [];
  if (detail.previousRepId) {
    lines.push(
      `Passed on to you: ${personName(profile, detail.previousRepId)} did not answer within ${profile.routing.responseMinutes} min.`,
    );
  }
  if (!rep?.phone) return lines;
  const ref = alertReference(lead.leadId);
  const to = rep.notifyVia === 'sms' ? 'Reply' : `Text ${smsNumber}`;
  lines.push(
    detail.responseMinutes > 0
      ? `${to} OK ${ref} within ${detail.responseMinutes} min to take the lead, or TAKE ${ref} to text them yourself (Leadline stops).`
      : `${to} TAKE ${ref} to text them yourself (Leadline stops).`,
  );
  return lines;
};

/**
 * What a rep reads: who, how to reach them, what they want, and why it matters now. `text` is
 * the whole of it (email, SMS, chat notification); `card` lays the same out for a chat client.
 * A hot lead lists every reason of its score, so the points can be checked.
 */
export const repMessage = (
  trigger: NotifyTrigger,
  lead: Lead,
  profile: BusinessProfile,
  options: { rep?: Person; smsNumber?: string; at?: Date } = {},
): { subject: string; text: string; card: NonNullable<ChatMessage['card']> } => {
  const { who, contact, facts } = describeLead(lead, profile);
  if (trigger.detailType === 'Lead Opted Out' || trigger.detailType === 'Rep Responded') {
    const ref = alertReference(lead.leadId);
    const { subject, text } =
      trigger.detailType === 'Lead Opted Out'
        ? {
            subject: `Opted out: ${who} (lead ${ref})`,
            text: `Opted out: ${who} (${contact}, lead ${ref}) asked for no more texts. Do not text them again, from any phone.`,
          }
        : {
            subject: `Lead ${ref} taken: ${who}`,
            text: `Lead ${ref}, ${who} (${contact}), is now with ${personName(profile, trigger.detail.repId)}, who took the conversation over. Nothing more to do for you.`,
          };
    return { subject, text, card: { title: subject, fields: leadFields(lead, profile), lines: [text] } };
  }
  if (trigger.detailType === 'Rep Response Missed') {
    const { detail } = trigger;
    const what = `${detail.reason === 'emergency' ? 'the EMERGENCY' : 'the hot lead'} ${who} (${contact})`;
    const next = detail.nextRepId
      ? `It went to ${personName(profile, detail.nextRepId)}.`
      : 'No rep is left to ask: please call them yourself.';
    const subject = `No answer from ${personName(profile, detail.repId)}: ${who}`;
    const text = `${personName(profile, detail.repId)} did not answer ${what} within ${detail.responseMinutes} min. ${next}`;
    return {
      subject,
      text: `${text}${facts ? `\n${facts}` : ''}`,
      card: { title: subject, fields: leadFields(lead, profile), lines: [next] },
    };
  }
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
            text: `Meeting booked with ${who} (${contact}) for ${when}.${options.rep?.phone ? ` If they do not come, ${options.rep.notifyVia === 'sms' ? 'reply' : `text ${options.smsNumber ?? 'the business number'}`} NOSHOW ${alertReference(lead.leadId)}.` : ''}`,
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
  const emergency = trigger.detail.reason === 'emergency';
  const reasons = lead.score?.reasons ?? [];
  const why = reasons.join('; ');
  const headline = emergency ? 'EMERGENCY' : 'Hot lead';
  const score = lead.score ? ` (score ${lead.score.score})` : '';
  const subject = `${headline}: ${who}${score}`;
  const answer = answerLines(trigger, options.rep, lead, profile, options.smsNumber ?? 'the business number');
  const zone = theirTime(lead, profile, options.at ?? now());
  const act = zone ? `${actNow(lead)} ${zone}` : actNow(lead);
  return {
    subject,
    text: `${headline}${lead.score ? ` (${lead.score.score}/100)` : ''}: ${who} (${contact}) via ${lead.channel}.${facts ? `\n${facts}` : ''}${why ? `\nWhy: ${why}` : ''}\n${act}${answer.map((line) => `\n${line}`).join('')}`,
    card: {
      title: subject,
      fields: [
        ...(lead.score ? [{ label: 'Score', value: `${lead.score.score}/100 (${lead.score.grade})` }] : []),
        { label: 'Via', value: lead.channel === 'sms' ? 'text message' : 'email' },
        ...leadFields(lead, profile),
      ],
      lines: [...(reasons.length > 0 ? [`Why: ${why}`] : []), act, ...answer],
    },
  };
};

/**
 * A channel that refuses the notification for good (a rep's invalid number or address, an
 * archived Slack channel, a revoked webhook) is a configuration problem: named, and dropped
 * rather than retried until the DLQ. Anything else passes through so SQS retries it.
 */
const naming = async (rep: Person, send: () => Promise<unknown>): Promise<void> => {
  try {
    await send();
  } catch (error) {
    if (!(error instanceof PermanentError)) throw error;
    throw new PermanentError(`Rep ${rep.id} could not be notified by ${rep.notifyVia}: ${error.message}`, {
      cause: error,
    });
  }
};

const notificationReason = (trigger: NotifyTrigger): RepAlert => {
  switch (trigger.detailType) {
    case 'Meeting Booked':
      return 'meeting-booked' as const;
    case 'Meeting Cancelled':
      return trigger.detail.reason === 'cancelled'
        ? ('meeting-cancelled' as const)
        : ('meeting-moved' as const);
    case 'Lead Routed':
      return trigger.detail.reason;
    case 'Rep Response Missed':
      return 'response-missed';
    case 'Missed Call Handled':
      return 'missed-call' as const;
    case 'Lead Opted Out':
      return 'lead-opted-out' as const;
    case 'Rep Responded':
      return 'lead-taken' as const;
  }
};

/** Alerts a rep may answer (OK, TAKE, NOSHOW): kept in the rep's alert log; the others only inform. */
const ANSWERABLE: ReadonlySet<RepAlert> = new Set(['hot-lead', 'emergency', 'meeting-booked', 'missed-call']);

/**
 * Who a trigger is for: the manager for a missed response (none configured: nobody); for an
 * opt-out, the rep who has the conversation, else the rep it is routed to (none: nobody); for a
 * takeover, the rep it was routed to until then; else its rep.
 */
const recipientOf = (trigger: NotifyTrigger, lead: Lead, profile: BusinessProfile): Person | undefined => {
  if (trigger.detailType === 'Rep Response Missed') {
    const manager = profile.routing.manager;
    return manager ? { ...manager, id: MANAGER_ID } : undefined;
  }
  if (trigger.detailType === 'Lead Opted Out' || trigger.detailType === 'Rep Responded') {
    const repId =
      trigger.detailType === 'Rep Responded'
        ? trigger.detail.releasedRepId
        : (lead.handedToRep?.repId ?? lead.routing?.repId);
    return profile.reps.find((r) => r.id === repId);
  }
  return profile.reps.find((r) => r.id === trigger.detail.repId) ?? assignRep(profile, lead.known.service);
};

/**
 * Tells the rep, on the channel the rep chose, about a lead routed to them (hot, or an emergency;
 * with how to answer it), a meeting booked, moved or cancelled, or a missed call; and the manager
 * (`routing.manager`; without one, nobody) when a rep let a lead's response time run out; the rep
 * who has a lead (took it over, else it is routed to them) when it opts out: text them no more; the
 * rep a lead was routed to when another rep took it over. Each alert a rep may answer is kept first (`RepRouting.recordAlert`), so the rep's text back finds its lead.
 * A text outside the person's notify hours waits for them (`heldUntil`), unless the business marked
 * the alert urgent (emergencies are, by default); `send-held` sends it then and announces it.
 */
export const notifyRep = async (
  trigger: NotifyTrigger,
  deps: {
    store: Pick<LeadStore, 'getLead' | 'holdRepNotification'>;
    alerts: Pick<RepRouting, 'recordAlert'>;
    channels: RepChannels;
    publisher: EventPublisher;
    profile: BusinessProfile;
    now?: () => Date;
  },
): Promise<{ rep?: Person; heldUntil?: string }> => {
  const lead = await deps.store.getLead(trigger.detail.leadId);
  if (!lead) throw new PermanentError(`Lead ${trigger.detail.leadId} not found`);
  const rep = recipientOf(trigger, lead, deps.profile);
  if (!rep) return {};
  const { chat, email, sms, identity } = deps.channels;
  const message = repMessage(trigger, lead, deps.profile, { rep, smsNumber: identity.smsNumber });
  const alert = notificationReason(trigger);
  const at = deps.now?.() ?? now();
  if (rep.id !== MANAGER_ID && ANSWERABLE.has(alert)) {
    await deps.alerts.recordAlert({
      repId: rep.id,
      leadId: lead.leadId,
      reference: alertReference(lead.leadId),
      reason: alert,
      at: at.toISOString(),
    });
  }

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
        now: at,
        rep,
        profile: deps.profile,
        // The manager hears about a missed emergency at once, as the rep would have.
        alert: trigger.detailType === 'Rep Response Missed' ? trigger.detail.reason : alert,
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
