import type * as z from 'zod';
import type {
  HelpRequested,
  LeadOptedIn,
  LeadOptedOut,
  LeadScored,
  MeetingBooked,
  MeetingCancelled,
  MeetingSlotsOffered,
} from '#events/catalog.ts';
import { now as clockNow } from '#shared/clock.ts';
import type { BusinessProfile } from '#shared/config/business-profile.ts';
import { upcomingMeeting } from '#shared/domain/facts.ts';
import { missingDetails, type ReplyContext, type ReplyKind } from '#shared/domain/reply.ts';
import {
  type LeadMessenger,
  outboundMessageIdFor,
  type SendKind,
  type SendOutcome,
} from '#shared/messaging/lead-messenger.ts';
import { announceReplySent } from '#shared/messaging/reply-sent.ts';
import { PermanentError, TransientError } from '#shared/ports/errors.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import type { AnswerRoute, Lead, LeadMessage, LeadStore, Meeting } from '#shared/ports/lead-store.ts';
import type { ComposedBy, ReplyDrafter } from '#shared/ports/reply-drafter.ts';
import { awaitedInBurst, planAnswer, settledConversation, withPending } from './burst.ts';
import { type DraftLogger, draftOrTemplate } from './draft-reply.ts';

type Detail<E extends { schema: z.ZodType }> = z.infer<E['schema']>;

export type RespondTrigger =
  | { detailType: 'Lead Scored'; detail: Detail<typeof LeadScored> }
  | { detailType: 'Meeting Slots Offered'; detail: Detail<typeof MeetingSlotsOffered> }
  | { detailType: 'Meeting Booked'; detail: Detail<typeof MeetingBooked> }
  | { detailType: 'Meeting Cancelled'; detail: Detail<typeof MeetingCancelled> }
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
      if (trigger.detail.reason === 'rescheduled') return { kind: 'meeting-moved', send: 'reply' };
      // A lead's very first answer thanks them, answers what it can and offers the times in one text.
      return { kind: isFirstReply ? 'first-reply' : 'slots-offered', send: 'reply' };
    case 'Meeting Booked':
      return { kind: 'meeting-booked', send: 'reply' };
    case 'Meeting Cancelled':
      return { kind: 'meeting-cancelled', send: 'reply' };
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
export interface RespondDeps {
  store: LeadStore;
  messenger: LeadMessenger;
  publisher: EventPublisher;
  profile: BusinessProfile;
  /** Absent: every reply comes from the templates. */
  drafter?: ReplyDrafter | undefined;
  logger?: DraftLogger | undefined;
  /** How long an answer waits for the rest of its burst to be read (`burst.ts`). */
  settlePatienceMs?: number;
  now?: () => Date;
}

export type RespondOutcome = SendOutcome & {
  answeredAt?: string;
  speedToLeadMs?: number;
  composedBy: ComposedBy;
  /** The answer was given before (a redelivery): only reported again. */
  repeated?: boolean;
};

/**
 * Idempotent by its own writes (the messenger's claimed answer, `out-<message id>`): a trigger
 * delivered again finds the answer in the conversation it reads and reports it (announcing
 * `Reply Sent` again, the same event) without composing anything.
 */
