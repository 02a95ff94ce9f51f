import type * as z from 'zod';
import { type CallMissed, MissedCallHandled } from '#events/catalog.ts';
import { now } from '#shared/clock.ts';
import { localTimeFor } from '#shared/compliance/local-time.ts';
import type { BusinessProfile } from '#shared/config/business-profile.ts';
import { assignRep } from '#shared/domain/assign-rep.ts';
import { conversationText } from '#shared/domain/conversation/templates.ts';
import type { LeadMessenger } from '#shared/messaging/lead-messenger.ts';
import { announceReplySent } from '#shared/messaging/reply-sent.ts';
import { RecipientNotTextableError } from '#shared/ports/errors.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import type { Lead, LeadStore } from '#shared/ports/lead-store.ts';

type Missed = z.infer<(typeof CallMissed)['schema']>;
type TextBack = z.infer<(typeof MissedCallHandled)['schema']>['textBack'];

/**
 * Whether this call may text the caller back: not when another missed call of theirs got (or is
 * getting) a text back less than `hours` before it. The call that holds the claim keeps it, so a
 * redelivered call still finishes its own text back.
 */
const mayTextBack = (lead: Lead, call: Missed, hours: number): boolean => {
  const last = lead.missedCallTextBack;
  if (!last || last.messageId === call.messageId) return true;
  return Date.parse(call.receivedAt) - Date.parse(last.at) >= hours * 3_600_000;
};

/**
 * A call nobody answered: the caller becomes (or stays) an SMS lead whose conversation starts
 * with the call (`source: missed-call` when the call came first), gets one text back through the
 * messenger as a business-initiated text (opt-out, calling windows, once per call: it answers
 * `call-<CallSid>`), and the rep is told (`Missed Call Handled`, which `notify` reads).
 *
 * Landlines do not loop: a number Twilio refuses as not a mobile (21614), or whose text a status
 * callback reports undeliverable to a landline (30006), is marked unreachable, and a later missed
 * call from it is not texted (the rep is told to call back) until the person texts the business.
 *
 * One text back per caller per `missedCalls.textBackOncePerHours`: a caller who rings again
 * within it has the call on their timeline, but gets no second apology and the rep no second
 * alert (`textBack: 'repeat'`, nothing published): the first alert already asks for a call back.
 * The claim is a conditional write on the lead, so two calls handled at once text once.
 */
export const textBackMissedCall = async (
  call: Missed,
  deps: { store: LeadStore; messenger: LeadMessenger; publisher: EventPublisher; profile: BusinessProfile },
): Promise<{ textBack: TextBack | 'repeat'; sentAt?: string }> => {
  const { store, profile } = deps;
  const localTime = localTimeFor({
    phone: call.from,
    fromState: call.fromState,
    businessTimeZone: profile.timeZone,
  });
  const message = {
    messageId: call.messageId,
    channel: 'sms' as const,
    body: `(missed call: ${call.dialCallStatus})`,
    at: call.receivedAt,
  };
  await store.recordInbound({
    leadId: call.leadId,
    contact: call.from,
    channel: 'sms',
    phone: call.from,
    timeZone: localTime.zones[0] ?? profile.timeZone,
    localTime,
    message,
  });
  // Read, and answered by its own text-back (not by a later message's answer).
  await store.settleInbound(call, { intent: 'new_lead', answer: 'none', at: call.receivedAt });
  let lead = await store.modifyLead(call.leadId, (current) => {
    const changes = {
      ...(!current.source &&
        current.firstInboundAt === call.receivedAt && { source: 'missed-call' as const }),
      ...(!current.assignedRepId && { assignedRepId: assignRep(profile, current.known.service).id }),
    };
    return Object.keys(changes).length > 0 ? changes : null;
  });
  await store.recordConsentEvent({
    contact: call.from,
    id: `first_contact-${call.messageId}`,
    at: call.receivedAt,
    channel: 'sms',
    event: 'first_contact',
    signal: 'inbound-call',
    detail: `the caller phoned the business (${call.dialCallStatus}); the text back answers the call`,
    effect: 'none',
    messageId: call.messageId,
    leadId: call.leadId,
  });

  let textBack: TextBack;
  let reason: string | undefined;
  let sentAt: string | undefined;
  const unreachable = await store.getEmailUnreachable(call.from);
  if (unreachable) {
    textBack = 'not-textable';
    reason = unreachable.reason;
  } else {
    let claimed = false;
    lead = await store.modifyLead(
      call.leadId,
      (current) => {
        claimed = mayTextBack(current, call, profile.missedCalls.textBackOncePerHours);
        const own = current.missedCallTextBack?.messageId === call.messageId;
        return claimed && !own
          ? { missedCallTextBack: { messageId: call.messageId, at: call.receivedAt } }
          : null;
      },
      { current: lead },
    );
    if (!claimed) return { textBack: 'repeat' };
    try {
      const outcome = await deps.messenger.send({
        lead,
        channel: 'sms',
        kind: 'initiated',
        purpose: 'missed-call',
        answering: call.messageId,
        text: conversationText(
          'missedCall',
          { business: profile.name },
          { language: lead.known.language, overrides: profile.conversationTemplates },
        ),
      });
      textBack = outcome.status === 'sent' || outcome.status === 'held' ? outcome.status : 'suppressed';
      if (outcome.status === 'suppressed' || outcome.status === 'unconfirmed') reason = outcome.reason;
      if (outcome.status === 'sent') {
        sentAt = outcome.sentAt;
        await announceReplySent(
          {
            lead,
            correlationId: call.correlationId,
            messageId: call.messageId,
            outboundMessageId: outcome.outboundMessageId,
            channel: 'sms',
            purpose: 'missed-call',
            sentAt: outcome.sentAt,
          },
          deps,
        );
      }
    } catch (error) {
      if (!(error instanceof RecipientNotTextableError)) throw error;
      await store.setEmailUnreachable({
        contact: call.from,
        at: now().toISOString(),
        reason: error.message,
        providerEventId: call.messageId,
      });
      textBack = 'not-textable';
      reason = error.message;
    }
  }
  await deps.publisher.publish(MissedCallHandled, {
    version: 1,
    leadId: call.leadId,
    correlationId: call.correlationId,
    messageId: call.messageId,
    channel: 'sms',
    repId: lead.assignedRepId ?? assignRep(profile, undefined).id,
    textBack,
    ...(reason && { reason: reason.slice(0, 500) }),
  });
  return { textBack, ...(sentAt && { sentAt }) };
};
