import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { ConsentEntry, LeadHistory, RecordedEvent } from '#shared/ports/lead-history.ts';

/**
 * The lead's history in the leads table, beside its messages:
 * | pk            | sk                          | item                  |
 * | LEAD#<id>     | EVENT#<iso time>#<eventId>  | a recorded event      |
 * | CONTACT#<c>   | CONSENT#…                   | consent ledger entry (written by the ledger, read here) |
 */
export class DynamoLeadHistory implements LeadHistory {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(event: RecordedEvent): Promise<void> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `LEAD#${event.leadId}`,
            sk: `EVENT#${event.at}#${event.eventId}`,
            kind: 'event',
            ...event,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      // Recorded already: a redelivery.
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
    }
  }

  async events(leadId: string): Promise<RecordedEvent[]> {
    return (await this.query(`LEAD#${leadId}`, 'EVENT#')) as unknown as RecordedEvent[];
  }

  async consentEntries(contact: string): Promise<ConsentEntry[]> {
    return (await this.query(`CONTACT#${contact}`, 'CONSENT#'))
      .filter((item): item is ConsentEntry => typeof item.at === 'string')
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  private async query(pk: string, prefix: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    const pages = paginateQuery(
      { client: this.documents },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
      },
    );
    for await (const page of pages) {
      for (const { pk: _pk, sk: _sk, kind: _kind, ...item } of page.Items ?? []) items.push(item);
    }
    return items;
  }
}
