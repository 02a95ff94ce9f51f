import type * as z from 'zod';
import { type FollowUpDue, FollowUpDue as FollowUpDueEvent, FollowUpSent } from '#events/catalog.ts';
import type { BusinessProfile } from '#shared/config/business-profile.ts';
import { followUpDueAt } from '#shared/domain/conversation/cadence.ts';
import { followsUpLead } from '#shared/domain/conversation/stage.ts';
import { conversationText } from '#shared/domain/conversation/templates.ts';
import { templatesFor } from '#shared/domain/reply/templates.ts';
import type { LeadMessenger, SendOutcome } from '#shared/messaging/lead-messenger.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import type { Lead, LeadMessage, LeadStore } from '#shared/ports/lead-store.ts';
import type { Timers } from '#shared/ports/timers.ts';
import { followUpTimer } from './timers.ts';

type Due = z.infer<(typeof FollowUpDue)['schema']>;

/**
 * The follow-up's words, for where the conversation stopped; a step after the first (`step`, from
 * 1) that is not the last is worded anew, so two follow-ups never read the same.
 */
export const followUpText = (
  lead: Lead,
  anchor: LeadMessage | undefined,
  last: boolean,
  profile: BusinessProfile,
  step = 1,
): string => {
  const language = lead.known.language;
  const options = { language, overrides: profile.conversationTemplates };
  const reply = templatesFor(language, profile.replyTemplates);
  const name = lead.name?.trim().split(/\s+/)[0];
  const service = profile.services.find((s) => s.name.toLowerCase() === lead.known.service?.toLowerCase());
  const topic = service
    ? (service.translations[language ?? '']?.name ?? service.name).toLowerCase()
    : (lead.known.need ?? conversationText('topicDefault', {}, options));
  if (last) return conversationText('followUpLast', { name, topic }, options);
  if (lead.source === 'missed-call' && anchor?.purpose === 'missed-call') {
    return conversationText('followUpMissedCall', { name, business: profile.name }, options);
  }
  const kind = reply.meetingKinds[profile.meeting.kind] ?? profile.meeting.kind;
  if (lead.stage === 'meeting_offered') {
    const link = anchor?.body.match(/https?:\/\/\S+/)?.[0];
    if (link) return conversationText('followUpLink', { name, kind, link }, options);
    if ((lead.offeredSlots?.length ?? 0) > 0)
      return conversationText('followUpSlots', { name, kind }, options);
  }
  const question = !lead.known.need
    ? reply.questions.need.alone
    : !lead.known.location && profile.serviceArea.places.length > 0
      ? reply.questions.location.alone
      : undefined;
  const again = step > 1;
  if (question) {
    const key = again ? 'followUpDetailsAgain' : 'followUpDetails';
    return conversationText(key, { name, business: profile.name, question }, options);
  }
  return conversationText(again ? 'followUpQualifiedAgain' : 'followUpQualified', { name, topic }, options);
};

/**
 * A follow-up step fell due. It goes only if it is still the lead's pending step (nothing ended
 * the follow-ups since: a reply, a booking, an opt-out, a rep taking over) and the lead has written
 * nothing since the text it follows; then through the messenger as a business-initiated text
 * (opt-out, calling windows, once per step: it answers `fu<step>-<anchor>`), and the next step's
 * timer is set. A stale timer finds nothing to do.
 */
export const sendFollowUp = async (
  due: Due,
  deps: {
    store: LeadStore;
    messenger: LeadMessenger;
    timers: Timers;
    publisher: EventPublisher;
    profile: BusinessProfile;
  },
): Promise<SendOutcome | { status: 'stale'; reason: string }> => {
  const { lead, messages } = await deps.store.getConversation(due.leadId);
  const pending = lead?.followUp;
  if (!lead || !pending || pending.done || pending.anchor !== due.anchor || pending.step !== due.step) {
    return { status: 'stale', reason: 'the follow-ups of this silence ended or moved on' };
  }
  if (!followsUpLead(lead)) {
    const reason =
      lead.routing || lead.handedToRep ? 'a rep has the lead' : `the conversation is ${lead.stage}`;
    return { status: 'stale', reason };
  }
  if (messages.some((m) => m.direction === 'in' && m.at > pending.anchorAt)) {
    return { status: 'stale', reason: 'the lead wrote since' };
  }
  const cadence = deps.profile.followUps.cadence;
  const last = due.step >= cadence.length;
  const anchor = messages.find((m) => m.messageId === due.anchor);
  const outcome = await deps.messenger.send({
    lead,
    channel: lead.channel,
    kind: 'initiated',
    purpose: `follow-up-${due.step}`,
    answering: `fu${due.step}-${due.anchor}`,
    text: followUpText(lead, anchor, last, deps.profile, due.step),
  });
  const next = cadence[due.step];
  const nextAt =
    next && outcome.status !== 'suppressed'
      ? followUpDueAt(next, new Date(pending.dueAt), deps.profile)
      : undefined;
  const nextTimer = nextAt ? followUpTimer(lead.leadId, due.anchor, due.step + 1) : undefined;
  await deps.store.modifyLead(
    lead.leadId,
    (current) =>
      current.followUp?.anchor !== due.anchor || current.followUp.step !== due.step
        ? null
        : {
            followUp: {
              ...current.followUp,
              lastSentStep: due.step,
              ...(nextAt && nextTimer
                ? { step: due.step + 1, dueAt: nextAt.toISOString(), timer: nextTimer }
                : { done: true }),
            },
          },
    // Against the lead read above: a conflict (the lead wrote meanwhile) reads it again.
    { current: lead },
  );
  if (nextAt && nextTimer) {
    await deps.timers.set({
      name: nextTimer,
      at: nextAt,
      event: FollowUpDueEvent,
      detail: {
        version: 1,
        leadId: lead.leadId,
        correlationId: due.correlationId,
        anchor: due.anchor,
        step: due.step + 1,
      },
    });
  }
  if (outcome.status === 'sent' || outcome.status === 'held') {
    await deps.publisher.publish(FollowUpSent, {
      version: 1,
      leadId: lead.leadId,
      correlationId: due.correlationId,
      anchor: due.anchor,
      step: due.step,
      outboundMessageId: outcome.outboundMessageId,
      status: outcome.status,
      last: !nextAt,
    });
  }
  return outcome;
};
