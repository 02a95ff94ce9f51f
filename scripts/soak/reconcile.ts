import * as z from 'zod';
import type { LeadSnapshot, OutboxEntry, QueueSnapshot, StoredMessage } from './inspection.ts';
import { pending } from './inspection.ts';
import { contactNeedles, findLogLeaks, maskForReport, type Needle } from './log-leaks.ts';
import type { MessageRole, SoakChannel } from './plan.ts';

/** What the soak knows of one planned message after sending it. */
export interface MessageOutcome {
  key: string;
  channel: SoakChannel;
  /** The contact's address (E.164 or lower-cased email). */
  contact: string;
  /** The id Leadline should store it under (`expectedMessageId`). */
  expectedMessageId: string;
  body: string;
  role: MessageRole;
  burst?: string;
  forged: boolean;
  /** Epoch ms when the first 2xx answer to any delivery of it arrived; absent if none did. */
  acceptedAt?: number;
}

export interface ReconcileInput {
  messages: readonly MessageOutcome[];
  leads: readonly LeadSnapshot[];
  outbox: readonly OutboxEntry[];
  queues: readonly QueueSnapshot[];
  log: string;
  /** Values that must never reach the log (the Twilio auth token, the basic-auth password…). */
  secrets: readonly Needle[];
}

/** The checks, in the order the table prints them. */
export const CHECKS = {
  lost: 'accepted (2xx) but never stored on a lead',
  unanswered: 'accepted, stored, no reply and no recorded reason',
  answeredTwice: 'inbound messages answered more than once',
  unknownSends: 'sends with no stored outbound message',
  burstsAnsweredTwice: 'bursts with more than one answer',
  textsAfterStop: 'texts after an answered STOP',
  followUpsAfterReply: 'follow-ups sent after the lead wrote back',
  duplicateCrmRecords: 'leads with more than one CRM record',
  storedTwice: 'inbound messages stored twice',
  deadLettered: 'messages in dead-letter queues',
  logLeaks: 'log lines with a contact or secret in clear',
  forgedTraces: 'forged requests that left a trace',
  stillQueued: 'messages still queued at the end',
} as const;
export type CheckName = keyof typeof CHECKS;

export interface Reconciliation {
  counts: Record<CheckName, number>;
  /** One line per finding, naming the message, contact or log line (contacts masked, secrets by label). */
  findings: Record<CheckName, string[]>;
  stats: Record<string, number>;
  /** Things that did not fail a check but deserve a look. */
  warnings: string[];
}

const CrmDetails = z.object({ crmId: z.string(), record: z.object({ externalId: z.string() }) });
const ProviderDetails = z.object({ providerMessageId: z.string() });

/** The start of a text on one line, for a finding. */
const excerpt = (text: string, length = 50) => `"${text.replace(/\s+/g, ' ').trim().slice(0, length)}"`;

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();
const sameWords = (a: string, b: string) => {
  const [x, y] = [normalise(a), normalise(b)];
  return x.length > 0 && y.length > 0 && (x === y || x.startsWith(y) || y.startsWith(x));
};

/**
 * Compares what the soak sent and what Leadline answered with what it stored, sent and logged,
 * and counts every way the promise "one answer per message, once, nothing lost" was broken.
 * Pure: takes the inspection views as they were read, reads nothing itself.
 */
