import type { Channel } from '#events/envelope.ts';

/**
 * What caused a consent fact. `keyword`: the rules read the lead's message (carrier keyword or
 * opt-out phrase, `shared/compliance/consent-keywords.ts`); `model`: the qualifier (OpenAI) judged
 * it an opt-out; `twilio-opt-out-type`: Twilio Advanced Opt-Out handled the keyword (`OptOutType`)
 * and answered the person itself; `twilio-21610`: Twilio refused a text because the person opted
 * out with the carrier; `sendgrid-*`: SendGrid's Event Webhook; `inbound-message`: the lead wrote
 * to the business; `sending-path`: the messenger held a message back.
 */
export type ConsentSignal =
  | 'keyword'
  | 'model'
  | 'twilio-opt-out-type'
  | 'twilio-21610'
  | 'sendgrid-unsubscribe'
  | 'sendgrid-spam-report'
  | 'sendgrid-bounce'
  | 'inbound-message'
  | 'inbound-call'
  | 'sending-path';

export type ConsentEvent =
  | 'opt_out'
  | 'opt_in'
  | 'help'
  | 'unreachable'
  | 'first_contact'
  | 'send_suppressed';

/** What the fact changed: the state moved, was already so (or a later fact stands), or nothing to change. */
export type ConsentEffect = 'opted_out' | 'opted_in' | 'unchanged' | 'none' | 'suppressed';

/** One line of a contact's consent ledger: the proof of what consent Leadline had, and why. */
export interface ConsentLedgerEntry {
  /** E.164 phone number or lower-cased email address. */
  contact: string;
  /** Unique per fact, built from what caused it (`opt_out-<messageId>`), so a retry records it once. */
  id: string;
  /** When it happened: the message's receipt or the provider's event time (ISO 8601, UTC). */
  at: string;
  channel: Channel;
  event: ConsentEvent;
  signal: ConsentSignal;
  /** What decided: the keyword or phrase rule, the model's summary, the provider's value, a reason. */
  detail: string;
  effect: ConsentEffect;
  /** The inbound message that carried it, or the outbound message that was held back. */
  messageId?: string;
  leadId?: string;
  /** The lead's words (or the suppressed text), at most `LEDGER_TEXT_LIMIT` characters. */
  text?: string;
  /** A suppressed message's purpose (`first-reply`, `opt-out-confirmation`, …). */
  purpose?: string;
}

export const LEDGER_TEXT_LIMIT = 500;

/** Text as the ledger keeps it: the first `LEDGER_TEXT_LIMIT` characters. */
export const ledgerText = (text: string): string =>
  text.length > LEDGER_TEXT_LIMIT ? `${text.slice(0, LEDGER_TEXT_LIMIT - 1)}…` : text;
