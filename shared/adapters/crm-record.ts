import { createHash } from 'node:crypto';
import type { CrmLeadRecord } from '#shared/ports/outbound.ts';

/** What the real CRM adapters share: names, the conversation as entries, and the lead's facts as text. */

/** "Priya Shah" → first "Priya", last "Shah"; one word is the last name (the field CRMs require). */
export const splitName = (name: string | undefined): { first?: string; last?: string } => {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return {};
  if (words.length === 1) return { last: words[0] };
  return { first: words.slice(0, -1).join(' '), last: words.at(-1) };
};

/** A stand-in for a name the lead has not given, so a required last-name field is never empty. */
export const placeholderName = (record: CrmLeadRecord): string =>
  `Lead ${record.phone ?? record.email ?? record.externalId}`;

export interface ConversationEntry {
  /** Stable for one message across syncs: the lead id and a hash of the logged line. */
  key: string;
  at: string;
  direction: 'in' | 'out';
  channel: 'sms' | 'email';
  body: string;
}

// `toCrmRecord` (functions/crm-sync/sync-lead.ts) logs each message as `<iso time> <lead|us> (<channel>): <body>`.
const LINE = /^(\S+) (lead|us) \((sms|email)\): ([\s\S]*)$/;

/**
 * The conversation log as entries. A message's line never changes once logged (its time, sender,
 * channel and text are fixed), so the hash of the line keys it: the same message always yields the
 * same key, which is what lets a retried sync recognise what it already wrote.
 */
export const conversationEntries = (record: CrmLeadRecord): ConversationEntry[] =>
  record.conversationLog.map((line) => {
    const key = `${record.externalId}-${createHash('sha256').update(line).digest('hex').slice(0, 24)}`;
    const match = LINE.exec(line);
    if (!match) return { key, at: '', direction: 'in', channel: record.sourceChannel, body: line };
    const [, at = '', who, channel, body = ''] = match;
    return {
      key,
      at,
      direction: who === 'us' ? 'out' : 'in',
      channel: channel === 'email' ? 'email' : 'sms',
      body,
    };
  });

export const entryTitle = (entry: ConversationEntry): string =>
  `${entry.channel === 'sms' ? 'SMS' : 'Email'} ${entry.direction === 'in' ? 'from lead' : 'to lead'}`;

/** How the CRM names a lead's first contact when it was not a message. */
const SOURCE_NAMES: Readonly<Record<string, string>> = {
  'missed-call': 'missed call',
  calendly: 'booked on the Calendly page',
  'cal-com': 'booked on the Cal.com page',
};

/** What we know of the lead's request, one fact a line, for a description or message field. */
export const leadFacts = (record: CrmLeadRecord): string =>
  [
    record.need && `Need: ${record.need}`,
    record.service && `Service: ${record.service}`,
    record.location && `Location: ${record.location}`,
    record.timing && `Timing: ${record.timing}`,
    record.budget && `Budget: ${record.budget}`,
    record.score !== undefined && `Score: ${record.score} (${record.grade ?? 'ungraded'})`,
    record.stage && `Stage: ${record.stage.replaceAll('_', ' ')}`,
    record.optedOut && 'Opted out of messages',
    ...record.meetings.map((m) => `Meeting: ${m.start} to ${m.end}`),
    `Source: Leadline (${(record.source && SOURCE_NAMES[record.source]) || record.sourceChannel})`,
  ]
    .filter(Boolean)
    .join('\n');

/** Provider error messages can quote what was sent (an email, a phone): keep them out of logs. */
export const redact = (text: string): string =>
  text
    .replace(/[^\s@"'<>]+@[^\s@"'<>]+\.[^\s@"'<>]+/g, '<email>')
    .replace(/\+?\d[\d\s().-]{7,}\d/g, '<phone>')
    .slice(0, 300);