export const respond = async (trigger: RespondTrigger, deps: RespondDeps): Promise<RespondOutcome> => {
  const { detail } = trigger;
  const route: AnswerRoute = trigger.detailType === 'Lead Scored' ? 'conversation' : 'action';
  let conversation = await settledConversation(deps.store, detail.leadId, detail.messageId, {
    patienceMs: deps.settlePatienceMs,
  });
  for (let round = 1; ; round++) {
    const { messages } = conversation;
    const lead = conversation.lead;
    if (!lead) throw new PermanentError(`Lead ${detail.leadId} not found`);
    const earlier = messages.find((m) => m.messageId === outboundMessageIdFor(detail.messageId));
    // Answered before (a redelivery): report it. A send a crash interrupted (`sending`) is resumed
    // by the messenger with the answer composed again (an email needs its subject and HTML).
    if (earlier && earlier.status !== 'sending') return reportEarlier(trigger, lead, earlier, messages, deps);
    // Messages a webhook is accepting count as unread: the burst is not over until they are read.
    const awaited = awaitedInBurst(withPending(conversation), detail.messageId, deps.now?.() ?? clockNow());
    if (awaited.length > 0) {
      // Answering now could answer twice (an action still to come) or miss facts: later, once read.
      throw new TransientError(
        `${awaited.length} other message(s) of this burst are not read yet (${awaited.map((m) => m.messageId).join(', ')})`,
      );
    }
    const plan = planAnswer(messages, detail.messageId, route);
    if (!plan.answer) {
      const outcome = await deps.messenger.supersede({
        lead,
        channel: detail.channel,
        answering: detail.messageId,
        by: plan.by,
      });
      return { ...outcome, composedBy: 'template' };
    }
    const composed = await compose(trigger, lead, messages, conversation.meetings, deps);
    // A message that arrived while the answer was being written joins the burst: read again.
    const latest = await deps.store.getConversation(lead.leadId);
    if (round < MAX_COMPOSE_ROUNDS && hasNewMessages(withPending(latest), messages)) {
      conversation = await settledConversation(deps.store, lead.leadId, detail.messageId, {
        patienceMs: deps.settlePatienceMs,
      });
      continue;
    }
    return send(trigger, latest.lead ?? lead, composed, latest.messages, deps);
  }
};

/** Rounds of "compose, then find the burst grew" before the answer goes with what it knows. */
const MAX_COMPOSE_ROUNDS = 3;

const hasNewMessages = (latest: readonly LeadMessage[], known: readonly LeadMessage[]) => {
  const seen = new Set(known.map((m) => m.messageId));
  return latest.some((m) => m.direction === 'in' && !m.automated && !seen.has(m.messageId));
};

/** The answer an earlier delivery gave, as the messenger reports it, announced again if it went out. */
const reportEarlier = async (
  trigger: RespondTrigger,
  lead: Lead,
  earlier: LeadMessage,
  messages: LeadMessage[],
  deps: RespondDeps,
): Promise<RespondOutcome> => {
  const { detail } = trigger;
  const composedBy = earlier.composedBy ?? 'template';
  const answered = messages.find((m) => m.messageId === detail.messageId);
  const purpose = earlier.purpose ?? 'reply';
  const outcome = await deps.messenger.send({
    lead,
    channel: detail.channel,
    kind: replyFor(trigger, false).send,
    purpose,
    answering: detail.messageId,
    text: earlier.body,
    composedBy,
    conversation: messages,
  });
  if (outcome.status !== 'sent') return { ...outcome, composedBy, repeated: true };
  return {
    ...(await announceSent(trigger, lead, outcome, { purpose, composedBy, answered }, deps)),
    repeated: true,
  };
};

