import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { documentClient, dynamoClient, eventBridgeClient } from './adapters/aws/clients.ts';
import { DynamoLeadStore } from './adapters/aws/dynamo-lead-store.ts';
import { EventBridgePublisher } from './adapters/aws/eventbridge-publisher.ts';
import { SandboxCalendar } from './adapters/sandbox/sandbox-calendar.ts';
import { SandboxCrm } from './adapters/sandbox/sandbox-crm.ts';
import { SandboxOutbox } from './adapters/sandbox/sandbox-outbox.ts';
import {
  SandboxChatPoster,
  SandboxEmailSender,
  SandboxSmsSender,
} from './adapters/sandbox/sandbox-senders.ts';
import { readProviderSettings } from './config/providers.ts';
import { readBusinessProfile, readIdentitySettings, readStorageSettings } from './config/settings.ts';
import { LeadMessenger } from './messaging/lead-messenger.ts';
import type { CalendarPort, ChatPoster, Crm, EmailSender, SmsSender } from './ports/outbound.ts';

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

export const leadStore = once(
  () => new DynamoLeadStore(documentClient(), storageSettings().LEADS_TABLE_NAME),
);
export const eventPublisher = once(
  () => new EventBridgePublisher(eventBridgeClient(), storageSettings().EVENT_BUS_NAME),
);
/**
 * A persistence layer takes the configuration of the first idempotent function it serves, so each
 * idempotent operation gets its own (they share the table and the DynamoDB client).
 */
export const newIdempotencyStore = () =>
  new DynamoDBPersistenceLayer({
    tableName: storageSettings().IDEMPOTENCY_TABLE_NAME,
    awsSdkV3Client: dynamoClient(),
  });
export const sandboxOutbox = once(
  () => new SandboxOutbox(documentClient(), storageSettings().LEADS_TABLE_NAME),
);

// Each port's adapter is chosen once, from configuration; only the sandbox adapters exist so far
// (readProviderSettings refuses any other name), and issue #4 adds the real ones as new cases.
export const smsSender = once((): SmsSender => {
  switch (providerSettings().SMS_PROVIDER) {
    case 'sandbox':
      return new SandboxSmsSender(sandboxOutbox());
  }
});
export const emailSender = once((): EmailSender => {
  switch (providerSettings().EMAIL_PROVIDER) {
    case 'sandbox':
      return new SandboxEmailSender(sandboxOutbox());
  }
});
export const chatPoster = once((): ChatPoster => {
  switch (providerSettings().CHAT_PROVIDER) {
    case 'sandbox':
      return new SandboxChatPoster(sandboxOutbox());
  }
});
export const crm = once((): Crm => {
  switch (providerSettings().CRM_PROVIDER) {
    case 'sandbox':
      return new SandboxCrm(documentClient(), storageSettings().LEADS_TABLE_NAME, sandboxOutbox());
  }
});
export const calendar = once((): CalendarPort => {
  switch (providerSettings().CALENDAR_PROVIDER) {
    case 'sandbox':
      return new SandboxCalendar(documentClient(), storageSettings().LEADS_TABLE_NAME, sandboxOutbox());
  }
});

export const leadMessenger = once(
  () =>
    new LeadMessenger({
      store: leadStore(),
      sms: smsSender(),
      email: emailSender(),
      profile: businessProfile(),
      identity: {
        smsNumber: identitySettings().BUSINESS_SMS_NUMBER,
        emailFrom: identitySettings().BUSINESS_EMAIL_FROM,
      },
      persistenceStore: newIdempotencyStore(),
    }),
);
