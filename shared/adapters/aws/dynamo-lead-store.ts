import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DeleteCommand, PutCommand, paginateQuery, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Channel } from '#events/envelope.ts';
import { now } from '#shared/clock.ts';
import type { ConsentLedgerEntry } from '#shared/compliance/consent-ledger.ts';
import { isSmsDeliveryFailure, type SmsDelivery, smsDeliveryRanks } from '#shared/domain/sms-delivery.ts';
import {
  type Conversation,
  type EmailDelivery,
  type EmailUnreachableState,
  type HeldMessageRef,
  type HeldOutcome,
  type HeldRepNotification,
  type InboundMedia,
  type InboundReading,
  type InboundRecord,
  type Lead,
  type LeadChanges,
  type LeadMessage,
  type LeadStore,
  leadFromInbound,
  type Meeting,
  type MeetingCancellation,
  type MessageRef,
  type ModifyLeadOptions,
  type OptOutState,
  type OutboundOutcome,
} from '#shared/ports/lead-store.ts';
import { changeOptOutState } from './dynamo-inbound-acceptance.ts';
import {
  isConditionFailure,
  LeadsTable,
  leadKey,
  messageKey,
  optOutKey,
  retryOnConflict,
  setExpression,
  strip,
} from './dynamo-table.ts';
import { LEADS_BY_ACTIVITY } from './lead-table.ts';

const providerMessageKey = (providerMessageId: string) => ({
  pk: `PROVIDERMSG#${providerMessageId}`,
  sk: 'MSG',
});

type RankedSmsDelivery = SmsDelivery & { rank: number };

/** The message a provider-message index item points at, once the sender has recorded it. */
const linkedMessage = (item: Record<string, unknown> | undefined): MessageRef | undefined => {
  const { leadId, messageId, at } = item ?? {};
  return typeof leadId === 'string' && typeof messageId === 'string' && typeof at === 'string'
    ? { leadId, messageId, at }
    : undefined;
};

const heldKey = (ref: HeldMessageRef) => ({ pk: 'HELD', sk: `${ref.sendAt}#${ref.leadId}#${ref.messageId}` });

/** Tries of a read-modify-write on one lead before giving up (each loses only to a concurrent writer). */
const MAX_LEAD_WRITE_ATTEMPTS = 8;

/** Messages oldest first; an answer sorts after what it answers when both carry the same instant. */
const byConversationOrder = (a: LeadMessage, b: LeadMessage) =>
  a.at.localeCompare(b.at) ||
  (a.direction === b.direction ? 0 : a.direction === 'in' ? -1 : 1) ||
  a.messageId.localeCompare(b.messageId);

type StoredMessage = LeadMessage & { accept?: unknown; acceptUntil?: unknown };

/**
 * The conversation as stored messages make it. A message a webhook claimed but has not published
 * (and `qualify` has not read) was never accepted: the provider is still retrying it, so it is not
 * part of the conversation yet.
 */
const conversationOf = (messages: readonly StoredMessage[]): LeadMessage[] =>
  messages
    .filter((m) => !(m.direction === 'in' && m.accept === 'claimed' && !m.reading))
    .map(({ accept: _a, acceptUntil: _u, ...message }) => message)
    .sort(byConversationOrder);

/**
 * The sort keys of a lead's partition that one query reads for `getConversation`: `LEAD`, then
 * `MEETING#…`, then `MSG#…` (`$` follows `#`), and not its recorded history (`EVENT#…`, before them).
 */
const CONVERSATION_RANGE = { from: 'LEAD', to: 'MSG$' };

/** The leads table as the pipeline's `LeadStore` (layout in `dynamo-table.ts`). */
export class DynamoLeadStore implements LeadStore {
  private readonly table: LeadsTable;
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(
    documents: DynamoDBDocumentClient,
    tableName: string,
    private readonly clock: () => Date = now,
  ) {
    this.table = new LeadsTable(documents, tableName);
    this.documents = documents;
    this.tableName = tableName;
  }

