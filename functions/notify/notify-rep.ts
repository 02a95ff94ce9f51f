import type * as z from 'zod';
import { type LeadScored, type MeetingBooked, RepNotified } from '#events/catalog.ts';
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
  | { detailType: 'Meeting Booked'; detail: z.infer<(typeof MeetingBooked)['schema']> };

export interface RepChannels {
  chat: ChatPoster;
  email: EmailSender;
  sms: SmsSender;
  identity: { smsNumber: string; emailFrom: string };
}

const describeLead = (lead: Lead) => {
  const who = lead.name ?? 'New lead';
  const contact = [lead.phone, lead.email].filter(Boolean).join(', ');
  const facts = [lead.known.need, lead.known.location, lead.known.timing && `timing: ${lead.known.timing}`]
    .filter(Boolean)
    .join(' | ');
  return { who, contact, facts };
};

/** The lead's facts as labelled fields, for a chat card. */
const leadFields = (lead: Lead, contact: string): Array<{ label: string; value: string }> =>
  [
    { label: 'Contact', value: contact },
    { label: 'Need', value: lead.known.need ?? lead.known.service },
    { label: 'Location', value: lead.known.location },
    { label: 'Timing', value: lead.known.timing },
  ].filter((field): field is { label: string; value: string } => Boolean(field.value));

/**
 * What a rep reads: who, how to reach them, what they want, and why it matters now. `text` is
 * the whole of it (email, SMS, chat notification); `card` lays the same out for a chat client.
 */
export const repMessage = (
  trigger: NotifyTrigger,
  lead: Lead,
  profile: BusinessProfile,
): { subject: string; text: string; card: NonNullable<ChatMessage['card']> } => {
  const { who, contact, facts } = describeLead(lead);
  if (trigger.detailType === 'Meeting Booked') {
    const when = formatSlot({ start: new Date(trigger.detail.start) }, profile.timeZone);
    const subject = `Meeting booked: ${who}, ${when}`;
    return {
      subject,
      text: `Meeting booked with ${who} (${contact}) for ${when}.${facts ? `\n${facts}` : ''}`,
      card: { title: subject, fields: [{ label: 'When', value: when }, ...leadFields(lead, contact)] },
    };
  }
  const topReasons = lead.score?.reasons.slice(0, 4) ?? [];
  const reasons = topReasons.join('; ');
  const subject = `Hot lead: ${who} (score ${trigger.detail.score})`;
  return {
    subject,
    text: `Hot lead (${trigger.detail.score}/100): ${who} (${contact}) via ${lead.channel}.${facts ? `\n${facts}` : ''}${reasons ? `\nWhy: ${reasons}` : ''}\nCall them now.`,
    card: {
      title: subject,
      fields: [
        { label: 'Score', value: `${trigger.detail.score}/100 (${trigger.detail.grade})` },
        { label: 'Via', value: lead.channel === 'sms' ? 'text message' : 'email' },
        ...leadFields(lead, contact),
      ],
      lines: [...(topReasons.length > 0 ? [`Why: ${reasons}`] : []), 'Call them now.'],
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

/**
 * Tells the lead's rep, on the channel the rep chose, about a hot lead or a booked meeting. A text
 * outside the rep's notify hours waits for them (`heldUntil`), unless the business marked the
 * alert urgent; `send-held` sends it then and announces it.
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
  const repId = trigger.detailType === 'Meeting Booked' ? trigger.detail.repId : lead.assignedRepId;
  const rep = deps.profile.reps.find((r) => r.id === repId) ?? assignRep(deps.profile, lead.known.service);
  const message = repMessage(trigger, lead, deps.profile);
  const { chat, email, sms, identity } = deps.channels;
  const alert = trigger.detailType === 'Meeting Booked' ? 'meeting-booked' : 'hot-lead';

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
        now: deps.now?.() ?? new Date(),
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
