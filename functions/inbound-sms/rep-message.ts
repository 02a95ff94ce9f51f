import type { Logger } from '@aws-lambda-powertools/logger';
import { RepMessageReceived } from '#events/catalog.ts';
import { replyTwiml } from '#shared/adapters/twilio/messaging-twiml.ts';
import type { Rep } from '#shared/config/business-profile.ts';
import { normalisePhone } from '#shared/domain/contact.ts';
import { type RepCommand, readRepCommand } from '#shared/domain/routing/rep-command.ts';
import type { InboundPublisher, PublishOutcome } from '#shared/inbound/publish-inbound.ts';
import { textResponse } from '#shared/lambda/http.ts';
import type { Lead, LeadStore } from '#shared/ports/lead-store.ts';
import type { RepAlertRecord, RepRouting } from '#shared/ports/rep-routing.ts';

/** How many of a rep's latest alerts a reply may name by reference. */
const ALERTS_READ = 25;

const USAGE =
  'Reply OK <ref> to take a lead, TAKE <ref> to text them yourself (Leadline stops), NOSHOW <ref> if they missed the meeting. <ref> is the code at the end of the alert.';
const HELP = `Leadline: ${USAGE.replace(/^Reply/, 'reply')}`;

/** The word a rep writes for each command, to ask them to write it again with a reference. */
const COMMAND_WORD: Readonly<Record<RepCommand, string>> = {
  acknowledge: 'OK',
  'take-over': 'TAKE',
  'no-show': 'NOSHOW',
};

/** The alerts each command answers (`Rep Notified`'s reasons): a lead to take, or a meeting held. */
const ANSWERS: Readonly<Record<RepCommand, readonly string[]>> = {
  acknowledge: ['hot-lead', 'emergency', 'missed-call'],
  'take-over': ['hot-lead', 'emergency', 'missed-call'],
  'no-show': ['meeting-booked'],
};

/** Stages after which no rep command about a lead is waited for. */
const CLOSED_STAGES: ReadonlySet<string> = new Set(['opted_out', 'won', 'lost']);

const twiml = (text: string) => textResponse(200, replyTwiml(text), 'text/xml');

/** Reps by their phone (E.164), for the inbound webhook: a text from one of them is no lead's. */
export const repsByPhone = (reps: readonly Rep[]): ReadonlyMap<string, Rep> =>
  new Map(
    reps.flatMap((rep) => {
      const phone = rep.phone ? normalisePhone(rep.phone) : undefined;
      return phone ? [[phone, rep] as const] : [];
    }),
  );

/**
 * The alerts a bare command (no reference) may mean: the rep's latest alert of each lead the command
 * answers (`ANSWERS`) whose lead still waits for them: not closed, not in another rep's hands, and
 * for NOSHOW booked. Newest first.
 */
export const openAlerts = async (
  alerts: readonly RepAlertRecord[],
  command: RepCommand,
  repId: string,
  leads: Pick<LeadStore, 'getLead'>,
): Promise<RepAlertRecord[]> => {
  const seen = new Set<string>();
  const latest = alerts.filter((a) => {
    if (!ANSWERS[command].includes(a.reason) || seen.has(a.leadId)) return false;
    seen.add(a.leadId);
    return true;
  });
  const found = await Promise.all(latest.map((a) => leads.getLead(a.leadId)));
  return latest.filter((_, i) => {
    const lead = found[i];
    if (!lead || (lead.stage && CLOSED_STAGES.has(lead.stage))) return false;
    if (command === 'no-show') return lead.stage === 'booked';
    return !lead.handedToRep || lead.handedToRep.repId === repId;
  });
};

/**
 * What is true of a lead for a rep's OK or TAKE, when it is not simply theirs: another rep has the
 * conversation (nothing changes), or (OK) it went to another rep when their time ran out.
 */
const ownerNote = (
  lead: Lead,
  command: RepCommand,
  repId: string,
  ref: string,
  repName: (id: string) => string,
): { text: string; publish: boolean } | undefined => {
  if (command === 'no-show') return undefined;
  const owner = lead.handedToRep?.repId;
  if (owner && owner !== repId) {
    return {
      text: `Leadline: lead ${ref} is with ${repName(owner)}, who has the conversation; nothing changed.`,
      publish: false,
    };
  }
  const r = lead.routing;
  if (
    command === 'acknowledge' &&
    !owner &&
    r &&
    r.repId !== repId &&
    r.tried.includes(repId) &&
    !r.unanswered
  ) {
    // Still published: route records the late answer (the rep's response figures).
    return {
      text: `Leadline: lead ${ref} went to ${repName(r.repId)} when your time ran out; it is theirs now. Reply TAKE ${ref} to text them yourself.`,
      publish: true,
    };
  }
  return undefined;
};

