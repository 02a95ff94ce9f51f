import { formatSlot } from '#shared/domain/slots.ts';
import { isSmsDeliveryFailure } from '#shared/domain/sms-delivery.ts';
import type { LeadMessage } from '#shared/ports/lead-store.ts';
import type { ThreadMessage, Tone } from './views.ts';

/** A time as people read it in the lead's zone: "Tue Nov 24, 8:00 AM CST". */
export const readableTime = (iso: string, timeZone: string): string =>
  formatSlot({ start: new Date(iso) }, timeZone);

interface Fate {
  status: string;
  statusDetail?: string;
  tone: Tone;
}

/** What became of an outbound message, from its own status and the provider's latest delivery report. */
const outboundFate = (message: LeadMessage, timeZone: string): Fate => {
  switch (message.status) {
    case 'held':
      return {
        status: 'held',
        statusDetail: `held until ${message.sendAt ? readableTime(message.sendAt, timeZone) : 'the window opens'}${message.reason ? ` (${message.reason})` : ''}`,
        tone: 'warn',
      };
    case 'sending':
      return {
        status: 'sending',
        statusDetail: 'claimed for sending; not confirmed (a crash here leaves it so: never sent twice)',
        tone: 'warn',
      };
    case 'suppressed':
      return {
        status: 'suppressed',
        statusDetail: `not sent: ${message.reason ?? 'no reason recorded'}`,
        tone: 'bad',
      };
    case 'failed':
      return { status: 'failed', statusDetail: message.reason ?? 'the provider refused it', tone: 'bad' };
    default:
      break;
  }
  const sms = message.smsDelivery;
  if (sms) {
    if (sms.status === 'delivered' || sms.status === 'read') return { status: sms.status, tone: 'good' };
    if (isSmsDeliveryFailure(sms.status)) {
      return {
        status: sms.status,
        ...(sms.errorCode && { statusDetail: `Twilio error ${sms.errorCode}` }),
        tone: 'bad',
      };
    }
    return { status: sms.status, tone: 'neutral' };
  }
  const email = message.emailDelivery;
  if (email) {
    if (email.status === 'delivered') return { status: 'delivered', tone: 'good' };
    return {
      status: email.status,
      ...(email.reason && { statusDetail: email.reason }),
      tone: email.status === 'deferred' ? 'warn' : 'bad',
    };
  }
  return { status: message.status, tone: 'neutral' };
};

/** The conversation as the console shows it: every message in and out, oldest first, each with its fate. */
export const toThread = (messages: readonly LeadMessage[], timeZone: string): ThreadMessage[] =>
  [...messages]
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((message) => {
      const fate: Fate =
        message.direction === 'in'
          ? { status: 'received', tone: 'neutral' }
          : outboundFate(message, timeZone);
      return {
        messageId: message.messageId,
        direction: message.direction,
        channel: message.channel,
        text: message.body,
        ...(message.subject && { subject: message.subject }),
        at: message.at,
        ...fate,
        ...(message.purpose && { purpose: message.purpose }),
        ...(message.composedBy && { composedBy: message.composedBy }),
        ...(message.media?.length && {
          media: message.media.map((m) => ({ contentType: m.contentType, archived: Boolean(m.key) })),
        }),
      };
    });
