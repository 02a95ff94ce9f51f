import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { documentClient, dynamoClient, eventBridgeClient } from './adapters/aws/clients.ts';
import { DynamoLeadStore } from './adapters/aws/dynamo-lead-store.ts';
import { EventBridgePublisher } from './adapters/aws/eventbridge-publisher.ts';
import { SandboxCalendar } from './adapters/sandbox/sandbox-calendar.ts';
import { SandboxCrm } from './adapters/sandbox/sandbox-crm.ts';
import { SandboxOutbox } from './adapters/sandbox/sandbox-outbox.ts';
import { SandboxChatPoster, SandboxEmailSender, SandboxSmsSender } from './adapters/sandbox/sandbox-senders.ts';
import { readProviderSettings } from './config/providers.ts';
import { readBusinessProfile, readIdentitySettings, readStorageSettings } from './config/settings.ts';
import { LeadMessenger } from './messaging/lead-messenger.ts';

/**
 * The dependencies of the pipeline functions, each built on first use and then kept for the
 * life of the process (a Lambda execution environment), so a function builds only what it uses.
 */
const once = <T>(build: () => T): (() => T) => {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
};

export const storageSettings = once(readStorageSettings);
export const providerSettings = once(readProviderSettings);
export const identitySettings = once(readIdentitySettings);
export const businessProfile = once(() => readBusinessProfile());

export const leadStore = once(() => new DynamoLeadStore(documentClient(), storageSettings().LEADS_TABLE_NAME));
export const eventPublisher = once(
  () => new EventBridgePublisher(eventBridgeClient(), storageSettings().EVENT_BUS_NAME),
);
export const idempotencyStore = once(
  () =>
    new DynamoDBPersistenceLayer({
      tableName: storageSettings().IDEMPOTENCY_TABLE_NAME,
      awsSdkV3Client: dynamoClient(),
    }),
);
export const sandboxOutbox = once(() => new SandboxOutbox(documentClient(), storageSettings().LEADS_TABLE_NAME));

// Only sandbox adapters exist yet: readProviderSettings() refuses any other provider name.
export const smsSender = once(() => (providerSettings(), new SandboxSmsSender(sandboxOutbox())));
export const emailSender = once(() => (providerSettings(), new SandboxEmailSender(sandboxOutbox())));
export const chatPoster = once(() => (providerSettings(), new SandboxChatPoster(sandboxOutbox())));
export const crm = once(
  () => (providerSettings(), new SandboxCrm(documentClient(), storageSettings().LEADS_TABLE_NAME, sandboxOutbox())),
);
export const calendar = once(
  () => (
    providerSettings(), new SandboxCalendar(documentClient(), storageSettings().LEADS_TABLE_NAME, sandboxOutbox())
  ),
);

export const leadMessenger = once(
  () =>
    new LeadMessenger({
      store: leadStore(),
      sms: smsSender(),
      email: emailSender(),
      profile: businessProfile(),
      identity: { smsNumber: identitySettings().BUSINESS_SMS_NUMBER, emailFrom: identitySettings().BUSINESS_EMAIL_FROM },
      persistenceStore: idempotencyStore(),
    }),
);
