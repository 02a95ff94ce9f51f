import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';

export type OutboxKind = 'sms' | 'email' | 'slack' | 'crm' | 'booking' | 'booking-cancelled';

export interface OutboxEntry {
  id: string;
  kind: OutboxKind;
  /** Recipient: phone, email, Slack channel, CRM record or calendar. */
  to: string;
  body: string;
  at: string;
  details: Record<string, unknown>;
}

/**
 * Where the sandbox adapters record what the real providers would have been sent, so a local
 * user (and a test) sees every SMS, email, Slack post, CRM write and booking. Kept in the leads
 * table so it works the same in a deployed sandbox stack.
 */
export class SandboxOutbox {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async record(entry: Omit<OutboxEntry, 'id' | 'at'> & { id?: string }): Promise<OutboxEntry> {
    const full: OutboxEntry = { ...entry, id: entry.id ?? randomUUID(), at: this.clock().toISOString() };
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: 'OUTBOX', sk: `${full.at}#${full.id}`, ...full },
      }),
    );
    return full;
  }

  /** Entries oldest first; with `since`, only those recorded at or after it. */
  async list(options: { since?: Date } = {}): Promise<OutboxEntry[]> {
    const entries: OutboxEntry[] = [];
    const pages = paginateQuery(
      { client: this.documents },
      {
        TableName: this.tableName,
        KeyConditionExpression: options.since ? 'pk = :pk AND sk >= :since' : 'pk = :pk',
        ExpressionAttributeValues: {
          ':pk': 'OUTBOX',
          ...(options.since && { ':since': options.since.toISOString() }),
        },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const { pk: _pk, sk: _sk, ...entry } of page.Items ?? []) entries.push(entry as OutboxEntry);
    }
    return entries;
  }
}
