/**
 * What happened to a lead, event by event: the pipeline events recorded as they pass on the bus
 * (`functions/timeline`), and the consent ledger's entries for the lead's contact.
 */

/** One pipeline event, as recorded for its lead. */
export interface RecordedEvent {
  leadId: string;
  /** The EventBridge event id: an event is recorded once however often it is delivered. */
  eventId: string;
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
  /** Stores the event once; a redelivered event changes nothing. */
  record(event: RecordedEvent): Promise<void>;
  /** The lead's recorded events, oldest first. */
  events(leadId: string): Promise<RecordedEvent[]>;
  /** The consent ledger's entries for a contact (E.164 phone or lower-cased email), oldest first; none when there is no ledger. */
  consentEntries(contact: string): Promise<ConsentEntry[]>;
}
