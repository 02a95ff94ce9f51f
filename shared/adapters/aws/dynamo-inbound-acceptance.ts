import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AcceptedInbound, InboundAcceptance, InboundClaim } from '#shared/ports/inbound-acceptance.ts';
import type { LeadMessage, OptOutState } from '#shared/ports/lead-store.ts';
import { isConditionFailure, type LeadsTable, messageKey, optOutKey, strip } from './dynamo-table.ts';

/** Publishing state on an inbound message item, kept out of the message the rest of the code sees. */
interface AcceptState {
  accept?: 'claimed' | 'published';
  acceptUntil?: string;
}

const asMessage = (item: Record<string, unknown>): LeadMessage => {
  const { accept: _a, acceptUntil: _u, ...message } = strip<LeadMessage & AcceptState>(item);
  return message;
};

/**
 * `InboundAcceptance` on the leads table: the message item (`LEAD#<leadId>` / `MSG#<messageId>`)
 * carries `accept` (claimed → published) and, while claimed, `acceptUntil`. Conditional writes
 * make the claim and the take-over atomic, so two webhook invocations never both publish a
 * message while the first is alive.
 */
export class DynamoInboundAcceptance implements InboundAcceptance {
  constructor(private readonly table: LeadsTable) {}

  async claim(message: AcceptedInbound, options: { now: Date; claimMs: number }): Promise<InboundClaim> {
    const until = new Date(options.now.getTime() + options.claimMs).toISOString();
    const item = {
      ...messageKey(message),
      kind: 'message',
      ...message,
      direction: 'in',
      status: 'received',
      accept: 'claimed',
      acceptUntil: until,
    };
    if (await this.table.putOnce(item)) return { state: 'claimed', message: asMessage(item) };

    const stored = await this.table.get(messageKey(message));
    // Gone between the two calls (a data reset): nothing holds it, so claim it again.
    if (!stored) return this.claim(message, options);
    const state = stored as AcceptState;
    // Stored by a completed attempt, or by the pipeline itself before webhooks stored messages.
    if (state.accept !== 'claimed') return { state: 'published', message: asMessage(stored) };
    const heldUntil = state.acceptUntil ?? '';
    if (heldUntil > options.now.toISOString()) return { state: 'in-progress', until: heldUntil };

    // The attempt that claimed it is gone (a crash, a timeout): take it over, unless another did.
    try {
      await this.table.documents.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: messageKey(message),
          UpdateExpression: 'SET acceptUntil = :until',
          ConditionExpression: 'accept = :claimed AND acceptUntil = :held',
          ExpressionAttributeValues: { ':until': until, ':claimed': 'claimed', ':held': heldUntil },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return this.claim(message, options);
    }
    return { state: 'claimed', message: asMessage(stored) };
  }

  async markPublished(ref: { leadId: string; messageId: string }): Promise<void> {
    await this.table.documents.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: messageKey(ref),
        UpdateExpression: 'SET accept = :published REMOVE acceptUntil',
        ExpressionAttributeValues: { ':published': 'published' },
      }),
    );
  }

  async release(ref: { leadId: string; messageId: string }): Promise<void> {
    try {
      await this.table.documents.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: messageKey(ref),
          UpdateExpression: 'SET acceptUntil = :expired',
          ConditionExpression: 'accept = :claimed',
          ExpressionAttributeValues: { ':expired': new Date(0).toISOString(), ':claimed': 'claimed' },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async setOptOut(state: OptOutState): Promise<void> {
    await changeOptOutState(this.table, state);
  }
}

/**
 * Moves a contact's opt-out state, with one conditional write, and says whether it moved. The
 * state changes only to the other value and only for a signal at least as recent (by `at`, the
 * time of the message or signal that caused it), so a retried or late STOP never undoes a START
 * the contact sent after it, and a second STOP keeps the first as the one that set the state (the
 * confirmation gate answers only that one). The message that set it may rewrite it (a retry
 * completing what it wrote).
 */
export const changeOptOutState = async (table: LeadsTable, state: OptOutState): Promise<boolean> => {
  try {
    await table.documents.send(
      new PutCommand({
        TableName: table.name,
        Item: { ...optOutKey(state.contact), kind: 'opt-out', ...state },
        ConditionExpression:
          'attribute_not_exists(pk) OR messageId = :messageId OR (optedOut <> :optedOut AND #at <= :at)',
        ExpressionAttributeNames: { '#at': 'at' },
        ExpressionAttributeValues: {
          ':messageId': state.messageId,
          ':optedOut': state.optedOut,
          ':at': state.at,
        },
      }),
    );
    return true;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return false;
  }
};
