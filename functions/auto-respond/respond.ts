import type * as z from 'zod';
import type {
  HelpRequested,
  LeadOptedIn,
  LeadOptedOut,
  LeadScored,
  MeetingBooked,
  MeetingSlotsOffered,
} from '#events/catalog.ts';
import type { BusinessProfile } from '#shared/config/business-profile.ts';
import { missingDetails, type ReplyContext, type ReplyKind } from '#shared/domain/reply.ts';
import type { LeadMessenger, SendKind, SendOutcome } from '#shared/messaging/lead-messenger.ts';
import { announceReplySent } from '#shared/messaging/reply-sent.ts';
import { PermanentError } from '#shared/ports/errors.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import type { LeadStore } from '#shared/ports/lead-store.ts';
import type { ComposedBy, ReplyDrafter } from '#shared/ports/reply-drafter.ts';
import { type DraftLogger, draftOrTemplate } from './draft-reply.ts';

type Detail<E extends { schema: z.ZodType }> = z.infer<E['schema']>;

export type RespondTrigger =
  | { detailType: 'Lead Scored'; detail: Detail<typeof LeadScored> }
  | { detailType: 'Meeting Slots Offered'; detail: Detail<typeof MeetingSlotsOffered> }
  | { detailType: 'Meeting Booked'; detail: Detail<typeof MeetingBooked> }
  | { detailType: 'Lead Opted Out'; detail: Detail<typeof LeadOptedOut> }
  | { detailType: 'Lead Opted In'; detail: Detail<typeof LeadOptedIn> }
  | { detailType: 'Help Requested'; detail: Detail<typeof HelpRequested> };

/** Which reply a trigger calls for, and how the sending path must treat it. */
const replyFor = (trigger: RespondTrigger, isFirstReply: boolean): { kind: ReplyKind; send: SendKind } => {
  switch (trigger.detailType) {
    case 'Lead Scored':
      return { kind: isFirstReply ? 'first-reply' : 'follow-up-reply', send: 'reply' };
    case 'Meeting Slots Offered':
      if (trigger.detail.reason === 'slot-taken') return { kind: 'slot-taken', send: 'reply' };
      // A lead's very first answer thanks them, answers what it can and offers the times in one text.
      return { kind: isFirstReply ? 'first-reply' : 'slots-offered', send: 'reply' };
    case 'Meeting Booked':
      return { kind: 'meeting-booked', send: 'reply' };
    case 'Lead Opted Out':
      return { kind: 'opt-out-confirmation', send: 'opt-out-confirmation' };
    case 'Lead Opted In':
      return { kind: 'opt-in-confirmation', send: 'opt-in-confirmation' };
    case 'Help Requested':
      return { kind: 'help', send: 'reply' };
  }
};

/**
 * Composes the reply a trigger calls for (worded by the drafter when there is one and the reply
 * is a free-text answer, else by the templates) and sends it on the lead's channel through the
 * messenger, which enforces opt-out and quiet hours. Publishes `Reply Sent` when it went out.
 */
export const respond = async (
  trigger: RespondTrigger,
  deps: {
    store: LeadStore;
    messenger: LeadMessenger;
    publisher: EventPublisher;
    profile: BusinessProfile;
    /** Absent: every reply comes from the templates. */
    drafter?: ReplyDrafter | undefined;
    logger?: DraftLogger | undefined;
  },
): Promise<SendOutcome & { answeredAt?: string; speedToLeadMs?: number; composedBy: ComposedBy }> => {
  const { detail } = trigger;
  const lead = await deps.store.getLead(detail.leadId);
  if (!lead) throw new PermanentError(`Lead ${detail.leadId} not found`);
  const messages = await deps.store.getMessages(lead.leadId);
  const answered = messages.find((m) => m.messageId === detail.messageId);
  const isFirstReply = !messages.some((m) => m.direction === 'out' && m.status === 'sent');
  const { kind, send } = replyFor(trigger, isFirstReply);

  const q = lead.qualification;
  const context: ReplyContext = {
    kind,
    channel: detail.channel,
    profile: deps.profile,
    lead: { name: lead.name },
    qualification: q,
    missing: q
      ? missingDetails(q, {
          ...(lead.name && { name: lead.name }),
          ...(lead.email && { email: lead.email }),
          ...(lead.known.location && { location: lead.known.location }),
          ...(lead.known.need && { need: lead.known.need }),
        })
      : [],
    ...(trigger.detailType === 'Meeting Slots Offered' && {
      slots: trigger.detail.slots.map((s) => ({ start: new Date(s.start), end: new Date(s.end) })),
      ...(trigger.detail.bookingUrl && { bookingUrl: trigger.detail.bookingUrl }),
    }),
    ...(trigger.detailType === 'Meeting Booked' && {
      meeting: { start: new Date(trigger.detail.start), end: new Date(trigger.detail.end) },
    }),
    inboundSubject: answered?.subject ?? lead.emailThread?.subject,
    // Times are written in the business's zone (with its abbreviation), the zone a pick such as
    // "Tuesday at 10" is read in.
    timeZone: deps.profile.timeZone,
  };
  const { reply, composedBy } = await draftOrTemplate(
    context,
    {
      // Lead Scored asks for words alone; the other triggers carry slots, links or a booking.
      wordsOnly: trigger.detailType === 'Lead Scored',
      answered,
      messages,
      known: {
        ...(lead.known.need && { need: lead.known.need }),
        ...(lead.known.service && { service: lead.known.service }),
        ...(lead.known.location && { location: lead.known.location }),
        ...(lead.known.timing && { timing: lead.known.timing }),
      },
    },
    deps,
  );

  const outcome = await deps.messenger.send({
    lead,
    channel: detail.channel,
    kind: send,
    purpose: kind,
    answering: detail.messageId,
    ...(answered && { answeredAt: answered.at }),
    text: reply.text,
    ...(reply.subject && { subject: reply.subject }),
    ...(reply.html && { html: reply.html }),
    composedBy,
  });
  if (outcome.status !== 'sent') return { ...outcome, composedBy };

  const { speedToLeadMs } = await announceReplySent(
    {
      lead,
      correlationId: detail.correlationId,
      messageId: detail.messageId,
      outboundMessageId: outcome.outboundMessageId,
      channel: detail.channel,
      purpose: kind,
      sentAt: outcome.sentAt,
      composedBy,
    },
    deps,
  );
  return {
    ...outcome,
    composedBy,
    ...(answered && { answeredAt: answered.at }),
    ...(speedToLeadMs !== undefined && { speedToLeadMs }),
  };
};
