import { DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './aws-stand-ins.ts';

/**
 * What a stopped or crashed runtime leaves claimed, released when the next one starts.
 *
 * In AWS a claim (a Powertools idempotency record in progress, a webhook's accept claim, a send's
 * claim) ends with the invocation's time limit, and SQS redelivers after its visibility timeout,
 * so a crash costs a few minutes. Locally the runtime holds the data folder's lock: when it starts,
 * no invocation from before can still be running, so every such claim belongs to a dead one and
 * can end now. In-flight queue messages are queued again at the same moment (`DurableQueue`), and
 * their retry then proceeds at once instead of failing on the old claims until they expire. A
 * send's claim is ended, not dropped: its retry asks the provider whether it went out (exactly
 * once, as in AWS).
 */
export interface ReleasedClaims {
  /** Powertools idempotency records left IN_PROGRESS (deleted: the work is redone, deduped downstream). */
  inProgress: number;
  /** Inbound messages a webhook claimed and never published (their provider's retry takes them over). */
  acceptClaims: number;
  /** Outbound sends claimed and never finished (resolved by asking the provider on retry). */
  sendClaims: number;
}

export const releaseDeadClaims = async (options: {
  endpoint: string;
  tables: { leads: string; idempotency: string };
}): Promise<ReleasedClaims> => {
  const client = new DynamoDBClient({
    endpoint: options.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const documents = DynamoDBDocumentClient.from(client);
  const expired = new Date(0).toISOString();
  const released: ReleasedClaims = { inProgress: 0, acceptClaims: 0, sendClaims: 0 };
  try {
    for await (const page of paginateScan(
      { client },
      {
        TableName: options.tables.idempotency,
        FilterExpression: '#status = :inProgress',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':inProgress': { S: 'INPROGRESS' } },
        ProjectionExpression: 'id',
      },
    )) {
      for (const item of page.Items ?? []) {
        const id = item.id?.S;
        if (!id) continue;
        await documents.send(new DeleteCommand({ TableName: options.tables.idempotency, Key: { id } }));
        released.inProgress++;
      }
    }
    for await (const page of paginateScan(
      { client },
      {
        TableName: options.tables.leads,
        FilterExpression: 'accept = :claimed OR #status = :sending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':claimed': { S: 'claimed' }, ':sending': { S: 'sending' } },
        ProjectionExpression: 'pk, sk, accept',
      },
    )) {
      for (const item of page.Items ?? []) {
        const key = { pk: item.pk?.S, sk: item.sk?.S };
        const accepting = item.accept?.S === 'claimed';
        await documents.send(
          new UpdateCommand({
            TableName: options.tables.leads,
            Key: key,
            UpdateExpression: accepting ? 'SET acceptUntil = :expired' : 'SET claimedUntil = :expired',
            ExpressionAttributeValues: { ':expired': expired },
          }),
        );
        if (accepting) released.acceptClaims++;
        else released.sendClaims++;
      }
    }
  } finally {
    client.destroy();
  }
  return released;
};