const CONFIRMATIONS: Readonly<Record<RepCommand, (ref: string) => string>> = {
  acknowledge: (ref) => `Got it: lead ${ref} is yours.`,
  'take-over': (ref) =>
    `Got it: you have the conversation with lead ${ref}; Leadline sends them nothing more.`,
  'no-show': (ref) => `Got it: lead ${ref} missed the meeting; Leadline will offer them a new time.`,
};

/**
 * A text from a rep's phone to the business number: never a lead's message (no lead, no consent
 * keyword, no answer from the pipeline). Read as a command (`readRepCommand`), matched to the
 * alert it answers over the rep's latest alerts: the one its reference names (none: the rep is told
 * which was not found, and how to answer), else the only open one (`openAlerts`; several: the rep is
 * asked which, by their references). The answer tells the truth of the lead as stored: a lead
 * another rep has is not the rep's (nothing is published), an OK after the lead moved on says to
 * whom (`ownerNote`). Accepted once per MessageSid
 * (stored apart from every lead, under `rep_<repId>`) and published as `Rep Message Received` for
 * `route`. The rep gets a short TwiML answer: what was understood, or how to answer.
 */
export const receiveRepMessage = async (
  message: { messageId: string; rep: Rep; body: string; receivedAt: string },
  deps: {
    alerts: Pick<RepRouting, 'recentAlerts'>;
    leads: Pick<LeadStore, 'getLead'>;
    /** A rep's name by id, to say who has a lead. */
    repName: (repId: string) => string;
    publishOnce: InboundPublisher['publishOnce'];
    logger: Logger;
  },
): Promise<PublishOutcome | { nothingPublished: ReturnType<typeof twiml> }> => {
  const { rep } = message;
  const reply = readRepCommand(message.body);
  if (!reply) {
    deps.logger.info('Text from a rep that is no command: told how to answer', { repId: rep.id });
    return { nothingPublished: twiml(HELP) };
  }
  const alerts = await deps.alerts.recentAlerts(rep.id, ALERTS_READ);
  let alert: RepAlertRecord | undefined;
  if (reply.reference) {
    alert = alerts.find((a) => a.reference === reply.reference);
    if (!alert) {
      deps.logger.info('Text from a rep naming no alert of theirs', {
        repId: rep.id,
        command: reply.command,
      });
      return { nothingPublished: twiml(`Leadline: no lead ${reply.reference} among your alerts. ${USAGE}`) };
    }
  } else {
    // Without a reference the command is read only when one open alert can be meant.
    const open = await openAlerts(alerts, reply.command, rep.id, deps.leads);
    if (open.length !== 1) {
      deps.logger.info('Text from a rep without a reference', { repId: rep.id, open: open.length });
      const word = COMMAND_WORD[reply.command];
      return {
        nothingPublished: twiml(
          open.length === 0
            ? 'Leadline: no alert of yours is waiting for an answer.'
            : `Leadline: which lead? Reply ${word} with its code: ${open.map((a) => `${word} ${a.reference}`).join(', ')}.`,
        ),
      };
    }
    alert = open[0] as RepAlertRecord;
  }
  const lead = await deps.leads.getLead(alert.leadId);
  const note = lead && ownerNote(lead, reply.command, rep.id, alert.reference, deps.repName);
  if (note && !note.publish) {
    deps.logger.info('Rep answered a lead another rep has: nothing changed', { repId: rep.id });
    return { nothingPublished: twiml(note.text) };
  }
  deps.logger.appendKeys({ leadId: alert.leadId });
  deps.logger.info('Rep answered an alert', { repId: rep.id, command: reply.command });
  const { duplicate } = await deps.publishOnce(
    RepMessageReceived,
    {
      version: 1,
      leadId: alert.leadId,
      correlationId: message.messageId,
      messageId: message.messageId,
      repId: rep.id,
      command: reply.command,
      ...(reply.reference && { reference: reply.reference }),
      receivedAt: message.receivedAt,
    },
    // The rep's words are kept apart from the lead's conversation: they are no message of the lead's.
    {
      leadId: `rep_${rep.id}`,
      messageId: message.messageId,
      channel: 'sms',
      body: message.body,
      at: message.receivedAt,
    },
  );
  return {
    messageId: message.messageId,
    duplicate,
    response: twiml(note?.text ?? CONFIRMATIONS[reply.command](alert.reference)),
  };
};
