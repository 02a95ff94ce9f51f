import type { Channel } from '#events/envelope.ts';
import type { BusinessProfile } from '#shared/config/business-profile.ts';
import type { Lead, LeadMessage, Meeting } from '#shared/ports/lead-store.ts';

/**
 * What may be sent to a lead beyond opt-out and quiet hours, decided from the conversation:
 * - a lead a rep took over (`handedToRep`) gets nothing automatic: only the consent answers the
 *   law and the carriers ask for (the opt-out and opt-in confirmations, HELP);
 * - a cap on automatic answers per address per 24 hours (`profile.automaticAnswersPerDay`), the
 *   safety net against two robots answering each other (an autoresponder that no header betrays);
 * - WhatsApp's customer-service window: free-form messages only within 24 hours of the lead's
 *   last WhatsApp message; outside it only an approved template the business lists
 *   (https://www.twilio.com/docs/whatsapp/key-concepts#the-24-hour-window-or-24-hour-session).
 *
 * Pure; `LeadMessenger` calls it once per send, with the messages it read for the lead.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

export type SendDecision =
  | { action: 'send' }
  | { action: 'send-template'; contentSid: string; contentVariables: Record<string, string> }
  | { action: 'suppress'; reason: string };

export interface SendPolicyInput {
  lead: Pick<Lead, 'name' | 'handedToRep'>;
  channel: Channel;
  /** What the message is for (`first-reply`, `slots-offered`…): picks the WhatsApp template. */
  purpose: string;
  /** The one confirmation the law allows after an opt-out (or opt-in) is never capped. */
  kind: 'reply' | 'initiated' | 'opt-out-confirmation' | 'opt-in-confirmation';
  /** The lead's messages in and out, any order. */
  messages: ReadonlyArray<Pick<LeadMessage, 'direction' | 'channel' | 'status' | 'at'>>;
  profile: Pick<BusinessProfile, 'automaticAnswersPerDay' | 'whatsapp'>;
  now: Date;
}

/** What still goes to a lead a rep took over: the consent answers (their purposes). */
const CONSENT_ANSWERS: ReadonlySet<string> = new Set(['opt-out-confirmation', 'opt-in-confirmation', 'help']);

/**
 * Why a message must not go because a rep took the lead's conversation over, or null. Read by
 * `decideSend` and by the held-text dispatcher (a text held overnight before the takeover).
 */
export const heldBackForRep = (
  lead: Pick<Lead, 'handedToRep'>,
  purpose: string | undefined,
): string | null =>
  lead.handedToRep && !CONSENT_ANSWERS.has(purpose ?? '')
    ? 'a rep took the conversation over: nothing automatic goes'
    : null;

/**
 * Business-initiated texts that ask the lead for an answer (a follow-up, the missed-call text-back):
 * one held for the calling window is withdrawn if the lead has written since it was composed, since
 * the conversation moved on and the lead's message gets its own answer ("just following up" an hour
 * after the lead replied reads as a robot that did not listen, and a second text where one was due).
 */
const WITHDRAWN_ONCE_THE_LEAD_WRITES = /^(follow-up-\d+|missed-call)$/;

/**
 * Why a held text must not go when its window opens, beyond opt-out and a rep's takeover, or null:
 * a follow-up or text-back (by `purpose`) composed before a message the lead has written since.
 * `conversation` is the lead's messages in and out, any order; times are ISO 8601 UTC.
 */
export const withdrawnOnRelease = (
  held: Pick<LeadMessage, 'purpose' | 'at'>,
  conversation: ReadonlyArray<Pick<LeadMessage, 'direction' | 'at'>>,
): string | null =>
  WITHDRAWN_ONCE_THE_LEAD_WRITES.test(held.purpose ?? '') &&
  conversation.some((m) => m.direction === 'in' && m.at > held.at)
    ? 'the lead wrote since this text was composed: the conversation moved on'
    : null;

/**
 * A meeting reminder (or its no-show and after-meeting texts) answers `rm-<kind>-<meetingId>`
 * (`functions/conversation/reminder.ts`); the meeting it is about, if `inReplyTo` names one.
 */
const REMINDER_OF = /^rm-(?:day-before|hour-before|after-meeting|no-show)-(.+)$/;

/**
 * Why a held meeting reminder must not go when its window opens, or null: the meeting it is about
 * was cancelled or moved while it was held ("Reminder: your visit tomorrow at 9" after the lead
 * cancelled it). `meetings` are the lead's meetings as stored.
 */
export const reminderWithdrawn = (
  held: Pick<LeadMessage, 'inReplyTo'>,
  meetings: ReadonlyArray<Pick<Meeting, 'meetingId' | 'cancelled'>>,
): string | null => {
  const meetingId = REMINDER_OF.exec(held.inReplyTo ?? '')?.[1];
  if (!meetingId) return null;
  const meeting = meetings.find((m) => m.meetingId === meetingId);
  return !meeting || meeting.cancelled
    ? 'the meeting was cancelled or moved while this reminder was held'
    : null;
};

export const decideSend = (input: SendPolicyInput): SendDecision => {
  const forRep = heldBackForRep(input.lead, input.purpose);
  if (forRep) return { action: 'suppress', reason: forRep };
  const confirmation = input.kind === 'opt-out-confirmation' || input.kind === 'opt-in-confirmation';
  const since = input.now.getTime() - DAY_MS;
  const recent = input.messages.filter((m) => Date.parse(m.at) > since);
  const answered = recent.filter(
    (m) => m.direction === 'out' && (m.status === 'sent' || m.status === 'sending'),
  );
  if (!confirmation && answered.length >= input.profile.automaticAnswersPerDay) {
    return {
      action: 'suppress',
      reason: `${answered.length} automatic answers to this address in 24 hours (the cap is ${input.profile.automaticAnswersPerDay})`,
    };
  }
  if (input.channel !== 'whatsapp') return { action: 'send' };

  const lastWhatsApp = Math.max(
    ...input.messages
      .filter((m) => m.direction === 'in' && m.channel === 'whatsapp')
      .map((m) => Date.parse(m.at)),
  );
  if (Number.isFinite(lastWhatsApp) && lastWhatsApp > since) return { action: 'send' };

  const template =
    input.profile.whatsapp.templates[input.purpose] ?? input.profile.whatsapp.templates.default;
  if (!template) {
    return {
      action: 'suppress',
      reason: `outside WhatsApp's 24-hour window and no approved template for ${input.purpose}`,
    };
  }
  const firstName = input.lead.name?.trim().split(/\s+/)[0];
  return {
    action: 'send-template',
    contentSid: template.contentSid,
    contentVariables: firstName ? { '1': firstName } : {},
  };
};
