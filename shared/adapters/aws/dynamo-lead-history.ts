import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { ConsentEntry, LeadHistory, RecordedEvent } from '#shared/ports/lead-history.ts';
import { LeadsTable } from './dynamo-table.ts';

/** BatchWriteItem's most items per request. */
const MAX_BATCH_WRITE = 25;
/** Tries of a batch's unprocessed items before the batch fails (and SQS retries it). */
const UNPROCESSED_ATTEMPTS = 4;

/**
 * The lead's history in the leads table, beside its messages:
 * | pk            | sk                          | item                  |
 * | LEAD#<id>     | EVENT#<fact>                | a recorded event, once per fact (its dedupe key) |
 * | LEAD#<id>     | EVENT#<iso time>#<eventId>  | an event recorded before facts were kept |
 * | CONTACT#<c>   | CONSENT#…                   | consent ledger entry (written by the ledger, read here) |
 */
export class DynamoLeadHistory implements LeadHistory {
  private readonly table: LeadsTable;

  constructor(documents: DynamoDBDocumentClient, tableName: string) {
    this.table = new LeadsTable(documents, tableName);
  }

  async recordAll(events: readonly RecordedEvent[]): Promise<void> {
    // One item per fact: a batch holding a fact twice (a redelivery beside its original) writes it once.
    const items = new Map<string, Record<string, unknown>>();
    for (const event of events) {
      const key = { pk: `LEAD#${event.leadId}`, sk: `EVENT#${event.fact ?? `${event.at}#${event.eventId}`}` };
      const id = `${key.pk}|${key.sk}`;
      if (!items.has(id)) items.set(id, { ...key, kind: 'event', ...event });
    }
    const all = [...items.values()];
    for (let start = 0; start < all.length; start += MAX_BATCH_WRITE) {
      await this.writeBatch(all.slice(start, start + MAX_BATCH_WRITE));
    }
  }

  /** One BatchWriteItem, its unprocessed items (throttling) written again with a short backoff. */
  private async writeBatch(items: Record<string, unknown>[]): Promise<void> {
    let pending: BatchWriteCommandInput['RequestItems'] = {
      [this.table.name]: items.map((Item) => ({ PutRequest: { Item } })),
    };
    for (let attempt = 1; ; attempt++) {
      const { UnprocessedItems }: { UnprocessedItems?: BatchWriteCommandInput['RequestItems'] } =
        await this.table.documents.send(new BatchWriteCommand({ RequestItems: pending }));
      if (!UnprocessedItems || Object.keys(UnprocessedItems).length === 0) return;
      // The batch fails and SQS retries it: rewriting a fact's item is harmless.
      if (attempt >= UNPROCESSED_ATTEMPTS) throw new Error('DynamoDB left timeline items unprocessed');
      pending = UnprocessedItems;
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }

  async events(leadId: string): Promise<RecordedEvent[]> {
    const events = (await this.query(`LEAD#${leadId}`, 'EVENT#')) as unknown as RecordedEvent[];
    // Keyed by fact, not time: oldest first by when each happened.
    return events.sort((a, b) => a.at.localeCompare(b.at));
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
