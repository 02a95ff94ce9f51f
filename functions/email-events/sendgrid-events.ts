import { createHash } from 'node:crypto';
import * as z from 'zod';
import { CUSTOM_ARG_LEAD_ID, CUSTOM_ARG_MESSAGE_ID } from '#shared/adapters/sendgrid/custom-args.ts';
import { normaliseEmail } from '#shared/domain/contact.ts';
import type { EmailDelivery } from '#shared/ports/lead-store.ts';

/**
 * SendGrid Event Webhook posts: a JSON array of events, each with `event`, and for the delivery
 * and engagement events `email`, `timestamp` (Unix seconds), `sg_event_id`, `sg_message_id`, and
 * the custom args of the message sent as top-level fields. Fields vary by event and change:
 * unknown ones are kept, not refused.
 * (twilio.com/docs/sendgrid/for-developers/tracking-events/event)
 */
export const SendGridEventBatch = z.array(z.looseObject({ event: z.string().min(1) })).min(1);

const SendGridEvent = z.looseObject({
  event: z.string(),
  email: z.string().min(3).max(320),
  timestamp: z.number().nonnegative(),
  sg_event_id: z.string().min(1).max(200).optional(),
  sg_message_id: z.string().min(1).max(500).optional(),
  /** bounce: `bounce` (the address is refused) or `blocked` (the receiving server refused us, for now). */
  type: z.string().optional(),
  /** bounce and dropped: why; dropped: `Bounced Address`, `Invalid`, `Unsubscribed Address`... */
  reason: z.string().optional(),
  /** delivered and deferred: the receiving server's answer. */
  response: z.string().optional(),
  bounce_classification: z.string().optional(),
  [CUSTOM_ARG_LEAD_ID]: z.string().min(1).max(100).optional(),
  [CUSTOM_ARG_MESSAGE_ID]: z.string().min(1).max(300).optional(),
});

/** What one event means for Leadline. */
export interface EmailEventAction {
  /** `sg_event_id`, else a hash of the event: what a repeat is recognised by. */
  eventId: string;
  event: string;
  /** Lower-cased. */
  email: string;
  at: string;
  /** Our message, when the email carried our custom args. */
  message?: { leadId: string; messageId: string };
  /** The delivery state to record on that message. */
  delivery?: EmailDelivery;
  /** The address takes no more email: it bounced for good, or the person asked for no more. */
  contact?: { kind: 'unreachable' | 'opted-out'; reason: string };
}

export type ReadEventResult =
  | { kind: 'action'; action: EmailEventAction }
  | { kind: 'ignored'; event: string }
  | { kind: 'unreadable'; event: string; problem: string };

const REASON_MAX = 500;
const clip = (text: string | undefined) => text?.trim().slice(0, REASON_MAX) || undefined;

/** Dropped because the address is already known bad: SendGrid's bounce list, or not an address. */
const DROPPED_UNREACHABLE = /^(bounced address|invalid)$/i;
/** Dropped because the person is on SendGrid's unsubscribe or spam-report list. */
const DROPPED_OPTED_OUT = /^(unsubscribed address|spam reporting address)$/i;

const OPT_OUT_EVENTS: Record<string, string> = {
  spamreport: 'reported the email as spam',
  unsubscribe: 'unsubscribed',
  group_unsubscribe: 'unsubscribed',
};

/**
 * Reads one event. `processed`, `open`, `click` and the rest are ignored: they change nothing we
 * keep. Only the events we act on must carry the fields we need.
 */
export const readSendGridEvent = (raw: { event: string } & Record<string, unknown>): ReadEventResult => {
  const { event } = raw;
  const acted =
    ['delivered', 'deferred', 'bounce', 'dropped'].includes(event) || Object.hasOwn(OPT_OUT_EVENTS, event);
  if (!acted) return { kind: 'ignored', event };

  const parsed = SendGridEvent.safeParse(raw);
  if (!parsed.success) {
    return {
      kind: 'unreadable',
      event,
      problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    };
  }
  const data = parsed.data;
  const email = normaliseEmail(data.email);
  if (!email) return { kind: 'unreadable', event, problem: 'email: not an email address' };

  const at = new Date(data.timestamp * 1000).toISOString();
  const eventId =
    data.sg_event_id ?? `sha256:${createHash('sha256').update(JSON.stringify(raw)).digest('hex')}`;
  const leadId = data[CUSTOM_ARG_LEAD_ID];
  const messageId = data[CUSTOM_ARG_MESSAGE_ID];
  const base: EmailEventAction = {
    eventId,
    event,
    email,
    at,
    ...(leadId && messageId && { message: { leadId, messageId } }),
  };
  const delivery = (status: EmailDelivery['status'], reason: string | undefined): EmailDelivery => ({
    status,
    at,
    ...(reason && { reason }),
    providerEventId: eventId,
    ...(data.sg_message_id && { providerMessageId: data.sg_message_id }),
  });

  switch (event) {
    case 'delivered':
      return { kind: 'action', action: { ...base, delivery: delivery('delivered', clip(data.response)) } };
    case 'deferred':
      return { kind: 'action', action: { ...base, delivery: delivery('deferred', clip(data.response)) } };
    case 'bounce': {
      // A block is the receiving server refusing us (reputation, content), not the address.
      const blocked = data.type?.toLowerCase() === 'blocked';
      const reason = clip(
        [blocked ? 'blocked' : undefined, data.bounce_classification, data.reason].filter(Boolean).join(': '),
      );
      return {
        kind: 'action',
        action: {
          ...base,
          delivery: delivery('bounced', reason),
          ...(!blocked && { contact: { kind: 'unreachable', reason: reason ?? 'bounced' } }),
        },
      };
    }
    case 'dropped': {
      const reason = clip(data.reason) ?? 'dropped';
      const contact = DROPPED_UNREACHABLE.test(reason)
        ? { kind: 'unreachable' as const, reason: `dropped: ${reason}` }
        : DROPPED_OPTED_OUT.test(reason)
          ? { kind: 'opted-out' as const, reason: `dropped: ${reason}` }
          : undefined;
      return {
        kind: 'action',
        action: { ...base, delivery: delivery('dropped', reason), ...(contact && { contact }) },
      };
    }
    default:
      return {
        kind: 'action',
        action: { ...base, contact: { kind: 'opted-out', reason: OPT_OUT_EVENTS[event] ?? event } },
      };
  }
};
