import type { Channel } from '#events/envelope.ts';
import { leadIdForContact } from '#shared/domain/contact.ts';
import type { LeadMessage, LeadStore, OptOutState } from '#shared/ports/lead-store.ts';
import { type ConsentLedgerEntry, ledgerText } from './consent-ledger.ts';

/**
 * One row of a contact's consent timeline: a ledger entry, or a message in or out with what
 * Leadline's consent rested on when it went.
 */
export interface ConsentTimelineRow {
  at: string;
  contact: string;
  channel: Channel;
  /** A ledger event, or `message_in` / `message_out` (`effect` then says sent, held, suppressed...). */
  event: ConsentLedgerEntry['event'] | 'message_in' | 'message_out';
  signal?: string;
  effect: string;
  detail: string;
  messageId?: string;
  purpose?: string;
  leadId?: string;
  text?: string;
}

/** Everything that answers "why did this person get this text": the state, and the timeline. */
export interface ConsentReport {
  contact: string;
  leadId: string;
  /** The opt-out state now (null: never opted out nor in by keyword). */
  optOut: OptOutState | null;
  /** Ledger entries and messages, oldest first. */
  timeline: ConsentTimelineRow[];
}

const CONSENT_CHANGES = new Set(['opt_out', 'opt_in']);

/** What consent stood at `at`: the last opt-out or opt-in before it, else the lead's first message. */
function consentAt(ledger: readonly ConsentLedgerEntry[], at: string): string {
  const before = ledger.filter((e) => e.at <= at);
  const change = before
    .filter((e) => CONSENT_CHANGES.has(e.event) && (e.effect === 'opted_out' || e.effect === 'opted_in'))
    .at(-1);
  if (change)
    return `${change.effect === 'opted_out' ? 'opted out' : 'opted in'} at ${change.at} (${change.signal})`;
  const first = before.find((e) => e.event === 'first_contact');
  return first ? `the lead wrote first at ${first.at}` : 'no consent fact recorded before it';
}

function messageRow(
  contact: string,
  message: LeadMessage,
  messages: readonly LeadMessage[],
  ledger: readonly ConsentLedgerEntry[],
): ConsentTimelineRow {
  const base = {
    at: message.at,
    contact,
    channel: message.channel,
    messageId: message.messageId,
    leadId: message.leadId,
    text: ledgerText(message.subject ? `${message.subject}\n${message.body}` : message.body),
  };
  if (message.direction === 'in') return { ...base, event: 'message_in', effect: 'received', detail: '' };
  const answered = messages.find((m) => m.messageId === message.inReplyTo);
  const why = [
    answered
      ? `answers ${answered.messageId} received ${answered.at}`
      : `caused by ${message.inReplyTo ?? 'the business'}`,
    `consent: ${consentAt(ledger, message.at)}`,
    ...(message.sendAt ? [`held until ${message.sendAt}`] : []),
    ...(message.reason ? [message.reason] : []),
  ];
  return {
    ...base,
    event: 'message_out',
    signal: 'sending-path',
    effect: message.status,
    detail: why.join('; '),
    ...(message.purpose && { purpose: message.purpose }),
  };
}

/**
 * A contact's consent report: its opt-out state, its consent ledger and its lead's messages in
 * one timeline, oldest first, each text out with what it answered and what consent stood when it
 * went. `contact` is an E.164 phone number or lower-cased email address.
 */
export async function buildConsentReport(
  store: Pick<LeadStore, 'getConsentLedger' | 'getOptOut' | 'getMessages'>,
  contact: string,
): Promise<ConsentReport> {
  const leadId = leadIdForContact(contact);
  const [ledger, optOut, messages] = await Promise.all([
    store.getConsentLedger(contact),
    store.getOptOut(contact),
    store.getMessages(leadId),
  ]);
  // A suppressed send is in the ledger already, with its reason.
  const inLedger = new Set(ledger.filter((e) => e.event === 'send_suppressed').map((e) => e.messageId));
  const timeline: ConsentTimelineRow[] = [
    ...ledger.map((entry) => ({ ...entry })),
    ...messages
      .filter((m) => !(m.status === 'suppressed' && inLedger.has(m.messageId)))
      .map((message) => messageRow(contact, message, messages, ledger)),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return { contact, leadId, optOut: optOut ?? null, timeline };
}

const CSV_COLUMNS = [
  'at',
  'contact',
  'channel',
  'event',
  'signal',
  'effect',
  'detail',
  'messageId',
  'purpose',
  'leadId',
  'text',
] as const satisfies ReadonlyArray<keyof ConsentTimelineRow>;

/** RFC 4180 field: quoted when it holds a comma, quote or line break; quotes doubled. */
const csvField = (value: string | undefined): string =>
  value === undefined ? '' : /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

/** A timeline as RFC 4180 CSV with a header row, in the order given; lines end with CRLF. */
export function timelineToCsv(rows: readonly ConsentTimelineRow[]): string {
  const lines = [
    CSV_COLUMNS.join(','),
    ...rows.map((row) => CSV_COLUMNS.map((c) => csvField(row[c])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
