import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { poolKey, repForTurn, type WeightedCandidate } from '#shared/domain/routing/rotation.ts';
import type { RepAlertRecord, RepRouting } from '#shared/ports/rep-routing.ts';
import { type LeadsTable, strip } from './dynamo-table.ts';

/**
 * `RepRouting` on the leads table:
 *
 * | pk          | sk                         | item |
 * | ROTATION    | POOL#<pool key>            | the pool's count of picks (`turns`), raised atomically |
 * | ROTATION    | DECISION#<key>             | the rep a pick decided (`repId`), written once |
 * | REP#<repId> | ALERT#<iso time>#<leadId>  | an alert sent to the rep about a lead |
 *
 * A pick takes the pool's next turn with one atomic `ADD` (no condition: concurrent picks never
 * conflict, however many route at once) and keeps the rep that turn names (`repForTurn`) under its
 * key with a conditional create, so a retry reads its first answer back. A retry that finds no
 * decision (the first attempt died between the two writes) takes a new turn: one rep's share
 * moves by one, never two reps for one pick.
 */
export class DynamoRepRouting implements RepRouting {
  constructor(private readonly table: LeadsTable) {}

  async pickRep(key: string, candidates: readonly WeightedCandidate[]): Promise<string> {
    const decisionKey = { pk: 'ROTATION', sk: `DECISION#${key}` };
    const decided = await this.table.get(decisionKey);
    if (decided) return String(decided.repId);
    const { Attributes } = await this.table.documents.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: { pk: 'ROTATION', sk: `POOL#${poolKey(candidates)}` },
        // Placeholder names: DynamoDB reserves many plain words.
        UpdateExpression: 'ADD #turns :one SET #kind = :kind',
        ExpressionAttributeNames: { '#turns': 'turns', '#kind': 'kind' },
        ExpressionAttributeValues: { ':one': 1, ':kind': 'rotation' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const repId = repForTurn(candidates, Number(Attributes?.turns ?? 1) - 1);
    if (await this.table.putOnce({ ...decisionKey, kind: 'rotation-decision', key, repId })) return repId;
    // Decided at the same moment by another attempt of the same pick: its answer stands.
    return String((await this.table.get(decisionKey))?.repId ?? repId);
  }

  async recordAlert(alert: RepAlertRecord): Promise<void> {
    await this.table.putOnce({
      pk: `REP#${alert.repId}`,
      sk: `ALERT#${alert.at}#${alert.leadId}`,
      kind: 'rep-alert',
      ...alert,
    });
  }

  async recentAlerts(repId: string, limit: number): Promise<RepAlertRecord[]> {
    const { Items = [] } = await this.table.documents.send(
      new QueryCommand({
        TableName: this.table.name,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': `REP#${repId}`, ':prefix': 'ALERT#' },
        ScanIndexForward: false,
        // The rep answers seconds after the alert: read what notify just wrote.
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return Items.map((item) => strip<RepAlertRecord>(item));
  }
}
