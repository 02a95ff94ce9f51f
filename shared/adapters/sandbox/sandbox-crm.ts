import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Crm, CrmLeadRecord } from '#shared/ports/outbound.ts';
import type { SandboxOutbox } from './sandbox-outbox.ts';

/** A CRM that keeps one record per external id, as an upsert on a real CRM would. */
export class SandboxCrm implements Crm {
  readonly provider = 'sandbox';

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly outbox: SandboxOutbox,
  ) {}

  async upsertLead(record: CrmLeadRecord): Promise<{ crmId: string; created: boolean }> {
    const key = { pk: 'SANDBOX_CRM', sk: `LEAD#${record.externalId}` };
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    const crmId = typeof Item?.crmId === 'string' ? Item.crmId : `crm-${randomUUID()}`;
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: { ...key, crmId, record } }));
    const created = !Item;
    await this.outbox.record({
      kind: 'crm',
      to: `${this.provider}:${crmId}`,
      body: `${created ? 'create' : 'update'} lead ${record.name ?? record.email ?? record.phone ?? record.externalId} (score ${record.score ?? '-'}, ${record.grade ?? 'ungraded'})`,
      details: { crmId, created, record },
    });
    return { crmId, created };
  }
}
