import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context } from 'aws-lambda';
import {
  consentAllows,
  recordConsentSignal,
  recordSuppressedSend,
} from '#shared/compliance/consent-record.ts';
import { decideSendTime } from '#shared/compliance/send-time.ts';
import type { BusinessProfile } from '#shared/config/business-profile.ts';
import { PermanentError, RecipientOptedOutError } from '#shared/ports/errors.ts';
import type { Lead, LeadMessage, LeadStore } from '#shared/ports/lead-store.ts';
import type { EmailSender, SmsSender } from '#shared/ports/outbound.ts';
import type { ComposedBy } from '#shared/ports/reply-drafter.ts';

/**
 * `reply`: answers a message the lead just sent (goes at once unless quiet hours are strict, or
 * the lead's message is older than `quietHours.liveReplyMinutes`).
 * `initiated`: the business starts it (follow-up, reminder): waits for the calling window.
 * `opt-out-confirmation`: the one confirmation the law allows after an opt-out, at once.
 * `opt-in-confirmation`: the one answer to the message that opted back in.
 */
export type SendKind = 'reply' | 'initiated' | 'opt-out-confirmation' | 'opt-in-confirmation';

export interface OutboundText {
  lead: Lead;
  channel: 'sms' | 'email';
  kind: SendKind;
  /** What the message is for, e.g. `first-reply`, `slots-offered`: with `answering`, the dedupe key. */
  purpose: string;
  /** The inbound message this answers (or the event that caused it). */
  answering: string;
  /**
   * When the lead's message that this answers arrived (ISO 8601). A reply without it, or to a
   * message older than `quietHours.liveReplyMinutes`, is treated as the business starting it.
   */
  answeredAt?: string | undefined;
  text: string;
  subject?: string;
  html?: string;
  /** Recorded on the outbound message: who wrote the words. */
  composedBy?: ComposedBy;
}

export interface HeldDispatch {
  lead: Lead;
  message: LeadMessage;
  outcome: SendOutcome;
}

export type SendOutcome =
  | { status: 'sent'; outboundMessageId: string; providerMessageId: string; sentAt: string }
  | { status: 'held'; outboundMessageId: string; sendAt: string }
  | { status: 'suppressed'; reason: string };

/**
 * The one path every message to a lead takes. Opt-out is checked here, in the sending path
 * itself (DESIGN.md §7), and so are quiet hours; each (purpose, message answered) is sent at
 * most once, however often the caller is retried.
 */
export class LeadMessenger {
  private readonly sendOnce: (message: OutboundText) => Promise<SendOutcome>;
  private readonly idempotency: IdempotencyConfig;

  constructor(
    private readonly deps: {
      store: LeadStore;
      sms: SmsSender;
      email: EmailSender;
      profile: BusinessProfile;
      identity: { smsNumber: string; emailFrom: string };
      persistenceStore: BasePersistenceLayer;
      clock?: () => Date;
    },
  ) {
    this.idempotency = new IdempotencyConfig({
      eventKeyJmesPath: '[lead.leadId, channel, purpose, answering]',
      expiresAfterSeconds: 7 * 24 * 3600,
    });
    const config = this.idempotency;
    this.sendOnce = makeIdempotent((message: OutboundText) => this.deliver(message), {
      persistenceStore: deps.persistenceStore,
      config,
      keyPrefix: 'lead-messenger',
    });
  }

  /** Lets an in-progress send expire with the invocation that started it, so a retry can resend. */
  registerLambdaContext(context: Context): void {
    this.idempotency.registerLambdaContext(context);
  }

  async send(message: OutboundText): Promise<SendOutcome> {
    try {
      return await this.sendOnce(message);
    } catch (error) {
      // The provider holds an opt-out we did not know of (the lead texted STOP to the carrier).
      if (!(error instanceof RecipientOptedOutError)) throw error;
      await this.recordProviderOptOut(
        message.lead,
        message.channel,
        `out-${message.purpose}-${message.answering}`,
      );
      return this.suppress(message, error.message);
    }
  }

  /**
   * Sends the held texts that are due: each is claimed first (so two runs never both send it),
   * checked against opt-out again (the lead may have opted out overnight), then sent. A provider
   * failure gives the text back for the next run; a permanent one records it as failed.
   */
  async dispatchHeld(limit = 25): Promise<HeldDispatch[]> {
    const { store } = this.deps;
    const results: HeldDispatch[] = [];
    for (const ref of await store.listDueHeld(this.now(), limit)) {
      if (!(await store.claimHeld(ref))) continue;
      const lead = await store.getLead(ref.leadId);
      const message = (await store.getMessages(ref.leadId)).find((m) => m.messageId === ref.messageId);
      if (!lead?.phone || !message) {
        await store.finishHeld(ref, { status: 'failed', reason: 'the lead or its phone number is gone' });
        continue;
      }
      if ((await store.getOptOut(lead.phone))?.optedOut) {
        await store.finishHeld(ref, { status: 'suppressed', reason: 'the contact opted out' });
        await this.recordSuppressed(lead, message, 'the contact opted out');
        results.push({ lead, message, outcome: { status: 'suppressed', reason: 'the contact opted out' } });
        continue;
      }
      try {
        const { providerMessageId } = await this.deps.sms.send({
          to: lead.phone,
          from: this.deps.identity.smsNumber,
          body: message.body,
        });
        const sentAt = this.now().toISOString();
        await store.finishHeld(ref, { status: 'sent', providerMessageId, sentAt });
        results.push({
          lead,
          message,
          outcome: { status: 'sent', outboundMessageId: message.messageId, providerMessageId, sentAt },
        });
      } catch (error) {
        if (!(error instanceof PermanentError)) {
          await store.releaseHeld(ref);
          throw error;
        }
        if (error instanceof RecipientOptedOutError) {
          await this.recordProviderOptOut(lead, 'sms', message.messageId);
          await store.finishHeld(ref, { status: 'suppressed', reason: error.message });
          await this.recordSuppressed(lead, message, error.message);
          results.push({ lead, message, outcome: { status: 'suppressed', reason: error.message } });
          continue;
        }
        await store.finishHeld(ref, { status: 'failed', reason: error.message });
      }
    }
    return results;
  }

