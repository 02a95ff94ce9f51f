import type { Channel } from '#events/envelope.ts';
import type { LeadStore, OptOutState } from '#shared/ports/lead-store.ts';
import type { ConsentKeyword } from './consent-keywords.ts';
import {
  type ConsentEffect,
  type ConsentLedgerEntry,
  type ConsentSignal,
  ledgerText,
} from './consent-ledger.ts';

type ConsentStore = Pick<LeadStore, 'changeOptOut' | 'recordConsentEvent'>;

/** A signal that a contact opted out, opted back in, or asked for help. */
export interface ConsentSignalInput {
  /** E.164 phone number or lower-cased email address. */
  contact: string;
  channel: Channel;
  action: ConsentKeyword;
  signal: ConsentSignal;
  /** What decided (the rule, the model's summary, the provider's value). */
  detail: string;
  /** When it happened (ISO 8601): the message's receipt, the provider's event time. */
  at: string;
  /** The message or provider event that carried it. */
  messageId: string;
  leadId?: string;
  /** The person's words. */
  text?: string;
  /** The provider already answered the person (Twilio Advanced Opt-Out): Leadline confirms nothing. */
  answeredByProvider?: boolean;
}

/**
 * Records a consent signal in the contact's ledger and, for an opt-out or opt-in, moves the
 * opt-out state with one conditional write (`changeOptOut`). The state keeps the message that
 * changed it, so the one confirmation answers that message only: a second STOP changes nothing
 * and is confirmed by nothing. A signal older than the state (queues deliver out of order; a
 * provider event arrives late) leaves the later state. Recording the same signal again (a retry,
 * or after the webhook put the opt-out in force) reports the same effect and completes the state.
 */
export async function recordConsentSignal(
  store: ConsentStore,
  input: ConsentSignalInput,
): Promise<{ effect: ConsentEffect }> {
  const effect = await applyToState(store, input);
  await store.recordConsentEvent({
    contact: input.contact,
    id: `${input.action}-${input.messageId}`,
    at: input.at,
    channel: input.channel,
    event: input.action,
    signal: input.signal,
    detail: input.detail,
    effect,
    messageId: input.messageId,
    ...(input.leadId && { leadId: input.leadId }),
    ...(input.text !== undefined && { text: ledgerText(input.text) }),
  });
  return { effect };
}

async function applyToState(store: ConsentStore, input: ConsentSignalInput): Promise<ConsentEffect> {
  if (input.action === 'help') return 'none';
  const optedOut = input.action === 'opt_out';
  const changed = await store.changeOptOut({
    contact: input.contact,
    optedOut,
    at: input.at,
    channel: input.channel,
    messageId: input.messageId,
    signal: input.signal,
    ...(input.answeredByProvider && { answeredByProvider: true }),
  });
  if (!changed) return 'unchanged';
  return optedOut ? 'opted_out' : 'opted_in';
}

/** Records, in the contact's ledger, a message the sending path held back and why. */
export async function recordSuppressedSend(
  store: Pick<LeadStore, 'recordConsentEvent'>,
  sent: {
    contact: string;
    channel: Channel;
    leadId: string;
    /** The outbound message held back. */
    messageId: string;
    purpose?: string | undefined;
    text: string;
    reason: string;
    at: string;
  },
): Promise<void> {
  const entry: ConsentLedgerEntry = {
    contact: sent.contact,
    id: `send_suppressed-${sent.messageId}`,
    at: sent.at,
    channel: sent.channel,
    event: 'send_suppressed',
    signal: 'sending-path',
    detail: sent.reason,
    effect: 'suppressed',
    messageId: sent.messageId,
    leadId: sent.leadId,
    text: ledgerText(sent.text),
    ...(sent.purpose && { purpose: sent.purpose }),
  };
  await store.recordConsentEvent(entry);
}

/** How the sending path must treat a message with respect to consent. */
export type ConsentKind = 'message' | 'opt-out-confirmation' | 'opt-in-confirmation';

/**
 * Whether consent lets a message go, given the contact's opt-out state (ARCHITECTURE.md, "Decisions"): nothing
 * goes to an opted-out contact but the one confirmation of the opt-out, which answers exactly the
 * message that opted out (a second STOP gets none), never when the provider answered the person
 * already (Twilio Advanced Opt-Out); an opt-in confirmation answers exactly the message that opted
 * back in, once.
 */
export function consentAllows(
  kind: ConsentKind,
  state: OptOutState | undefined,
  answering: string,
): { allowed: true } | { allowed: false; reason: string } {
  if (kind === 'message') {
    return state?.optedOut ? { allowed: false, reason: 'the contact opted out' } : { allowed: true };
  }
  const wantsOptedOut = kind === 'opt-out-confirmation';
  if (!state || state.optedOut !== wantsOptedOut) {
    return {
      allowed: false,
      reason: wantsOptedOut ? 'the contact is not opted out' : 'the contact is opted out',
    };
  }
  if (state.answeredByProvider) {
    return { allowed: false, reason: 'Twilio Advanced Opt-Out already answered the lead' };
  }
  if (state.messageId !== answering) {
    return {
      allowed: false,
      reason: `already confirmed: the ${wantsOptedOut ? 'opt-out' : 'opt-in'} came with ${state.messageId}`,
    };
  }
  return { allowed: true };
}