  async recordInbound(record: InboundRecord): Promise<{ lead: Lead; isNewLead: boolean }> {
    const now = this.clock().toISOString();
    const fresh: Lead = { ...leadFromInbound(record, now), version: 0 };
    const isNewLead = await this.table.putOnce({ ...leadKey(record.leadId), kind: 'lead', ...fresh });
    // The webhook stored the message when it accepted it; this covers events published before that.
    await this.table.putOnce({
      ...messageKey({ leadId: record.leadId, ...record.message }),
      kind: 'message',
      ...record.message,
      leadId: record.leadId,
      direction: 'in',
      status: 'received',
    });
    if (isNewLead) return { lead: fresh, isNewLead };

    // A known lead: it may have told us a name, or written from another thread; its first
    // message may be this one, if an earlier attempt created the lead and then failed.
    const lead = await this.modifyLead(record.leadId, (current) => {
      const changes: Partial<Lead> = {};
      if (record.name && !current.name) changes.name = record.name;
      if (record.emailThread) changes.emailThread = record.emailThread;
      if (record.message.at < current.firstInboundAt) changes.firstInboundAt = record.message.at;
      return Object.keys(changes).length > 0 ? changes : null;
    });
    return { lead, isNewLead };
  }

  async getLead(leadId: string): Promise<Lead | undefined> {
    const item = await this.table.get(leadKey(leadId));
    return item ? strip<Lead>(item) : undefined;
  }

  async getMessages(leadId: string): Promise<LeadMessage[]> {
    return conversationOf((await this.queryPrefix(`LEAD#${leadId}`, 'MSG#')) as unknown as StoredMessage[]);
  }