  private now() {
    return this.deps.clock?.() ?? new Date();
  }

  private async recordProviderOptOut(lead: Lead, channel: 'sms' | 'email', messageId: string) {
    const contact = channel === 'sms' ? lead.phone : lead.email;
    if (!contact) return;
    await recordConsentSignal(this.deps.store, {
      contact,
      channel,
      action: 'opt_out',
      signal: 'twilio-21610',
      detail: 'Twilio refused the text: the recipient opted out with the carrier (error 21610)',
      at: this.now().toISOString(),
      messageId,
      leadId: lead.leadId,
    });
  }

  /** The consent ledger keeps every message held back, with why. */
  private async recordSuppressed(
    lead: Lead,
    message: Pick<LeadMessage, 'messageId' | 'channel' | 'body' | 'purpose'>,
    reason: string,
  ) {
    await recordSuppressedSend(this.deps.store, {
      contact: (message.channel === 'sms' ? lead.phone : lead.email) ?? lead.contact,
      channel: message.channel,
      leadId: lead.leadId,
      messageId: message.messageId,
      purpose: message.purpose,
      text: message.body,
      reason,
      at: this.now().toISOString(),
    });
  }

  private async deliver(message: OutboundText): Promise<SendOutcome> {
    const { lead, channel } = message;
    const to = channel === 'sms' ? lead.phone : lead.email;
    if (!to)
      return { status: 'suppressed', reason: `the lead has no ${channel === 'sms' ? 'phone' : 'email'}` };

    // Both checks read at once: they sit on the path of every reply.
    const [optOut, unreachable] = await Promise.all([
      this.deps.store.getOptOut(to),
      channel === 'email' ? this.deps.store.getEmailUnreachable(to) : undefined,
    ]);
    const consent = consentAllows(
      message.kind === 'opt-out-confirmation' || message.kind === 'opt-in-confirmation'
        ? message.kind
        : 'message',
      optOut,
      message.answering,
    );
    if (!consent.allowed) return this.suppress(message, consent.reason);
    // An address that bounced for good gets nothing more, not even a confirmation: resending
    // to it only hurts the sender's reputation.
    if (unreachable) {
      return this.suppress(message, 'the email address is unreachable');
    }

    const now = this.now();
    const outboundMessageId = `out-${message.purpose}-${message.answering}`;
    if (channel === 'sms') {
      const decision = decideSendTime({
        now,
        lead,
        kind: message.kind,
        answeredAt: message.answeredAt,
        profile: this.deps.profile,
      });
      if (decision.action === 'drop') return this.suppress(message, decision.reason);
      if (decision.action === 'hold') {
        const sendAt = decision.sendAt.toISOString();
        await this.deps.store.recordOutbound({
          messageId: outboundMessageId,
          leadId: lead.leadId,
          channel,
          body: message.text,
          at: now.toISOString(),
          status: 'held',
          purpose: message.purpose,
          inReplyTo: message.answering,
          ...(message.composedBy && { composedBy: message.composedBy }),
          sendAt,
          reason: decision.reason,
        });
        return { status: 'held', outboundMessageId, sendAt };
      }
    }

    const { providerMessageId } =
      channel === 'sms'
        ? await this.deps.sms.send({ to, from: this.deps.identity.smsNumber, body: message.text })
        : await this.deps.email.send({
            to,
            from: { email: this.deps.identity.emailFrom, name: this.deps.profile.name },
            subject: message.subject ?? `${this.deps.profile.name}`,
            text: message.text,
            ...(message.html && { html: message.html }),
            ...(lead.emailThread?.messageId && {
              inReplyTo: lead.emailThread.messageId,
              references: [...lead.emailThread.references, lead.emailThread.messageId],
            }),
            tracking: { leadId: lead.leadId, messageId: outboundMessageId },
          });
    const sentAt = this.now().toISOString();
    await this.deps.store.recordOutbound({
      messageId: outboundMessageId,
      leadId: lead.leadId,
      channel,
      body: message.text,
      ...(message.subject && { subject: message.subject }),
      at: sentAt,
      status: 'sent',
      purpose: message.purpose,
      inReplyTo: message.answering,
      ...(message.composedBy && { composedBy: message.composedBy }),
      providerMessageId,
    });
    return { status: 'sent', outboundMessageId, providerMessageId, sentAt };
  }

  private async suppress(message: OutboundText, reason: string): Promise<SendOutcome> {
    const messageId = `out-${message.purpose}-${message.answering}`;
    await this.recordSuppressed(
      message.lead,
      { messageId, channel: message.channel, body: message.text, purpose: message.purpose },
      reason,
    );
    await this.deps.store.recordOutbound({
      messageId,
      leadId: message.lead.leadId,
      channel: message.channel,
      body: message.text,
      at: this.now().toISOString(),
      status: 'suppressed',
      purpose: message.purpose,
      inReplyTo: message.answering,
      reason,
    });
    return { status: 'suppressed', reason };
  }
}
