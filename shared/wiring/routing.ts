import { documentClient } from '#shared/adapters/aws/clients.ts';
import { DynamoRepRouting } from '#shared/adapters/aws/dynamo-rep-routing.ts';
import { LeadsTable } from '#shared/adapters/aws/dynamo-table.ts';
import { once, storageSettings } from './core.ts';

/** The reps' round-robin and alert log (the leads table): routing, notify, and the SMS webhook read it. */
export const repRouting = once(
  () => new DynamoRepRouting(new LeadsTable(documentClient(), storageSettings().LEADS_TABLE_NAME)),
);
