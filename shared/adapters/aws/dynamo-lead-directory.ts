import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { InvalidCursorError, type LeadDirectory } from '#shared/ports/lead-directory.ts';
import type { Lead, LeadMessage } from '#shared/ports/lead-store.ts';
import { DynamoLeadStore } from './dynamo-lead-store.ts';
import { LEADS_BY_ACTIVITY } from './lead-table.ts';

/** A position in the index: the keys of the last lead a page returned (what DynamoDB's ExclusiveStartKey takes). */
const IndexKey = z.object({
  pk: z.string().startsWith('LEAD#'),
  sk: z.literal('LEAD'),
  [LEADS_BY_ACTIVITY.partitionKey]: z.literal(LEADS_BY_ACTIVITY.leadKind),
  [LEADS_BY_ACTIVITY.sortKey]: z.string().min(1),
});
type IndexKey = z.infer<typeof IndexKey>;

const encodeCursor = (key: IndexKey) => Buffer.from(JSON.stringify(key)).toString('base64url');
const decodeCursor = (cursor: string): IndexKey => {
  try {
    return IndexKey.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new InvalidCursorError('cursor is not one this list handed out');
  }
};

const keyOf = (item: Record<string, unknown>): IndexKey => IndexKey.parse(item);

const toLead = (item: Record<string, unknown>): Lead => {
  const { pk: _pk, sk: _sk, kind: _kind, ...lead } = item;
  return lead as unknown as Lead;
};

/** How many index items one query reads while filling a page (filters may drop most of them). */
const READ_CHUNK = 100;

/**
 * The lead list through the leads-by-activity index (`lead-table.ts`): newest activity first,
 * filtered in pages, never a table scan. Index reads are eventually consistent: a lead changed a
 * moment ago may show its previous state for a moment.
 */
export class DynamoLeadDirectory implements LeadDirectory {
  private store: DynamoLeadStore | undefined;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async page(query: {
    limit: number;
    cursor?: string;
    activeSince?: string;
    matches?: (lead: Lead) => boolean;
  }): Promise<{ leads: Lead[]; nextCursor?: string }> {
    let startKey: Record<string, unknown> | undefined = query.cursor ? decodeCursor(query.cursor) : undefined;
    const leads: Lead[] = [];
    for (;;) {
      const { Items = [], LastEvaluatedKey } = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: LEADS_BY_ACTIVITY.indexName,
          KeyConditionExpression: query.activeSince ? '#kind = :lead AND #at >= :since' : '#kind = :lead',
          ExpressionAttributeNames: {
            '#kind': LEADS_BY_ACTIVITY.partitionKey,
            ...(query.activeSince && { '#at': LEADS_BY_ACTIVITY.sortKey }),
          },
          ExpressionAttributeValues: {
            ':lead': LEADS_BY_ACTIVITY.leadKind,
            ...(query.activeSince && { ':since': query.activeSince }),
          },
          ScanIndexForward: false,
          Limit: Math.max(READ_CHUNK, query.limit),
          ...(startKey && { ExclusiveStartKey: startKey }),
        }),
      );
      for (const [index, item] of Items.entries()) {
        const lead = toLead(item);
        if (query.matches && !query.matches(lead)) continue;
        leads.push(lead);
        if (leads.length === query.limit) {
          const more = index < Items.length - 1 || LastEvaluatedKey !== undefined;
          return more ? { leads, nextCursor: encodeCursor(keyOf(item)) } : { leads };
        }
      }
      if (!LastEvaluatedKey) return { leads };
      startKey = LastEvaluatedKey;
    }
  }

  /**
   * The lead's latest message in conversation order. Message keys hold ids, not times (see
   * `dynamo-table.ts`), so the conversation is read and its last message taken.
   */
  async lastMessage(leadId: string): Promise<LeadMessage | undefined> {
    this.store ??= new DynamoLeadStore(this.documents, this.tableName);
    return (await this.store.getMessages(leadId)).at(-1);
  }
}
