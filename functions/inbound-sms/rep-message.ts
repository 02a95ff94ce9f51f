import type { Logger } from '@aws-lambda-powertools/logger';
import { RepMessageReceived } from '#events/catalog.ts';
import { replyTwiml } from '#shared/adapters/twilio/messaging-twiml.ts';
import type { Rep } from '#shared/config/business-profile.ts';
import { normalisePhone } from '#shared/domain/contact.ts';
import { type RepCommand, readRepCommand } from '#shared/domain/routing/rep-command.ts';
import type { InboundPublisher, PublishOutcome } from '#shared/inbound/publish-inbound.ts';
import { textResponse } from '#shared/lambda/http.ts';
import type { RepAlertRecord, RepRouting } from '#shared/ports/rep-routing.ts';

/** How many of a rep's latest alerts a reply may name by reference. */
const ALERTS_READ = 25;

const HELP =
  'Leadline: reply OK <ref> to take a lead, TAKE <ref> to text them yourself (Leadline stops), NOSHOW <ref> if they missed the meeting. <ref> is the code at the end of the alert.';

const twiml = (text: string) => textResponse(200, replyTwiml(text), 'text/xml');

/** Reps by their phone (E.164), for the inbound webhook: a text from one of them is no lead's. */
export const repsByPhone = (reps: readonly Rep[]): ReadonlyMap<string, Rep> =>
  new Map(
    reps.flatMap((rep) => {
      const phone = rep.phone ? normalisePhone(rep.phone) : undefined;
      return phone ? [[phone, rep] as const] : [];
    }),
  );

/** The alert a rep's text answers: the one it names, else (a no-show) the latest meeting's, else the latest. */
export const alertAnswered = (
  alerts: readonly RepAlertRecord[],
  reply: { command: RepCommand; reference?: string },
): RepAlertRecord | undefined => {
  if (reply.reference) return alerts.find((a) => a.reference === reply.reference);
  if (reply.command === 'no-show') return alerts.find((a) => a.reason === 'meeting-booked') ?? alerts[0];
  return alerts[0];
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
 * alert it answers (`alertAnswered`, over the rep's latest alerts), accepted once per MessageSid
 * (stored apart from every lead, under `rep_<repId>`) and published as `Rep Message Received` for
 * `route`. The rep gets a short TwiML answer: what was understood, or how to answer.
 */
export const receiveRepMessage = async (
  message: { messageId: string; rep: Rep; body: string; receivedAt: string },
  deps: {
    alerts: Pick<RepRouting, 'recentAlerts'>;
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
  const alert = alertAnswered(await deps.alerts.recentAlerts(rep.id, ALERTS_READ), reply);
  if (!alert) {
    deps.logger.info('Text from a rep that answers no alert', { repId: rep.id, command: reply.command });
    return {
      nothingPublished: twiml(
        reply.reference
          ? `Leadline: no recent alert of yours has the code ${reply.reference}.`
          : 'Leadline: no alert of yours is waiting for an answer.',
      ),
    };
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
    response: twiml(CONFIRMATIONS[reply.command](alert.reference)),
  };
};
