import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ConsentEntry, LeadHistory, RecordedEvent } from '#shared/ports/lead-history.ts';
import { LeadsTable } from './dynamo-table.ts';

/**
 * The lead's history in the leads table, beside its messages:
 * | pk            | sk                          | item                  |
 * | LEAD#<id>     | EVENT#<iso time>#<eventId>  | a recorded event      |
 * | CONTACT#<c>   | CONSENT#…                   | consent ledger entry (written by the ledger, read here) |
 */
export class DynamoLeadHistory implements LeadHistory {
  private readonly table: LeadsTable;

  constructor(documents: DynamoDBDocumentClient, tableName: string) {
    this.table = new LeadsTable(documents, tableName);
  }

  async record(event: RecordedEvent): Promise<void> {
    // Written once: a redelivery finds it recorded.
    await this.table.putOnce({
      pk: `LEAD#${event.leadId}`,
      sk: `EVENT#${event.at}#${event.eventId}`,
      kind: 'event',
      ...event,
    });
  }

  async events(leadId: string): Promise<RecordedEvent[]> {
    return (await this.query(`LEAD#${leadId}`, 'EVENT#')) as unknown as RecordedEvent[];
  }

  async consentEntries(contact: string): Promise<ConsentEntry[]> {
    return (await this.query(`CONTACT#${contact}`, 'CONSENT#'))
      .filter((item): item is ConsentEntry => typeof item.at === 'string')
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  private query(pk: string, prefix: string): Promise<Record<string, unknown>[]> {
    return this.table.query(pk, prefix);
  }
}
