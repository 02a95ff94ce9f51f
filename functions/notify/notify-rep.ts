import type { z } from 'zod';
import { type LeadScored, type MeetingBooked, RepNotified } from '#events/catalog.ts';
import type { BusinessProfile, Rep } from '#shared/config/business-profile.ts';
import { assignRep } from '#shared/domain/assign-rep.ts';
import { formatSlot } from '#shared/domain/slots.ts';
import { PermanentError } from '#shared/ports/errors.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import type { Lead, LeadStore } from '#shared/ports/lead-store.ts';
import type { ChatPoster, EmailSender, SmsSender } from '#shared/ports/outbound.ts';

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

/** The text a rep reads: who, how to reach them, what they want, and why it matters now. */
export const repMessage = (trigger: NotifyTrigger, lead: Lead, profile: BusinessProfile) => {
  const { who, contact, facts } = describeLead(lead);
  if (trigger.detailType === 'Meeting Booked') {
    const when = formatSlot({ start: new Date(trigger.detail.start) }, profile.timeZone);
    return {
      subject: `Meeting booked: ${who}, ${when}`,
      text: `Meeting booked with ${who} (${contact}) for ${when}.${facts ? `\n${facts}` : ''}`,
    };
  }
  const reasons = lead.score?.reasons.slice(0, 4).join('; ') ?? '';
  return {
    subject: `Hot lead: ${who} (score ${trigger.detail.score})`,
    text: `Hot lead (${trigger.detail.score}/100): ${who} (${contact}) via ${lead.channel}.${facts ? `\n${facts}` : ''}${reasons ? `\nWhy: ${reasons}` : ''}\nCall them now.`,
  };
};

/** Tells the lead's rep, on the channel the rep chose, about a hot lead or a booked meeting. */
export const notifyRep = async (
  trigger: NotifyTrigger,
  deps: {
    store: Pick<LeadStore, 'getLead'>;
    channels: RepChannels;
    publisher: EventPublisher;
    profile: BusinessProfile;
  },
): Promise<{ rep: Rep }> => {
  const lead = await deps.store.getLead(trigger.detail.leadId);
  if (!lead) throw new PermanentError(`Lead ${trigger.detail.leadId} not found`);
  const repId = trigger.detailType === 'Meeting Booked' ? trigger.detail.repId : lead.assignedRepId;
  const rep = deps.profile.reps.find((r) => r.id === repId) ?? assignRep(deps.profile, lead.known.service);
  const message = repMessage(trigger, lead, deps.profile);
  const { chat, email, sms, identity } = deps.channels;

  switch (rep.notifyVia) {
    case 'slack':
      if (!rep.slackChannel) throw new PermanentError(`Rep ${rep.id} wants Slack but has no slackChannel`);
      await chat.post({ channel: rep.slackChannel, text: message.text });
      break;
    case 'email':
      if (!rep.email) throw new PermanentError(`Rep ${rep.id} wants email but has no email`);
      await email.send({
        to: rep.email,
        from: { email: identity.emailFrom, name: `Leadline for ${deps.profile.name}` },
        subject: message.subject,
        text: message.text,
      });
      break;
    case 'sms':
      if (!rep.phone) throw new PermanentError(`Rep ${rep.id} wants SMS but has no phone`);
      await sms.send({ to: rep.phone, from: identity.smsNumber, body: message.text });
      break;
  }
  await deps.publisher.publish(RepNotified, {
    version: 1,
    leadId: lead.leadId,
    correlationId: trigger.detail.correlationId,
    repId: rep.id,
    via: rep.notifyVia,
    reason: trigger.detailType === 'Meeting Booked' ? 'meeting-booked' : 'hot-lead',
  });
  return { rep };
};
