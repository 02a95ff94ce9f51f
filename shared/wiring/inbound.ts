import { documentClient } from '#shared/adapters/aws/clients.ts';
import { DynamoInboundAcceptance } from '#shared/adapters/aws/dynamo-inbound-acceptance.ts';
import { LeadsTable } from '#shared/adapters/aws/dynamo-table.ts';
import { once, storageSettings } from './core.ts';

/** What an inbound-message webhook needs besides the bus: its record of what it accepted. */
export const inboundAcceptance = once(
  () => new DynamoInboundAcceptance(new LeadsTable(documentClient(), storageSettings().LEADS_TABLE_NAME)),
);
