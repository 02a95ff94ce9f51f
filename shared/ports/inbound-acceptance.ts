import type { Channel } from '#events/envelope.ts';
import type { InboundMedia, LeadMessage, OptOutState } from './lead-store.ts';

/** An inbound message as the webhook accepts it: stored under its provider-derived id. */
export interface AcceptedInbound {
  leadId: string;
  messageId: string;
  channel: Channel;
  body: string;
  subject?: string;
  /** When the webhook first received it (ISO 8601, UTC); a later attempt keeps the first one's. */
  at: string;
  media?: InboundMedia[];
  /** Written by a machine (out-of-office, bounce): recorded, never answered. */
  automated?: boolean;
}

/**
 * Where a webhook's attempt stands with a provider message id:
 * - `claimed`: this attempt holds it and must publish it (`message` is what is stored: on a
 *   take-over after a crashed attempt, the first attempt's record, receive time included);
 * - `published`: a completed attempt published it before (a provider's retry: answer 2xx);
 * - `in-progress`: another attempt holds it until `until` (answer a status the provider retries).
 */
export type InboundClaim =
  | { state: 'claimed'; message: LeadMessage }
  | { state: 'published'; message: LeadMessage }
  | { state: 'in-progress'; until: string };

/**
 * The webhook's durable record of what it accepted (ARCHITECTURE.md, "Decisions"): the inbound message item
 * itself, written before the event is published, is the once-only record for its provider id,
 * for as long as the message is kept (no expiry).
 */
export interface InboundAcceptance {
  /**
   * Stores the message if new and claims publishing it until `now + claimMs`; takes over a claim
   * that expired (its attempt crashed). Never overwrites a stored message.
   */
  claim(message: AcceptedInbound, options: { now: Date; claimMs: number }): Promise<InboundClaim>;
  /** The event is on the bus: a repeat now earns a 2xx. */
  markPublished(ref: { leadId: string; messageId: string }): Promise<void>;
  /** Publishing failed: the next attempt may take the message at once. */
  release(ref: { leadId: string; messageId: string }): Promise<void>;
  /**
   * Puts a contact's opt-out state in force, unless it is in force already or a later state (by
   * `at`) is recorded: a retried or late STOP never undoes a START sent after it.
   */
  setOptOut(state: OptOutState): Promise<void>;
}
