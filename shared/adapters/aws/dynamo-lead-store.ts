import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  paginateQuery,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isSmsDeliveryFailure, type SmsDelivery, smsDeliveryRanks } from '#shared/domain/sms-delivery.ts';
import type {
  EmailDelivery,
  EmailUnreachableState,
  HeldMessageRef,
  HeldOutcome,
  InboundMedia,
  InboundRecord,
  Lead,
  LeadMessage,
  LeadStore,
  Meeting,
  MessageRef,
  OptOutState,
} from '#shared/ports/lead-store.ts';
import { LEADS_BY_ACTIVITY } from './lead-table.ts';

/**
 * Single-table layout:
 * | pk              | sk                          | item            |
 * | LEAD#<id>       | LEAD                        | the lead        |
 * | LEAD#<id>       | MSG#<iso time>#<messageId>  | a message       |
 * | LEAD#<id>       | MEETING#<meetingId>         | a meeting       |
 * | CONTACT#<c>     | OPTOUT                      | opt-out state   |
 * | CONTACT#<email> | UNREACHABLE                 | the address bounced for good |
 * | HELD            | <sendAt>#<leadId>#<msgId>   | a held text due at sendAt |
 * | PROVIDERMSG#<sid> | MSG                       | a sent text by Twilio's sid, for its status callbacks |
 * Message items are written with a condition on their key, so a redelivered message is
 * stored once.
 */
const leadKey = (leadId: string) => ({ pk: `LEAD#${leadId}`, sk: 'LEAD' });
const messageKey = (m: { leadId: string; at: string; messageId: string }) => ({
  pk: `LEAD#${m.leadId}`,
  sk: `MSG#${m.at}#${m.messageId}`,
});

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

/** `SET` for every defined field, with placeholder names so any attribute name is safe. */
const setExpression = (fields: object) => {
  const entries = Object.entries(fields).filter(([, value]) => value !== undefined);
  return {
    UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
    ExpressionAttributeNames: Object.fromEntries(entries.map(([key], i) => [`#f${i}`, key])),
    ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
  };
};

const isConditionFailure = (error: unknown) =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

const strip = <T extends Record<string, unknown>>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, kind: _kind, ...rest } = item;
  return rest as T;
};

