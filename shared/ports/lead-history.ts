/**
 * What happened to a lead, event by event: the pipeline events recorded as they pass on the bus
 * (`functions/timeline`), and the consent ledger's entries for the lead's contact.
 */

/** One pipeline event, as recorded for its lead. */
export interface RecordedEvent {
  leadId: string;
  /** The EventBridge event id (of the delivery recorded first). */
  eventId: string;
  /**
   * What makes two deliveries the same fact (the event's dedupe key, `events/envelope.ts`): a
   * fact is recorded once, however often it is delivered or republished (absent on events
   * recorded before it was kept, which were recorded once per event id).
   */
  fact?: string;
  /** When the event happened (EventBridge `time`), ISO 8601 UTC. */
  at: string;
  /** EventBridge `detail-type`, e.g. `Lead Scored`. */
  detailType: string;
  correlationId: string;
  /** The event's detail without the envelope fields and without the lead's words (the thread has them). */
  facts: Record<string, unknown>;
}

/**
 * A consent ledger entry (items `CONTACT#<contact>` / `CONSENT#…`), shown as stored: the ledger
 * owns its shape; the timeline needs only its time.
 */
export interface ConsentEntry {
  at: string;
  [field: string]: unknown;
}

export interface LeadHistory {
  /**
   * Stores each event under its fact: one item per fact, however often it is delivered or
   * republished (a later delivery of a fact rewrites its item with the same facts).
   */
  recordAll(events: readonly RecordedEvent[]): Promise<void>;
  /** The lead's recorded events, oldest first. */
  events(leadId: string): Promise<RecordedEvent[]>;
  /** The consent ledger's entries for a contact (E.164 phone or lower-cased email), oldest first; none when there is no ledger. */
  consentEntries(contact: string): Promise<ConsentEntry[]>;
}
