import { ReplySent } from '#events/catalog.ts';
import type { Channel } from '#events/envelope.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import type { Lead, LeadStore } from '#shared/ports/lead-store.ts';

/**
 * After a reply went out: the first one ever marks the lead engaged and fixes its speed-to-lead
 * (first message in to first reply out); every one is announced as `Reply Sent`. Announcing the
 * first reply again (a redelivery) gives the same event: its speed-to-lead is that reply's.
 */
export const announceReplySent = async (
  reply: {
    lead: Lead;
    correlationId: string;
    /** The inbound message answered. */
    messageId: string;
    outboundMessageId: string;
    channel: Channel;
    purpose: string;
    sentAt: string;
    composedBy?: 'openai' | 'template' | undefined;
  },
  deps: { store: LeadStore; publisher: EventPublisher },
): Promise<{ speedToLeadMs?: number }> => {
  const { lead } = reply;
  const isFirstReply = !lead.firstReplyAt || lead.firstReplyAt === reply.sentAt;
  const speedToLeadMs = isFirstReply
    ? Math.max(0, Date.parse(reply.sentAt) - Date.parse(lead.firstInboundAt))
    : undefined;
  if (!lead.firstReplyAt) {
    await deps.store.updateLead(lead.leadId, {
      firstReplyAt: reply.sentAt,
      ...(lead.status === 'new' && { status: 'engaged' }),
    });
  }
  await deps.publisher.publish(ReplySent, {
    version: 1,
    leadId: lead.leadId,
    correlationId: reply.correlationId,
    messageId: reply.messageId,
    outboundMessageId: reply.outboundMessageId,
    channel: reply.channel,
    purpose: reply.purpose,
    sentAt: reply.sentAt,
    ...(reply.composedBy && { composedBy: reply.composedBy }),
    ...(speedToLeadMs !== undefined && { speedToLeadMs }),
  });
  return speedToLeadMs === undefined ? {} : { speedToLeadMs };
};
