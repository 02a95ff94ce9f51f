import { randomBytes } from 'node:crypto';
import type {
  ChatMessage,
  ChatPoster,
  EmailSender,
  OutgoingText,
  SentLookup,
  SentLookupResult,
  SentMessage,
  SmsSender,
} from '#shared/ports/outbound.ts';
import type { OutboxKind, SandboxOutbox } from './sandbox-outbox.ts';

const providerId = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

export class SandboxSmsSender implements SmsSender {
  constructor(private readonly outbox: SandboxOutbox) {}

  async send(sms: OutgoingText): Promise<SentMessage> {
    const providerMessageId = providerId('SM');
    await this.outbox.record({
      kind: 'sms',
      to: sms.to,
      body: sms.body,
      details: {
        from: sms.from,
        providerMessageId,
        ...(sms.reference && { reference: sms.reference }),
        ...(sms.contentSid && { contentSid: sms.contentSid, contentVariables: sms.contentVariables }),
      },
    });
    return { providerMessageId };
  }

  findSent(lookup: SentLookup): Promise<SentLookupResult> {
    return findRecorded(this.outbox, 'sms', lookup);
  }
}

/** The sandbox knows what it recorded: the entry carrying our reference, if any. */
const findRecorded = async (
  outbox: SandboxOutbox,
  kind: OutboxKind,
  lookup: SentLookup,
): Promise<SentMessage | null> => {
  const entry = (await outbox.list({ since: lookup.since.toISOString() })).find(
    (e) => e.kind === kind && e.to === lookup.to && e.details.reference === lookup.reference,
  );
  const providerMessageId = entry?.details.providerMessageId;
  return typeof providerMessageId === 'string' ? { providerMessageId } : null;
};

export class SandboxEmailSender implements EmailSender {
  constructor(private readonly outbox: SandboxOutbox) {}

  async send(email: Parameters<EmailSender['send']>[0]): Promise<SentMessage> {
    const providerMessageId = `<${providerId('')}@sandbox.leadline>`;
    await this.outbox.record({
      kind: 'email',
      to: email.to,
      body: email.text,
      details: {
        from: email.from,
        subject: email.subject,
        html: email.html,
        inReplyTo: email.inReplyTo,
        references: email.references,
        providerMessageId,
        ...(email.tracking && { reference: email.tracking.messageId }),
      },
    });
    return { providerMessageId };
  }

  findSent(lookup: SentLookup): Promise<SentLookupResult> {
    return findRecorded(this.outbox, 'email', lookup);
  }
}

export class SandboxChatPoster implements ChatPoster {
  constructor(private readonly outbox: SandboxOutbox) {}

  async post(message: ChatMessage): Promise<void> {
    await this.outbox.record({
      kind: 'slack',
      to: message.channel,
      body: message.text,
      details: { card: message.card, mentionUserId: message.mentionUserId },
    });
  }
}
