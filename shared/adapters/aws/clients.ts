import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * SDK clients, built once per process and reused across invocations. Endpoints come from the
 * SDK's own settings (`AWS_ENDPOINT_URL_<SERVICE>`), which is how the local runtime points
 * them at its embedded stand-ins; nothing here knows where it runs.
 */
let dynamo: DynamoDBClient | undefined;
let documents: DynamoDBDocumentClient | undefined;
let eventBridge: EventBridgeClient | undefined;
let s3: S3Client | undefined;

export const dynamoClient = () => {
  dynamo ??= new DynamoDBClient({});
  return dynamo;
};

export const documentClient = () => {
  documents ??= DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return documents;
};

export const eventBridgeClient = () => {
  eventBridge ??= new EventBridgeClient({});
  return eventBridge;
};

export const s3Client = () => {
  // Path-style addressing is what S3-compatible stand-ins expect; AWS accepts it too.
  s3 ??= new S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true' });
  return s3;
};