export class DynamoLeadStore implements LeadStore {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async recordInbound(record: InboundRecord): Promise<{ lead: Lead; isNewLead: boolean }> {
    const now = this.clock().toISOString();
    const fresh: Lead = {
      leadId: record.leadId,
      contact: record.contact,
      channel: record.channel,
      ...(record.phone && { phone: record.phone }),
      ...(record.email && { email: record.email }),
      ...(record.name && { name: record.name }),
      timeZone: record.timeZone,
      status: 'new',
      createdAt: now,
      updatedAt: now,
      firstInboundAt: record.message.at,
      known: {},
      ...(record.emailThread && { emailThread: record.emailThread }),
    };
    let isNewLead = true;
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...leadKey(record.leadId), kind: 'lead', ...fresh },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      isNewLead = false;
    }
    await this.putOnce({
      ...messageKey({ leadId: record.leadId, ...record.message }),
      kind: 'message',
      ...record.message,
      leadId: record.leadId,
      direction: 'in',
      status: 'received',
    });
    if (isNewLead) return { lead: fresh, isNewLead };

    // A known lead: it may have told us a name, or written from another thread.
    const changes: Partial<Lead> = {};
    if (record.name) changes.name = record.name;
    if (record.emailThread) changes.emailThread = record.emailThread;
    const lead =
      Object.keys(changes).length > 0
        ? await this.updateLead(record.leadId, changes)
        : await this.getLead(record.leadId);
    if (!lead) throw new Error(`Lead ${record.leadId} vanished while recording a message`);
    return { lead, isNewLead };
  }

  async getLead(leadId: string): Promise<Lead | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: leadKey(leadId), ConsistentRead: true }),
    );
    return Item ? strip<Lead & Record<string, unknown>>(Item) : undefined;
  }

  async getMessages(leadId: string): Promise<LeadMessage[]> {
    return (await this.queryPrefix(leadId, 'MSG#')) as unknown as LeadMessage[];
  }

  async getMeetings(leadId: string): Promise<Meeting[]> {
    return (await this.queryPrefix(leadId, 'MEETING#')) as unknown as Meeting[];
  }

  async updateLead(leadId: string, changes: Partial<Omit<Lead, 'leadId' | 'createdAt'>>): Promise<Lead> {
    const { Attributes } = await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: leadKey(leadId),
        ...setExpression({ ...changes, updatedAt: this.clock().toISOString() }),
        ConditionExpression: 'attribute_exists(pk)',
        ReturnValues: 'ALL_NEW',
      }),
    );
    if (!Attributes) throw new Error(`Lead ${leadId} not found`);
    return strip<Lead & Record<string, unknown>>(Attributes);
  }

  async recordOutbound(message: Omit<LeadMessage, 'direction'>): Promise<void> {
    await this.putOnce({ ...messageKey(message), kind: 'message', ...message, direction: 'out' });
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
      await this.putOnce({ ...heldKey(ref), kind: 'held', ...ref });
    }
  }

  async listDueHeld(now: Date, limit: number): Promise<HeldMessageRef[]> {
    const { Items = [] } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :held AND sk <= :now',
        // '~' sorts after every character of an id, so messages due exactly now are included.
        ExpressionAttributeValues: { ':held': 'HELD', ':now': `${now.toISOString()}~` },
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return Items.map((item) => strip<HeldMessageRef & Record<string, unknown>>(item));
  }

  async claimHeld(ref: HeldMessageRef): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: messageKey(ref),
          UpdateExpression: 'SET #status = :sending',
          ConditionExpression: '#status = :held',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending', ':held': 'held' },
        }),
      );
      return true;
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
        ...setExpression({ status: 'held' }),
      }),
    );
  }

  async finishHeld(ref: HeldMessageRef, outcome: HeldOutcome): Promise<void> {
    await this.documents.send(
      new UpdateCommand({ TableName: this.tableName, Key: messageKey(ref), ...setExpression(outcome) }),
    );
    if (outcome.providerMessageId) await this.linkProviderMessage(outcome.providerMessageId, ref);
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: heldKey(ref) }));
  }

  async saveMeeting(meeting: Meeting): Promise<void> {
    await this.putOnce({
      pk: `LEAD#${meeting.leadId}`,
      sk: `MEETING#${meeting.meetingId}`,
      kind: 'meeting',
      ...meeting,
    });
  }

  async setOptOut(state: OptOutState): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: `CONTACT#${state.contact}`, sk: 'OPTOUT', kind: 'opt-out', ...state },
      }),
    );
  }

  async getOptOut(contact: string): Promise<OptOutState | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: `CONTACT#${contact}`, sk: 'OPTOUT' },
        ConsistentRead: true,
      }),
    );
    return Item ? strip<OptOutState & Record<string, unknown>>(Item) : undefined;
  }

  async recordEmailDelivery(
    ref: { leadId: string; messageId: string },
    delivery: EmailDelivery,
  ): Promise<'recorded' | 'outdated' | 'not-found'> {
    const pages = paginateQuery(
      { client: this.documents },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: '#id = :id AND #direction = :out',
        ExpressionAttributeNames: { '#id': 'messageId', '#direction': 'direction' },
        ExpressionAttributeValues: {
          ':pk': `LEAD#${ref.leadId}`,
          ':prefix': 'MSG#',
          ':id': ref.messageId,
          ':out': 'out',
        },
        ProjectionExpression: 'pk, sk',
        ConsistentRead: true,
      },
    );
    let key: { pk: unknown; sk: unknown } | undefined;
    for await (const page of pages) {
      const item = page.Items?.[0];
      if (item) {
        key = { pk: item.pk, sk: item.sk };
        break;
      }
    }
    if (!key) return 'not-found';
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
    await this.putOnce({
      pk: `CONTACT#${state.contact}`,
      sk: 'UNREACHABLE',
      kind: 'email-unreachable',
      ...state,
    });
  }

  async getEmailUnreachable(email: string): Promise<EmailUnreachableState | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: `CONTACT#${email}`, sk: 'UNREACHABLE' },
        ConsistentRead: true,
      }),
    );
    return Item ? strip<EmailUnreachableState & Record<string, unknown>>(Item) : undefined;
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
    for await (const page of pages) {
      for (const item of page.Items ?? []) leads.push(strip<Lead & Record<string, unknown>>(item));
    }
    return leads;
  }

  private async queryPrefix(leadId: string, prefix: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    const pages = paginateQuery(
      { client: this.documents },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `LEAD#${leadId}`, ':prefix': prefix },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) items.push(strip(item));
    }
    return items;
  }

  private async putOnce(item: Record<string, unknown>): Promise<void> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
