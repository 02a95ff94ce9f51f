import { documentClient } from '#shared/adapters/aws/clients.ts';
import { DynamoLeadStore } from '#shared/adapters/aws/dynamo-lead-store.ts';
import { SandboxCalendar } from '#shared/adapters/sandbox/sandbox-calendar.ts';
import { SandboxCrm } from '#shared/adapters/sandbox/sandbox-crm.ts';
import { SandboxOutbox } from '#shared/adapters/sandbox/sandbox-outbox.ts';
import {
  SandboxChatPoster,
  SandboxEmailSender,
  SandboxSmsSender,
} from '#shared/adapters/sandbox/sandbox-senders.ts';
import { ConfigurationError } from '#shared/config/env.ts';
import { readProviderSettings } from '#shared/config/providers.ts';
import { readBusinessProfile, readIdentitySettings } from '#shared/config/settings.ts';
import { LeadMessenger } from '#shared/messaging/lead-messenger.ts';
import type { CalendarPort, ChatPoster, Crm, EmailSender, SmsSender } from '#shared/ports/outbound.ts';
import { newIdempotencyStore, once, storageSettings } from './core.ts';

/** The pipeline functions' dependencies: the lead store, the business, and each port's adapter. */
export const providerSettings = once(readProviderSettings);
export const identitySettings = once(readIdentitySettings);
export const businessProfile = once(() => readBusinessProfile());

export const leadStore = once(
  () => new DynamoLeadStore(documentClient(), storageSettings().LEADS_TABLE_NAME),
);
export const sandboxOutbox = once(
  () => new SandboxOutbox(documentClient(), storageSettings().LEADS_TABLE_NAME),
);

const notBuilt = (port: string, provider: string): never => {
  throw new ConfigurationError(`${port}=${provider}: this adapter is not part of this build`);
};

// Each port's adapter is chosen once, from configuration (`shared/config/providers.ts`).
export const smsSender = once((): SmsSender => {
  switch (providerSettings().SMS_PROVIDER) {
    case 'sandbox':
      return new SandboxSmsSender(sandboxOutbox());
    default:
      return notBuilt('SMS_PROVIDER', providerSettings().SMS_PROVIDER);
  }
});
export const emailSender = once((): EmailSender => {
  switch (providerSettings().EMAIL_PROVIDER) {
    case 'sandbox':
      return new SandboxEmailSender(sandboxOutbox());
    default:
      return notBuilt('EMAIL_PROVIDER', providerSettings().EMAIL_PROVIDER);
  }
});
export const chatPoster = once((): ChatPoster => {
  switch (providerSettings().CHAT_PROVIDER) {
    case 'sandbox':
      return new SandboxChatPoster(sandboxOutbox());
    default:
      return notBuilt('CHAT_PROVIDER', providerSettings().CHAT_PROVIDER);
  }
});
export const crm = once((): Crm => {
  switch (providerSettings().CRM_PROVIDER) {
    case 'sandbox':
      return new SandboxCrm(documentClient(), storageSettings().LEADS_TABLE_NAME, sandboxOutbox());
    default:
      return notBuilt('CRM_PROVIDER', providerSettings().CRM_PROVIDER);
  }
});
export const calendar = once((): CalendarPort => {
  switch (providerSettings().CALENDAR_PROVIDER) {
    case 'sandbox':
      return new SandboxCalendar(documentClient(), storageSettings().LEADS_TABLE_NAME, sandboxOutbox());
    default:
      return notBuilt('CALENDAR_PROVIDER', providerSettings().CALENDAR_PROVIDER);
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
