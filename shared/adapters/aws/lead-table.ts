/**
 * The leads table's secondary index, read by the stack, the local stand-in and the lead store:
 * every lead item (`kind = "lead"`) by its latest activity (`updatedAt`, ISO 8601 UTC, so it sorts
 * by time). Both attributes are written on every lead item already, so existing leads are in the
 * index without a backfill; other items (messages, meetings, opt-outs) have no `updatedAt` and
 * stay out of it. One partition holds every lead: far below DynamoDB's per-partition limits for a
 * business's lead volume, and it lets one query list them newest first
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html).
 */
export const LEADS_BY_ACTIVITY = {
  indexName: 'leadsByActivity',
  partitionKey: 'kind',
  sortKey: 'updatedAt',
  /** The `kind` of a lead item. */
  leadKind: 'lead',
} as const;
