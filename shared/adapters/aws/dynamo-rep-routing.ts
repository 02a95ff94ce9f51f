import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { pickWeighted, poolKey, type WeightedCandidate } from '#shared/domain/routing/rotation.ts';
import type { RepAlertRecord, RepRouting } from '#shared/ports/rep-routing.ts';
import { type LeadsTable, retryOnConflict, strip } from './dynamo-table.ts';

/** The round-robin's state: one item, whatever the number of reps. */
const ROTATION_KEY = { pk: 'ROTATION', sk: 'REPS' };
/** Decisions kept so a retried pick gets its first answer: far more than run at once. */
const DECISIONS_KEPT = 200;
/** Tries of a pick: every route invocation at once (10) contends for the one rotation item. */
const MAX_ATTEMPTS = 20;

interface RotationItem {
  /** Running totals per pool (`poolKey`), per rep. */
  pools?: Record<string, Record<string, number>>;
  /** The latest decisions, oldest first. */
  decisions?: Array<{ key: string; repId: string }>;
  version?: number;
}

/**
 * `RepRouting` on the leads table:
 *
 * | pk          | sk                         | item |
 * | ROTATION    | REPS                       | the round-robin's totals per pool and its latest decisions (`version`) |
 * | REP#<repId> | ALERT#<iso time>#<leadId>  | an alert sent to the rep about a lead |
 *
 * A pick is a read-modify-write of the rotation item conditional on its version, retried on
 * conflict; the decision is stored with it under its key, so a retry reads it back.
 */
export class DynamoRepRouting implements RepRouting {
  constructor(private readonly table: LeadsTable) {}

  async pickRep(key: string, candidates: readonly WeightedCandidate[]): Promise<string> {
    return retryOnConflict(async () => {
      const item = ((await this.table.get(ROTATION_KEY)) ?? {}) as RotationItem;
      const decided = item.decisions?.find((d) => d.key === key);
      if (decided) return decided.repId;
      const pool = poolKey(candidates);
      const { repId, totals } = pickWeighted(candidates, item.pools?.[pool] ?? {});
      const version = item.version ?? 0;
      await this.table.documents.send(
        new PutCommand({
          TableName: this.table.name,
          Item: {
            ...ROTATION_KEY,
            kind: 'rotation',
            pools: { ...item.pools, [pool]: totals },
            decisions: [...(item.decisions ?? []), { key, repId }].slice(-DECISIONS_KEPT),
            version: version + 1,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR version = :version',
          ExpressionAttributeValues: { ':version': version },
        }),
      );
      return repId;
    }, MAX_ATTEMPTS);
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