/** Announces an answer that went out (`Reply Sent`) and reports it, with the speed to lead when it is the first. */
const announceSent = async (
  trigger: RespondTrigger,
  lead: Lead,
  outcome: Extract<SendOutcome, { status: 'sent' }>,
  sent: { purpose: string; composedBy: RespondOutcome['composedBy']; answered: LeadMessage | undefined },
  deps: RespondDeps,
): Promise<RespondOutcome> => {
  const { detail } = trigger;
  const { purpose, composedBy, answered } = sent;
  const { speedToLeadMs } = await announceReplySent(
    {
      lead,
      correlationId: detail.correlationId,
      messageId: detail.messageId,
      outboundMessageId: outcome.outboundMessageId,
      channel: detail.channel,
      purpose,
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

interface Composed {
  kind: ReplyKind;
  send: SendKind;
  reply: { text: string; subject?: string; html?: string };
  composedBy: ComposedBy;
  answered: LeadMessage | undefined;
}

/** The words of the answer, from the lead as it is now (every message of the burst read). */
const compose = async (
  trigger: RespondTrigger,
  lead: Lead,
  messages: LeadMessage[],
  meetings: Meeting[],
  deps: RespondDeps,
): Promise<Composed> => {
  const { detail } = trigger;
  const answered = messages.find((m) => m.messageId === detail.messageId);
  const isFirstReply = !messages.some((m) => m.direction === 'out' && m.status === 'sent');
  const { kind, send } = replyFor(trigger, isFirstReply);

  const q = lead.qualification;
  const { known } = lead;
  const now = answered?.at ? new Date(answered.at) : clockNow();
  // The meeting this message cancelled or released, for "your visit on … is cancelled".
  const released = meetings.find((m) => m.cancelled?.messageId === detail.messageId);
  const context: ReplyContext = {
    kind,
    // A WhatsApp answer is written like a text: short, plain, one paragraph.
    channel: detail.channel === 'email' ? 'email' : 'sms',
    profile: deps.profile,
    lead: { name: lead.name, phone: lead.phone },
    qualification: q,
    known,
    missing: q
      ? missingDetails(q, {
          ...(lead.name && { name: lead.name }),
          ...(lead.email && { email: lead.email }),
          ...(known.location && { location: known.location }),
          ...(known.need && { need: known.need }),
          ...(known.timing && { timing: known.timing }),
          ...(known.urgency && { urgency: known.urgency }),
        })
      : [],
    ...(trigger.detailType === 'Meeting Slots Offered' && {
      slots: trigger.detail.slots.map((s) => ({ start: new Date(s.start), end: new Date(s.end) })),
      ...(trigger.detail.bookingUrl && { bookingUrl: trigger.detail.bookingUrl }),
    }),
    ...(trigger.detailType === 'Meeting Booked' && {
      meeting: { start: new Date(trigger.detail.start), end: new Date(trigger.detail.end) },
    }),
    ...(trigger.detailType === 'Meeting Cancelled' && {
      previousMeeting: { start: new Date(trigger.detail.start), end: new Date(trigger.detail.end) },
    }),
    ...(released && { previousMeeting: { start: new Date(released.start), end: new Date(released.end) } }),
    booked: upcomingMeeting(meetings, now) !== undefined,
    hot: trigger.detailType === 'Lead Scored' && trigger.detail.grade === 'hot',
    inboundSubject: answered?.subject ?? lead.emailThread?.subject,
    // Times are written in the business's zone (with its abbreviation), the zone a pick such as
    // "Tuesday at 10" is read in.
    timeZone: deps.profile.timeZone,
    language: known.language ?? q?.language,
  };
  const { reply, composedBy } = await draftOrTemplate(
    context,
    {
      // Lead Scored asks for words alone; the other triggers carry slots, links or a booking.
      wordsOnly: trigger.detailType === 'Lead Scored',
      answered,
      messages,
      known: {
        ...(known.need && { need: known.need }),
        ...(known.service && { service: known.service }),
        ...(known.location && { location: known.location }),
        ...(known.timing && { timing: known.timing }),
        ...(known.urgency && { urgency: known.urgency }),
      },
    },
    // A lead a rep took over gets no automatic answer (the messenger holds it back): no model call for it.
    lead.handedToRep ? { ...deps, drafter: undefined } : deps,
  );
  return { kind, send, reply, composedBy, answered };
};

/** Sends the answer through the messenger (with the conversation just read) and announces it when it went out. */
const send = async (
  trigger: RespondTrigger,
  lead: Lead,
  composed: Composed,
  conversation: LeadMessage[],
  deps: RespondDeps,
): Promise<RespondOutcome> => {
  const { detail } = trigger;
  const { kind, reply, composedBy, answered } = composed;
  const outcome = await deps.messenger.send({
    lead,
    channel: detail.channel,
    kind: composed.send,
    purpose: kind,
    answering: detail.messageId,
    ...(answered && { answeredAt: answered.at }),
    text: reply.text,
    ...(reply.subject && { subject: reply.subject }),
    ...(reply.html && { html: reply.html }),
    composedBy,
    conversation,
  });
  if (outcome.status !== 'sent') return { ...outcome, composedBy };
  return announceSent(trigger, lead, outcome, { purpose: kind, composedBy, answered }, deps);
};
