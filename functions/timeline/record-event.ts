import type { RecordedEvent } from '#shared/ports/lead-history.ts';

/**
 * Detail fields the history does not repeat: the envelope's own (version, lead, correlation) and
 * the lead's words, which the conversation already holds.
 */
const NOT_REPEATED = new Set(['version', 'leadId', 'correlationId', 'body', 'subject']);

/** A pipeline event as its lead's history keeps it: when, what, and the facts it carried. */
export const toRecordedEvent = (event: {
  detailType: string;
  detail: { leadId: string; correlationId: string };
  eventId: string;
  time: string;
  dedupeKey?: string;
}): RecordedEvent => ({
  leadId: event.detail.leadId,
  eventId: event.eventId,
  ...(event.dedupeKey && { fact: event.dedupeKey }),
  at: new Date(event.time).toISOString(),
  detailType: event.detailType,
  correlationId: event.detail.correlationId,
  facts: Object.fromEntries(Object.entries(event.detail).filter(([key]) => !NOT_REPEATED.has(key))),
});
