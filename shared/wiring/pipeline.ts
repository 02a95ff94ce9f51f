import { documentClient } from '#shared/adapters/aws/clients.ts';
import { DynamoLeadStore } from '#shared/adapters/aws/dynamo-lead-store.ts';
import { schedulingPageLinkFromEnv } from '#shared/adapters/booking-link/scheduling-page-link.ts';
import { GoogleCalendar, readGoogleCalendarSettings } from '#shared/adapters/google/google-calendar.ts';
import { readHubSpotSettings } from '#shared/adapters/hubspot/settings.ts';
import { lazyCrm } from '#shared/adapters/lazy-crm.ts';
import { readSalesforceSettings } from '#shared/adapters/salesforce/settings.ts';
import { SandboxCalendar } from '#shared/adapters/sandbox/sandbox-calendar.ts';
import { SandboxCrm } from '#shared/adapters/sandbox/sandbox-crm.ts';
import { SandboxOutbox } from '#shared/adapters/sandbox/sandbox-outbox.ts';
import {
  SandboxChatPoster,
  SandboxEmailSender,
  SandboxSmsSender,
} from '#shared/adapters/sandbox/sandbox-senders.ts';
import { sendGridEmailSenderFromEnv } from '#shared/adapters/sendgrid/sendgrid-email-sender.ts';
import { slackChatPosterFromEnv } from '#shared/adapters/slack/slack-webhook-chat-poster.ts';
import { twilioMediaSourceFromEnv } from '#shared/adapters/twilio/twilio-media-source.ts';
import { twilioSmsSenderFromEnv } from '#shared/adapters/twilio/twilio-sms-sender.ts';
import { ConfigurationError } from '#shared/config/env.ts';
import { readProviderSettings } from '#shared/config/providers.ts';
import { readBusinessProfile, readIdentitySettings } from '#shared/config/settings.ts';
import { LeadMessenger } from '#shared/messaging/lead-messenger.ts';
import type { InboundMediaSource } from '#shared/ports/inbound-media.ts';
import type { ChatPoster, Crm, EmailSender, Scheduler, SmsSender } from '#shared/ports/outbound.ts';
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
    case 'twilio':
      return twilioSmsSenderFromEnv(identitySettings().PUBLIC_BASE_URL);
    default:
      return notBuilt('SMS_PROVIDER', providerSettings().SMS_PROVIDER);
  }
});
/** Where inbound MMS media is fetched from; none on the sandbox (no account to fetch with). */
export const smsMediaSource = once((): InboundMediaSource | null =>
  providerSettings().SMS_PROVIDER === 'twilio' ? twilioMediaSourceFromEnv() : null,
);
export const emailSender = once((): EmailSender => {
  switch (providerSettings().EMAIL_PROVIDER) {
    case 'sandbox':
      return new SandboxEmailSender(sandboxOutbox());
    case 'sendgrid':
      return sendGridEmailSenderFromEnv();
    default:
      return notBuilt('EMAIL_PROVIDER', providerSettings().EMAIL_PROVIDER);
  }
});
export const chatPoster = once((): ChatPoster => {
  switch (providerSettings().CHAT_PROVIDER) {
    case 'sandbox':
      return new SandboxChatPoster(sandboxOutbox());
    case 'slack':
      return slackChatPosterFromEnv();
    default:
      return notBuilt('CHAT_PROVIDER', providerSettings().CHAT_PROVIDER);
  }
});
export const crm = once((): Crm => {
  switch (providerSettings().CRM_PROVIDER) {
    case 'sandbox':
      return new SandboxCrm(documentClient(), storageSettings().LEADS_TABLE_NAME, sandboxOutbox());
    case 'salesforce': {
      const settings = readSalesforceSettings();
      return lazyCrm('salesforce', async () => {
        const { SalesforceCrm } = await import('#shared/adapters/salesforce/salesforce-crm.ts');
        return new SalesforceCrm(settings);
      });
    }
    case 'hubspot': {
      const settings = readHubSpotSettings();
      return lazyCrm('hubspot', async () => {
        const { HubSpotCrm } = await import('#shared/adapters/hubspot/hubspot-crm.ts');
        return new HubSpotCrm(settings);
      });
    }
    default:
      return notBuilt('CRM_PROVIDER', providerSettings().CRM_PROVIDER);
  }
});
export const calendar = once((): Scheduler => {
  switch (providerSettings().CALENDAR_PROVIDER) {
    case 'sandbox':
      return new SandboxCalendar(documentClient(), storageSettings().LEADS_TABLE_NAME, sandboxOutbox());
    case 'google':
      return new GoogleCalendar(readGoogleCalendarSettings());
    case 'booking-link':
      return schedulingPageLinkFromEnv();
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
