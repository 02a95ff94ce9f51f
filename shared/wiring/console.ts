import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SQSClient } from '@aws-sdk/client-sqs';
import { documentClient } from '#shared/adapters/aws/clients.ts';
import { DynamoLeadDirectory } from '#shared/adapters/aws/dynamo-lead-directory.ts';
import { SqsQueueHealth } from '#shared/adapters/aws/sqs-queue-health.ts';
import type { ConsoleDeps } from '#shared/console/read-console.ts';
import { storageSettings } from './core.ts';
import { leadHistory } from './history.ts';
import { businessProfile, leadStore } from './pipeline.ts';

/**
 * The deployed console API's dependencies: the leads table (the list through its index), the
 * recorded history, and the queues through SQS and CloudWatch. (The local runtime passes its own
 * queues: `scripts/local/console/`.)
 */
export const cloudConsoleDeps = (): ConsoleDeps => ({
  directory: new DynamoLeadDirectory(documentClient(), storageSettings().LEADS_TABLE_NAME),
  store: leadStore(),
  history: leadHistory(),
  queues: new SqsQueueHealth(new SQSClient({}), new CloudWatchClient({})),
  profile: businessProfile(),
});
