import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import pRetry from 'p-retry';

/**
 * The leads table's keys and the small DynamoDB helpers every module over it shares.
 *
 * | pk                | sk                        | item |
 * | LEAD#<id>         | LEAD                      | the lead (with `version`, for optimistic concurrency) |
 * | LEAD#<id>         | MSG#<messageId>           | a message in or out |
 * | LEAD#<id>         | MEETING#<meetingId>       | a meeting |
 * | CONTACT#<c>       | OPTOUT                    | opt-out state |
 * | CONTACT#<email>   | UNREACHABLE               | the address bounced for good |
 * | HELD              | <sendAt>#<leadId>#<msgId> | a held text due at sendAt |
 * | PROVIDERMSG#<sid> | MSG                       | a sent text by Twilio's sid, for its status callbacks |
 *
 * A message's key holds its id and nothing else: an inbound id comes from the provider
 * (`sms-<MessageSid>`, `email-<hash of Message-ID>`), an answer's from the message it answers
 * (`out-<inbound id>`), so a redelivery, a republish after a crash or a retried send finds the
 * item the first attempt wrote instead of writing a second one (ARCHITECTURE.md, "Decisions").
 */
export const leadKey = (leadId: string) => ({ pk: `LEAD#${leadId}`, sk: 'LEAD' });

export const messageKey = (m: { leadId: string; messageId: string }) => ({
  pk: `LEAD#${m.leadId}`,
  sk: `MSG#${m.messageId}`,
});

export const optOutKey = (contact: string) => ({ pk: `CONTACT#${contact}`, sk: 'OPTOUT' });

/** `SET` for every defined field, with placeholder names so any attribute name is safe. */
export const setExpression = (fields: object) => {
  const entries = Object.entries(fields).filter(([, value]) => value !== undefined);
  return {
    UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
    ExpressionAttributeNames: Object.fromEntries(entries.map(([key], i) => [`#f${i}`, key])),
    ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
  };
};

export const isConditionFailure = (error: unknown) =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/**
 * Runs a read-modify-write that ends in a conditional write (`attempt`, given the try's number
 * from 1) until it stops losing to a concurrent writer. A `ConditionalCheckFailedException` is
 * tried again, `tries` times in all, after a jittered exponential pause (5 ms doubling, at most
 * 250 ms: "Exponential Backoff And Jitter", AWS Architecture Blog, 2015), so writers that contend
 * for one hot item spread out instead of colliding again at once. Throws any other error, or the
 * last conflict.
 */
export const retryOnConflict = <T>(attempt: (tryNumber: number) => Promise<T>, tries: number): Promise<T> =>
  pRetry(attempt, {
    retries: tries - 1,
    minTimeout: 5,
    factor: 2,
    maxTimeout: 250,
    randomize: true,
    shouldRetry: ({ error }) => isConditionFailure(error),
  });

/** The item without its table keys and internal markers. */
export const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, kind: _kind, ...rest } = item;
  return rest as T;
};

/** One table and its client, with the two operations every module repeats. */
export class LeadsTable {
  constructor(
    readonly documents: DynamoDBDocumentClient,
    readonly name: string,
  ) {}

  /** A strongly consistent read of one item; undefined when absent. */
  async get(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.name, Key: key, ConsistentRead: true }),
    );
    return Item;
  }

  /** Writes the item unless its key exists; true when this call wrote it. */
  async putOnce(item: Record<string, unknown>): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({ TableName: this.name, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return false;
    }
  }

  /** Items of one partition whose sort key starts with `prefix`, in sort-key order, without their keys. */
  async query(pk: string, prefix: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    const pages = paginateQuery(
      { client: this.documents },
      {
        TableName: this.name,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) items.push(strip(item));
    }
    return items;
  }
}
