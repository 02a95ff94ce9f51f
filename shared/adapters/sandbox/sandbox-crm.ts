import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
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

  /**
   * An atomic upsert on the lead's key, as the real adapters' are (Salesforce's upsert by external
   * id, HubSpot's batch upsert by a unique property): a create is a conditional write, so two
   * syncs of one lead at the same moment make one record; the one that loses updates it.
   */
  async upsertLead(record: CrmLeadRecord): Promise<{ crmId: string; created: boolean }> {
    const key = { pk: 'SANDBOX_CRM', sk: `LEAD#${record.externalId}` };
    let crmId = `crm-${randomUUID()}`;
    let created = true;
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, crmId, record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
      created = false;
      const { Attributes } = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET #record = :record',
          ExpressionAttributeNames: { '#record': 'record' },
          ExpressionAttributeValues: { ':record': record },
          ReturnValues: 'ALL_NEW',
        }),
      );
      crmId = String(Attributes?.crmId);
    }
    await this.outbox.record({
      kind: 'crm',
      to: `${this.provider}:${crmId}`,
      body: `${created ? 'create' : 'update'} lead ${record.name ?? record.email ?? record.phone ?? record.externalId} (score ${record.score ?? '-'}, ${record.grade ?? 'ungraded'})`,
      details: { crmId, created, record },
    });
    return { crmId, created };
  }
}
