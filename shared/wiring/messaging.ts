import { SandboxEmailSender, SandboxSmsSender } from '#shared/adapters/sandbox/sandbox-senders.ts';
import { sendGridEmailSenderFromEnv } from '#shared/adapters/sendgrid/sendgrid-email-sender.ts';
import { twilioMediaSourceFromEnv } from '#shared/adapters/twilio/twilio-media-source.ts';
import { twilioSmsSenderFromEnv } from '#shared/adapters/twilio/twilio-sms-sender.ts';
import { LeadMessenger } from '#shared/messaging/lead-messenger.ts';
import type { InboundMediaSource } from '#shared/ports/inbound-media.ts';
import type { EmailSender, SmsSender } from '#shared/ports/outbound.ts';
import { newIdempotencyStore, once } from './core.ts';
import {
  adapterNotBuilt,
  businessProfile,
  identitySettings,
  leadStore,
  providerSettings,
  sandboxOutbox,
} from './pipeline.ts';

/** Texts and emails to leads and reps: the senders, and the messenger every message to a lead goes through. */
export const smsSender = once((): SmsSender => {
  switch (providerSettings().SMS_PROVIDER) {
    case 'sandbox':
      return new SandboxSmsSender(sandboxOutbox());
    case 'twilio':
      return twilioSmsSenderFromEnv(identitySettings().PUBLIC_BASE_URL);
    default:
      return adapterNotBuilt('SMS_PROVIDER', providerSettings().SMS_PROVIDER);
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
      return adapterNotBuilt('EMAIL_PROVIDER', providerSettings().EMAIL_PROVIDER);
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
