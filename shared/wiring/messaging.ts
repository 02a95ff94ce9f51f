import { SandboxEmailSender, SandboxSmsSender } from '#shared/adapters/sandbox/sandbox-senders.ts';
import { sendGridEmailSenderFromEnv } from '#shared/adapters/sendgrid/sendgrid-email-sender.ts';
import { twilioMediaSourceFromEnv } from '#shared/adapters/twilio/twilio-media-source.ts';
import { twilioSmsSenderFromEnv } from '#shared/adapters/twilio/twilio-sms-sender.ts';
import { chooseProvider } from '#shared/config/providers.ts';
import { LeadMessenger } from '#shared/messaging/lead-messenger.ts';
import type { InboundMediaSource } from '#shared/ports/inbound-media.ts';
import type { EmailSender, SmsSender } from '#shared/ports/outbound.ts';
import { once } from './core.ts';
import { adapterNotBuilt, businessProfile, identitySettings, leadStore, sandboxOutbox } from './pipeline.ts';

/** Texts and emails to leads and reps: the senders, and the messenger every message to a lead goes through. */
export const smsSender = once((): SmsSender => {
  const provider = chooseProvider('SMS_PROVIDER');
  switch (provider) {
    case 'sandbox':
      return new SandboxSmsSender(sandboxOutbox());
    case 'twilio':
      return twilioSmsSenderFromEnv(identitySettings().PUBLIC_BASE_URL);
    default:
      return adapterNotBuilt('SMS_PROVIDER', provider);
  }
});

/** Where inbound MMS media is fetched from; none on the sandbox (no account to fetch with). */
export const smsMediaSource = once((): InboundMediaSource | null =>
  chooseProvider('SMS_PROVIDER') === 'twilio' ? twilioMediaSourceFromEnv() : null,
);

export const emailSender = once((): EmailSender => {
  const provider = chooseProvider('EMAIL_PROVIDER');
  switch (provider) {
    case 'sandbox':
      return new SandboxEmailSender(sandboxOutbox());
    case 'sendgrid':
      return sendGridEmailSenderFromEnv();
    default:
      return adapterNotBuilt('EMAIL_PROVIDER', provider);
  }
});

/**
 * Senders built on their first send: a function that only texts (send-held), or notifies a rep who
 * wants Slack, never needs the email provider's credentials, which it may not be able to read.
 */
export const smsOnFirstSend: SmsSender = {
  send: (sms) => smsSender().send(sms),
  findSent: (lookup) => smsSender().findSent(lookup),
};
export const emailOnFirstSend: EmailSender = {
  send: (email) => emailSender().send(email),
  findSent: (lookup) => emailSender().findSent(lookup),
};

export const leadMessenger = once(
  () =>
    new LeadMessenger({
      store: leadStore(),
      sms: smsOnFirstSend,
      email: emailOnFirstSend,
      profile: businessProfile(),
      identity: {
        smsNumber: identitySettings().BUSINESS_SMS_NUMBER,
        emailFrom: identitySettings().BUSINESS_EMAIL_FROM,
        ...(identitySettings().BUSINESS_WHATSAPP_NUMBER && {
          whatsappFrom: identitySettings().BUSINESS_WHATSAPP_NUMBER,
        }),
      },
    }),
);
