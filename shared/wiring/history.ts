import { documentClient } from '#shared/adapters/aws/clients.ts';
import { DynamoLeadHistory } from '#shared/adapters/aws/dynamo-lead-history.ts';
import { once, storageSettings } from './core.ts';

/** Each lead's recorded events and consent entries, in the leads table. */
export const leadHistory = once(
  () => new DynamoLeadHistory(documentClient(), storageSettings().LEADS_TABLE_NAME),
);