  async getConversation(leadId: string): Promise<Conversation> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': `LEAD#${leadId}`,
        ':from': CONVERSATION_RANGE.from,
        ':to': CONVERSATION_RANGE.to,
      },
    });
    let lead: Lead | undefined;
    const messages: StoredMessage[] = [];
    const meetings: Meeting[] = [];
    for (const item of items) {
      const sk = String(item.sk);
      if (sk === 'LEAD') lead = strip<Lead>(item);
      else if (sk.startsWith('MEETING#')) meetings.push(strip<Meeting>(item));
      else if (sk.startsWith('MSG#')) messages.push(strip<StoredMessage>(item));
    }
    const now = this.clock().toISOString();
    const pending = messages
      .filter(
        (m) => m.direction === 'in' && m.accept === 'claimed' && !m.reading && String(m.acceptUntil) > now,
      )
      .map(({ accept: _a, acceptUntil: _u, ...message }) => message);
    return { lead, messages: conversationOf(messages), meetings, pending };
  }

  async getMessage(leadId: string, messageId: string): Promise<LeadMessage | undefined> {
    const item = await this.table.get(messageKey({ leadId, messageId }));
    if (!item) return undefined;
    const { accept: _a, acceptUntil: _u, ...message } = strip<LeadMessage & Record<string, unknown>>(item);
    return message as LeadMessage;
  }

  async getMeetings(leadId: string): Promise<Meeting[]> {
    return (await this.queryPrefix(`LEAD#${leadId}`, 'MEETING#')) as unknown as Meeting[];
  }

  async updateLead(leadId: string, changes: Partial<Omit<Lead, 'leadId' | 'createdAt'>>): Promise<Lead> {
    return this.writeLead(leadId, changes);
  }

  async modifyLead(
    leadId: string,
    change: (lead: Lead) => LeadChanges | null,
    options: ModifyLeadOptions = {},
  ): Promise<Lead> {
    return retryOnConflict(async (attempt) => {
      const lead =
        attempt === 1 && options.current !== undefined ? options.current : await this.getLead(leadId);
      if (!lead) {
        if (!options.create) throw new Error(`Lead ${leadId} not found`);
        return await this.createLead(options.create, change(options.create));
      }
      const changes = change(lead);
      if (!changes) return lead;
      return await this.writeLead(leadId, changes, lead.version ?? 0);
    }, MAX_LEAD_WRITE_ATTEMPTS);
  }

  /** Creates the lead with the changes applied, unless it exists (a condition failure: read and retry). */
  private async createLead(fresh: Lead, changes: LeadChanges | null): Promise<Lead> {
    const { version: _ignored, ...fields } = (changes ?? {}) as LeadChanges & { version?: number };
    const lead: Lead = { ...fresh, ...fields, updatedAt: this.clock().toISOString(), version: 1 };
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...leadKey(lead.leadId), kind: 'lead', ...lead },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return lead;
  }

  /** Sets the fields and bumps `version`; with `expectedVersion`, only if nobody wrote since. */
  private async writeLead(leadId: string, changes: LeadChanges, expectedVersion?: number): Promise<Lead> {
    const { version: _ignored, ...fields } = changes as LeadChanges & { version?: number };
    const set = setExpression({ ...fields, updatedAt: this.clock().toISOString() });
    const values: Record<string, unknown> = { ...set.ExpressionAttributeValues, ':zero': 0, ':one': 1 };
    let condition = 'attribute_exists(pk)';
    if (expectedVersion !== undefined) {
      values[':expected'] = expectedVersion;
      condition +=
        expectedVersion === 0
          ? ' AND (attribute_not_exists(#version) OR #version = :expected)'
          : ' AND #version = :expected';
    }
    const { Attributes } = await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: leadKey(leadId),
        UpdateExpression: `${set.UpdateExpression}, #version = if_not_exists(#version, :zero) + :one`,
        ConditionExpression: condition,
        ExpressionAttributeNames: { ...set.ExpressionAttributeNames, '#version': 'version' },
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    if (!Attributes) throw new Error(`Lead ${leadId} not found`);
    return strip<Lead>(Attributes);
  }

  async settleInbound(
    ref: { leadId: string; messageId: string },
    reading: InboundReading,
    message?: Omit<LeadMessage, 'leadId' | 'direction' | 'status'>,
  ): Promise<InboundReading> {
    // The message's own fields, written only where the item has none (no webhook stored it).
    const absent = message
      ? Object.entries({
          ...message,
          kind: 'message',
          leadId: ref.leadId,
          direction: 'in',
          status: 'received',
        }).filter(([, value]) => value !== undefined)
      : [];
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: messageKey(ref),
          // Read by `qualify`, so its event was published, whatever the webhook managed to record.
          UpdateExpression: `SET ${[
            'reading = :reading',
            'accept = :published',
            ...absent.map((_, i) => `#m${i} = if_not_exists(#m${i}, :m${i})`),
          ].join(', ')} REMOVE acceptUntil`,
          ...(absent.length > 0 && {
            ExpressionAttributeNames: Object.fromEntries(absent.map(([name], i) => [`#m${i}`, name])),
          }),
          ExpressionAttributeValues: {
            ':reading': reading,
            ':published': 'published',
            ...Object.fromEntries(absent.map(([, value], i) => [`:m${i}`, value])),
          },
          // The first reading stands: a redelivery read at the same time gets it back.
          ConditionExpression: message
            ? 'attribute_not_exists(reading)'
            : 'attribute_exists(pk) AND attribute_not_exists(reading)',
        }),
      );
      return reading;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const stored = await this.getMessage(ref.leadId, ref.messageId);
      if (!stored?.reading) throw new Error(`Message ${ref.messageId} of lead ${ref.leadId} not found`);
      return stored.reading;
    }
  }

  async recordOutbound(message: Omit<LeadMessage, 'direction'>): Promise<LeadMessage> {
    const item = { ...messageKey(message), kind: 'message', ...message, direction: 'out' as const };
    if (!(await this.table.putOnce(item))) {
      const stored = await this.getMessage(message.leadId, message.messageId);
      if (stored) return stored;
    }
    if (message.channel === 'sms' && message.providerMessageId) {
      await this.linkProviderMessage(message.providerMessageId, message);
    }
    if (message.status === 'held' && message.sendAt) {
      const ref: HeldMessageRef = {
        leadId: message.leadId,
        messageId: message.messageId,
        at: message.at,
        sendAt: message.sendAt,
      };
      await this.table.putOnce({ ...heldKey(ref), kind: 'held', ...ref });
    }
    return { ...message, direction: 'out' };
  }

  async claimOutbound(
    message: Omit<LeadMessage, 'direction' | 'status' | 'claimedUntil'>,
    claimedUntil: Date,
  ): Promise<{ claimed: true } | { claimed: false; existing: LeadMessage }> {
    const item = {
      ...messageKey(message),
      kind: 'message',
      ...message,
      direction: 'out',
      status: 'sending',
      claimedUntil: claimedUntil.toISOString(),
    };
    if (await this.table.putOnce(item)) return { claimed: true };
    const existing = await this.getMessage(message.leadId, message.messageId);
    if (!existing) return this.claimOutbound(message, claimedUntil);
    return { claimed: false, existing };
  }

  async retakeOutbound(
    ref: { leadId: string; messageId: string },
    expiredClaim: string,
    claimedUntil: Date,
  ): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: messageKey(ref),
          UpdateExpression: 'SET claimedUntil = :until',
          ConditionExpression: '#status = :sending AND claimedUntil = :expired',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':until': claimedUntil.toISOString(),
            ':sending': 'sending',
            ':expired': expiredClaim,
          },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return false;
    }
  }

  async finishOutbound(ref: MessageRef & { channel: Channel }, outcome: OutboundOutcome): Promise<void> {
    const set = setExpression(outcome);
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: messageKey(ref),
        UpdateExpression: `${set.UpdateExpression} REMOVE claimedUntil`,
        ExpressionAttributeNames: set.ExpressionAttributeNames,
        ExpressionAttributeValues: set.ExpressionAttributeValues,
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
    if (ref.channel === 'sms' && outcome.providerMessageId) {
      await this.linkProviderMessage(outcome.providerMessageId, ref);
    }
  }

  async releaseOutbound(ref: { leadId: string; messageId: string }, claimedUntil: string): Promise<void> {
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: messageKey(ref),
          ConditionExpression: '#status = :sending AND claimedUntil = :until',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending', ':until': claimedUntil },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async expireOutbound(
    ref: { leadId: string; messageId: string },
    claimedUntil: string,
    now: Date,
  ): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: messageKey(ref),
          UpdateExpression: 'SET claimedUntil = :now',
          ConditionExpression: '#status = :sending AND claimedUntil = :until',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':until': claimedUntil,
            ':now': now.toISOString(),
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async listDueHeld(now: Date, limit: number): Promise<HeldMessageRef[]> {
    return (await this.queryDue('HELD', now, limit)).map((item) =>
      strip<HeldMessageRef & Record<string, unknown>>(item),
    );
  }

  /** Items of a due-time index partition (sort key `<iso time>#…`) due at `now`, oldest first. */
  private async queryDue(pk: string, now: Date, limit: number): Promise<Record<string, unknown>[]> {
    const { Items = [] } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk <= :now',
        // '~' sorts after every character of an id, so items due exactly now are included.
        ExpressionAttributeValues: { ':pk': pk, ':now': `${now.toISOString()}~` },
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return Items;
  }

  async claimHeld(
    ref: HeldMessageRef,
    claimedUntil: Date,
    now: Date,
  ): Promise<'claimed' | 'retaken' | false> {
    try {
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: messageKey(ref),
          UpdateExpression: 'SET #status = :sending, claimedUntil = :until',
          ConditionExpression: '#status = :held OR (#status = :sending AND claimedUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':held': 'held',
            ':until': claimedUntil.toISOString(),
            ':now': now.toISOString(),
          },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      return Attributes?.status === 'sending' ? 'retaken' : 'claimed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return false;
    }
  }

  async releaseHeld(ref: HeldMessageRef): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: messageKey(ref),
        UpdateExpression: 'SET #status = :held REMOVE claimedUntil',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':held': 'held' },
      }),
    );
  }

  async finishHeld(ref: HeldMessageRef, outcome: HeldOutcome): Promise<void> {
    const set = setExpression(outcome);
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: messageKey(ref),
        ...set,
        UpdateExpression: `${set.UpdateExpression} REMOVE claimedUntil`,
      }),
    );
    if (outcome.providerMessageId) await this.linkProviderMessage(outcome.providerMessageId, ref);
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: heldKey(ref) }));
  }

  async saveMeeting(meeting: Meeting): Promise<void> {
    await this.table.putOnce({
      pk: `LEAD#${meeting.leadId}`,
      sk: `MEETING#${meeting.meetingId}`,
      kind: 'meeting',
      ...meeting,
    });
  }

  async cancelMeeting(
    ref: { leadId: string; meetingId: string },
    cancellation: MeetingCancellation,
  ): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `LEAD#${ref.leadId}`, sk: `MEETING#${ref.meetingId}` },
          UpdateExpression: 'SET cancelled = :cancelled',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(cancelled)',
          ExpressionAttributeValues: { ':cancelled': cancellation },
        }),
      );
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
      // Cancelled already (a retry), or no such meeting: either way nothing is left to cancel.
    }
  }

  async markNoShow(ref: { leadId: string; meetingId: string }): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `LEAD#${ref.leadId}`, sk: `MEETING#${ref.meetingId}` },
          UpdateExpression: 'SET noShow = :yes',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':yes': true },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // No such meeting: nothing to mark.
    }
  }

  async setOptOut(state: OptOutState): Promise<void> {
    await changeOptOutState(this.table, state);
  }

  changeOptOut(state: OptOutState): Promise<boolean> {
    return changeOptOutState(this.table, state);
  }

  async getOptOut(contact: string): Promise<OptOutState | undefined> {
    const item = await this.table.get(optOutKey(contact));
    return item ? strip<OptOutState>(item) : undefined;
  }

  async recordConsentEvent(entry: ConsentLedgerEntry): Promise<void> {
    await this.table.putOnce({
      pk: `CONTACT#${entry.contact}`,
      sk: `CONSENT#${entry.at}#${entry.id}`,
      kind: 'consent',
      ...entry,
    });
  }

  async getConsentLedger(contact: string): Promise<ConsentLedgerEntry[]> {
    return (await this.queryPrefix(`CONTACT#${contact}`, 'CONSENT#')) as unknown as ConsentLedgerEntry[];
  }

  async holdRepNotification(notification: HeldRepNotification): Promise<void> {
    await this.table.putOnce({
      pk: 'REPHELD',
      sk: `${notification.sendAt}#${notification.id}`,
      kind: 'rep-notification',
      ...notification,
    });
  }

  async takeDueRepNotifications(now: Date, limit: number): Promise<HeldRepNotification[]> {
    const taken: HeldRepNotification[] = [];
    for (const item of await this.queryDue('REPHELD', now, limit)) {
      try {
        // Deleting is the claim: only one dispatcher's delete finds the item.
        await this.documents.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { pk: item.pk, sk: item.sk },
            ConditionExpression: 'attribute_exists(pk)',
          }),
        );
        taken.push(strip<HeldRepNotification & Record<string, unknown>>(item));
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    return taken;
  }

  async recordEmailDelivery(
    ref: { leadId: string; messageId: string },
    delivery: EmailDelivery,
  ): Promise<'recorded' | 'outdated' | 'not-found'> {
    const stored = await this.getMessage(ref.leadId, ref.messageId);
    if (stored?.direction !== 'out') return 'not-found';
    const key = messageKey(ref);
    // Events arrive out of order and repeat: a deferral only follows a deferral, a final state
    // replaces a deferral or an older final state.
    const condition =
      delivery.status === 'deferred'
        ? 'attribute_not_exists(emailDelivery) OR (emailDelivery.#status = :deferred AND emailDelivery.#at <= :at)'
        : 'attribute_not_exists(emailDelivery) OR emailDelivery.#status = :deferred OR emailDelivery.#at <= :at';
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET emailDelivery = :delivery',
          ConditionExpression: `attribute_exists(pk) AND (${condition})`,
          ExpressionAttributeNames: { '#status': 'status', '#at': 'at' },
          ExpressionAttributeValues: { ':delivery': delivery, ':deferred': 'deferred', ':at': delivery.at },
        }),
      );
      return 'recorded';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return 'outdated';
    }
  }

  async setEmailUnreachable(state: EmailUnreachableState): Promise<void> {
    // The first proof is kept; a later bounce of the same address changes nothing.
    await this.table.putOnce({
      pk: `CONTACT#${state.contact}`,
      sk: 'UNREACHABLE',
      kind: 'email-unreachable',
      ...state,
    });
  }

  async getEmailUnreachable(email: string): Promise<EmailUnreachableState | undefined> {
    const item = await this.table.get({ pk: `CONTACT#${email}`, sk: 'UNREACHABLE' });
    return item ? strip<EmailUnreachableState>(item) : undefined;
  }

  async clearEmailUnreachable(email: string): Promise<boolean> {
    const { Attributes } = await this.documents.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { pk: `CONTACT#${email}`, sk: 'UNREACHABLE' },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes !== undefined;
  }

  async recordSmsDelivery(
    providerMessageId: string,
    delivery: SmsDelivery,
  ): Promise<{ outcome: 'recorded' | 'outdated' | 'pending'; message?: MessageRef }> {
    const ranked: RankedSmsDelivery = { ...delivery, rank: smsDeliveryRanks[delivery.status] };
    // The index item keeps the furthest status seen, whether or not the sender has linked it yet.
    let index: Record<string, unknown> | undefined;
    try {
      const set = setExpression({ kind: 'provider-message', smsDelivery: ranked });
      ({ Attributes: index } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: providerMessageKey(providerMessageId),
          ...set,
          ConditionExpression: 'attribute_not_exists(#sd) OR #sd.#rank < :rank',
          ExpressionAttributeNames: {
            ...set.ExpressionAttributeNames,
            '#sd': 'smsDelivery',
            '#rank': 'rank',
          },
          ExpressionAttributeValues: { ...set.ExpressionAttributeValues, ':rank': ranked.rank },
          ReturnValues: 'ALL_NEW',
        }),
      ));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return { outcome: 'outdated' };
    }
    const message = linkedMessage(index);
    if (!message) return { outcome: 'pending' };
    await this.applySmsDelivery(message, ranked);
    return { outcome: 'recorded', message };
  }

  async recordInboundMedia(ref: MessageRef, media: InboundMedia[]): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: messageKey(ref),
          ...setExpression({ media }),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return false;
    }
  }

  /** Points a provider's message id at the stored text, and applies a status that came first. */
  private async linkProviderMessage(providerMessageId: string, ref: MessageRef): Promise<void> {
    const { Attributes } = await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: providerMessageKey(providerMessageId),
        ...setExpression({
          kind: 'provider-message',
          leadId: ref.leadId,
          messageId: ref.messageId,
          at: ref.at,
        }),
        ReturnValues: 'ALL_NEW',
      }),
    );
    const early = Attributes?.smsDelivery as RankedSmsDelivery | undefined;
    if (early) await this.applySmsDelivery(ref, early);
  }

  /** Moves a text's delivery state forward only; a failure also marks the message failed. */
  private async applySmsDelivery(ref: MessageRef, delivery: RankedSmsDelivery): Promise<void> {
    const failed = isSmsDeliveryFailure(delivery.status);
    const set = setExpression({
      smsDelivery: delivery,
      ...(failed && {
        status: 'failed',
        reason: `the text was ${delivery.status}${delivery.errorCode ? ` (Twilio error ${delivery.errorCode})` : ''}`,
      }),
    });
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: messageKey(ref),
          ...set,
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#sd) OR #sd.#rank < :rank)',
          ExpressionAttributeNames: {
            ...set.ExpressionAttributeNames,
            '#sd': 'smsDelivery',
            '#rank': 'rank',
          },
          ExpressionAttributeValues: { ...set.ExpressionAttributeValues, ':rank': delivery.rank },
        }),
      );
    } catch (error) {
      // Already as far along (a repeat, or the other path applied it first).
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** Every lead, latest activity first, through the leads-by-activity index (no table scan). */
  async listLeads(): Promise<Lead[]> {
    const leads: Lead[] = [];
    const pages = paginateQuery(
      { client: this.documents },
      {
        TableName: this.tableName,
        IndexName: LEADS_BY_ACTIVITY.indexName,
        KeyConditionExpression: '#kind = :lead',
        ExpressionAttributeNames: { '#kind': LEADS_BY_ACTIVITY.partitionKey },
        ExpressionAttributeValues: { ':lead': LEADS_BY_ACTIVITY.leadKind },
        ScanIndexForward: false,
      },
    );
    // A lead updated while the pages are read moves in the index and can be met twice: kept once,
    // where it was met first (its latest activity).
    const seen = new Set<string>();
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const lead = strip<Lead & Record<string, unknown>>(item);
        if (seen.has(lead.leadId)) continue;
        seen.add(lead.leadId);
        leads.push(lead);
      }
    }
    return leads;
  }

  /** Items of one partition whose sort key starts with `prefix`, in sort-key order, keys stripped. */
  private queryPrefix(pk: string, prefix: string): Promise<Record<string, unknown>[]> {
    return this.table.query(pk, prefix);
  }

  /** Every page of a strongly consistent query on the table, items as stored (keys included). */
  private async query(input: {
    KeyConditionExpression: string;
    ExpressionAttributeValues: Record<string, unknown>;
  }): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    const pages = paginateQuery(
      { client: this.documents },
      { TableName: this.tableName, ...input, ConsistentRead: true },
    );
    for await (const page of pages) items.push(...(page.Items ?? []));
    return items;
  }
}
