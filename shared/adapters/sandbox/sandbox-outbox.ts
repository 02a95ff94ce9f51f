import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { now } from '#shared/clock.ts';

export const OUTBOX_KINDS = ['sms', 'email', 'slack', 'crm', 'booking', 'booking-cancelled'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

export interface OutboxFilter {
  kind?: OutboxKind;
  /** One recipient, or several that are one person (a phone number and its WhatsApp address). */
  to?: string | readonly string[];
  /** ISO 8601 UTC. */
  since?: string;
}

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
    private readonly clock: () => Date = now,
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

  /**
   * What was recorded, oldest first; only entries of `kind`, to `to` (exactly as recorded: E.164
   * phone, lower-cased email, channel or record id) and at or after `since` (ISO 8601 UTC) when given.
   */
  async list(filter: OutboxFilter = {}): Promise<OutboxEntry[]> {
    const recipients = filter.to === undefined ? [] : typeof filter.to === 'string' ? [filter.to] : filter.to;
    const conditions = [
      ...(filter.kind ? ['#kind = :kind'] : []),
      ...(recipients.length > 0 ? [`#to IN (${recipients.map((_, i) => `:to${i}`).join(', ')})`] : []),
    ];
    const entries: OutboxEntry[] = [];
    const pages = paginateQuery(
      { client: this.documents },
      {
        TableName: this.tableName,
        // The sort key starts with the time it was recorded, so `since` is a key condition.
        KeyConditionExpression: filter.since ? 'pk = :pk AND sk >= :since' : 'pk = :pk',
        ...(conditions.length > 0 && {
          FilterExpression: conditions.join(' AND '),
          ExpressionAttributeNames: {
            ...(filter.kind && { '#kind': 'kind' }),
            ...(recipients.length > 0 && { '#to': 'to' }),
          },
        }),
        ExpressionAttributeValues: {
          ':pk': 'OUTBOX',
          ...(filter.since && { ':since': filter.since }),
          ...(filter.kind && { ':kind': filter.kind }),
          ...Object.fromEntries(recipients.map((to, i) => [`:to${i}`, to])),
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