export const reconcile = (input: ReconcileInput): Reconciliation => {
  const findings = Object.fromEntries(Object.keys(CHECKS).map((k) => [k, [] as string[]])) as Record<
    CheckName,
    string[]
  >;
  const warnings: string[] = [];
  const leadByContact = new Map(input.leads.map((lead) => [lead.contact, lead]));
  const storedInbound = new Map<string, StoredMessage[]>();
  for (const lead of input.leads) {
    for (const m of lead.messages) {
      if (m.direction === 'in')
        storedInbound.set(m.messageId, [...(storedInbound.get(m.messageId) ?? []), m]);
    }
  }

  // Each planned message → the id it is stored under (by id, else by its lead and its words).
  const storedId = new Map<string, string>();
  for (const message of input.messages.filter((m) => !m.forged)) {
    const lead = leadByContact.get(message.contact);
    if (storedInbound.has(message.expectedMessageId)) {
      storedId.set(message.key, message.expectedMessageId);
      continue;
    }
    const byWords = lead?.messages.find((m) => m.direction === 'in' && sameWords(m.body, message.body));
    if (byWords) {
      storedId.set(message.key, byWords.messageId);
      warnings.push(`${message.key} is stored as ${byWords.messageId}, not ${message.expectedMessageId}`);
    } else if (message.acceptedAt !== undefined) {
      findings.lost.push(`${message.key} (${message.role}) from ${maskForReport(message.contact)}`);
    }
  }

  // Each send to a soak contact → the stored outbound message it is, → the inbound it answers.
  const contacts = new Set(input.messages.filter((m) => !m.forged).map((m) => m.contact));
  const sends = input.outbox.filter((e) => (e.kind === 'sms' || e.kind === 'email') && contacts.has(e.to));
  const outbound = input.leads.flatMap((lead) =>
    lead.messages.filter((m) => m.direction === 'out').map((message) => ({ lead, message })),
  );
  const outboundByProviderId = new Map(
    outbound.flatMap((o) => (o.message.providerMessageId ? [[o.message.providerMessageId, o] as const] : [])),
  );
  const matched = new Set<StoredMessage>();
  const answerOf = new Map<OutboxEntry, string | undefined>();
  /** The send each stored outbound message was handed over as (its time is when it went). */
  const sendOf = new Map<StoredMessage, OutboxEntry>();
  const unmatched: OutboxEntry[] = [];
  for (const send of sends) {
    const providerId = ProviderDetails.safeParse(send.details);
    const byId = providerId.success ? outboundByProviderId.get(providerId.data.providerMessageId) : undefined;
    if (byId && !matched.has(byId.message)) {
      matched.add(byId.message);
      sendOf.set(byId.message, send);
      answerOf.set(send, byId.message.inReplyTo);
    } else {
      unmatched.push(send);
    }
  }
  for (const send of unmatched) {
    const byWords = outbound.find(
      (o) =>
        !matched.has(o.message) &&
        o.lead.contact === send.to &&
        o.message.status === 'sent' &&
        normalise(o.message.body) === normalise(send.body),
    );
    if (byWords) {
      matched.add(byWords.message);
      sendOf.set(byWords.message, send);
      answerOf.set(send, byWords.message.inReplyTo);
    } else {
      findings.unknownSends.push(
        `${send.kind} to ${maskForReport(send.to)} at ${send.at}: ${excerpt(send.body)}`,
      );
    }
  }
  const answers = new Map<string, OutboxEntry[]>();
  for (const [send, inReplyTo] of answerOf) {
    if (inReplyTo) answers.set(inReplyTo, [...(answers.get(inReplyTo) ?? []), send]);
  }
  for (const [inbound, sent] of answers) {
    if (sent.length > 1) {
      findings.answeredTwice.push(
        `${inbound} answered ${sent.length} times: ${sent.map((s) => excerpt(s.body)).join(', ')}`,
      );
    }
  }

  // Accepted and stored, but neither answered nor given a reason (held, suppressed, superseded…).
  const repliedTo = new Set(outbound.flatMap((o) => (o.message.inReplyTo ? [o.message.inReplyTo] : [])));
  for (const message of input.messages) {
    const id = storedId.get(message.key);
    if (message.forged || message.acceptedAt === undefined || !id) continue;
    const stored = storedInbound.get(id) ?? [];
    const hasReason = stored.some((m) => m.status !== 'received' || m.reason !== undefined);
    if (!repliedTo.has(id) && !hasReason) {
      findings.unanswered.push(
        `${message.key} (${message.role}, ${id}) from ${maskForReport(message.contact)}`,
      );
    }
  }

  // A burst: the messages of one planned burst accepted before its first answer went out.
  const bursts = new Map<string, MessageOutcome[]>();
  for (const m of input.messages) {
    if (m.burst && !m.forged && m.acceptedAt !== undefined && storedId.has(m.key)) {
      bursts.set(m.burst, [...(bursts.get(m.burst) ?? []), m]);
    }
  }
  let burstsEvaluated = 0;
  for (const [burst, members] of bursts) {
    const answersTo = (m: MessageOutcome) => answers.get(storedId.get(m.key)!) ?? [];
    const firstAnswerAt = Math.min(...members.flatMap(answersTo).map((s) => Date.parse(s.at)));
    const together = members.filter((m) => m.acceptedAt! < firstAnswerAt);
    if (together.length < 2) continue;
    burstsEvaluated++;
    const answered = new Set(together.flatMap(answersTo));
    if (answered.size > 1) {
      findings.burstsAnsweredTwice.push(
        `${burst} (${together.map((m) => m.key).join(', ')}) from ${maskForReport(together[0]!.contact)} got ${answered.size} answers`,
      );
    }
  }

  // Texts after STOP: every text to the contact handed over after the STOP's 200, but for one
  // answer to the STOP itself (the confirmation the law allows).
  let stopsAccepted = 0;
  for (const stop of input.messages.filter((m) => m.role === 'stop' && m.acceptedAt !== undefined)) {
    stopsAccepted++;
    const stopId = storedId.get(stop.key) ?? stop.expectedMessageId;
    const after = sends
      .filter((s) => s.kind === 'sms' && s.to === stop.contact && Date.parse(s.at) > stop.acceptedAt!)
      .sort((a, b) => a.at.localeCompare(b.at));
    const confirmation = after.find((s) => answerOf.get(s) === stopId);
    for (const send of after.filter((s) => s !== confirmation)) {
      findings.textsAfterStop.push(
        `to ${maskForReport(stop.contact)} ${Date.parse(send.at) - stop.acceptedAt!} ms after STOP's 200: ${excerpt(send.body)}`,
      );
    }
  }

  // Follow-ups follow a silence: one handed over after the lead wrote since the text it follows
  // (`fu<step>-<that text's id>`) broke "any reply cancels the rest" (a held step sent anyway, a
  // cadence that outlived the reply).
  for (const { lead, message } of outbound) {
    const followed = /^fu\d+-(.+)$/.exec(message.inReplyTo ?? '')?.[1];
    const send = sendOf.get(message);
    if (!followed || !send || !/^follow-up-\d+$/.test(message.purpose ?? '')) continue;
    const anchor = lead.messages.find((m) => m.messageId === followed);
    if (!anchor) {
      warnings.push(`${message.messageId} follows ${followed}, which ${lead.leadId} does not hold`);
      continue;
    }
    const anchorAt = sendOf.get(anchor)?.at ?? anchor.at;
    const wrote = lead.messages.find((m) => m.direction === 'in' && m.at > anchorAt && m.at < send.at);
    if (wrote) {
      findings.followUpsAfterReply.push(
        `${message.purpose} to ${maskForReport(lead.contact)} at ${send.at}, after the lead wrote ${wrote.messageId} at ${wrote.at}: ${excerpt(send.body)}`,
      );
    }
  }

  // CRM: one record per lead (the sandbox CRM records each write in the outbox with its record id).
  const crmRecords = new Map<string, Set<string>>();
  for (const entry of input.outbox.filter((e) => e.kind === 'crm')) {
    const details = CrmDetails.safeParse(entry.details);
    if (!details.success) {
      warnings.push(`CRM outbox entry ${entry.id} names no crmId/record.externalId`);
      continue;
    }
    const { externalId } = details.data.record;
    crmRecords.set(externalId, (crmRecords.get(externalId) ?? new Set()).add(details.data.crmId));
  }
  for (const [leadId, ids] of crmRecords) {
    if (ids.size > 1)
      findings.duplicateCrmRecords.push(`${leadId}: ${ids.size} records (${[...ids].join(', ')})`);
  }

  for (const [messageId, copies] of storedInbound) {
    if (copies.length > 1) {
      findings.storedTwice.push(
        `${messageId} stored ${copies.length} times (at ${copies.map((c) => c.at).join(', ')})`,
      );
    }
  }

  let deadLettered = 0;
  for (const queue of input.queues) {
    deadLettered += queue.deadLettered;
    if (queue.deadLettered > 0) findings.deadLettered.push(`${queue.subscriber}: ${queue.deadLettered}`);
  }

  const needles = [
    ...input.secrets,
    ...[...new Set(input.messages.map((m) => m.contact))].flatMap(contactNeedles),
  ];
  const leaks = findLogLeaks(input.log, needles);
  for (const leak of leaks) findings.logLeaks.push(`line ${leak.line}: ${leak.label}`);

  for (const forged of input.messages.filter((m) => m.forged)) {
    const traces = [
      forged.acceptedAt !== undefined && 'answered 2xx',
      storedInbound.has(forged.expectedMessageId) && 'message stored',
      leadByContact.has(forged.contact) && 'lead created',
    ].filter(Boolean);
    if (traces.length > 0) findings.forgedTraces.push(`${forged.key}: ${traces.join(', ')}`);
  }

  const stillQueued = pending(input.queues);
  if (stillQueued > 0) {
    findings.stillQueued.push(
      ...input.queues
        .filter((q) => q.visible + q.inFlight + q.delayed > 0)
        .map((q) => `${q.subscriber}: ${q.visible} visible, ${q.inFlight} in flight, ${q.delayed} delayed`),
    );
  }

  const counts = Object.fromEntries(
    Object.entries(findings).map(([check, lines]) => [check, lines.length]),
  ) as Record<CheckName, number>;
  counts.deadLettered = deadLettered;
  counts.stillQueued = stillQueued;
  counts.logLeaks = new Set(leaks.map((l) => l.line)).size;

  return {
    counts,
    findings,
    warnings,
    stats: {
      plannedMessages: input.messages.filter((m) => !m.forged).length,
      accepted: input.messages.filter((m) => !m.forged && m.acceptedAt !== undefined).length,
      storedInbound: [...storedInbound.values()].reduce((n, copies) => n + copies.length, 0),
      leads: input.leads.length,
      sendsToContacts: sends.length,
      burstsEvaluated,
      stopsAccepted,
      crmRecords: [...crmRecords.values()].reduce((n, ids) => n + ids.size, 0),
      // What the clock phase drove: texts Leadline started itself, and alerts to the reps and manager.
      followUpsSent: outbound.filter(
        (o) => o.message.status === 'sent' && /^follow-up-/.test(o.message.purpose ?? ''),
      ).length,
      remindersSent: outbound.filter(
        (o) => o.message.status === 'sent' && /^reminder-/.test(o.message.purpose ?? ''),
      ).length,
      repAlerts: input.outbox.filter((e) => e.kind === 'sms' && !contacts.has(e.to)).length,
      forged: input.messages.filter((m) => m.forged).length,
    },
  };
};
