import type { Context } from 'aws-lambda';
import type { Channel } from '#events/envelope.ts';
import { now } from '#shared/clock.ts';
import {
  consentAllows,
  recordConsentSignal,
  recordSuppressedSend,
} from '#shared/compliance/consent-record.ts';
import { decideSendTime } from '#shared/compliance/send-time.ts';
import type { BusinessProfile } from '#shared/config/business-profile.ts';
import { PermanentError, RecipientOptedOutError, TransientError } from '#shared/ports/errors.ts';
import type { Lead, LeadMessage, LeadStore } from '#shared/ports/lead-store.ts';
import type { EmailSender, SentLookupResult, SentMessage, SmsSender } from '#shared/ports/outbound.ts';
import type { ComposedBy } from '#shared/ports/reply-drafter.ts';
import {
  decideSend,
  heldBackForRep,
  reminderWithdrawn,
  type SendDecision,
  withdrawnOnRelease,
} from './send-policy.ts';

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
  channel: Channel;
  kind: SendKind;
  /** What the message is for, e.g. `first-reply`, `slots-offered`: recorded on the message. */
  purpose: string;
  /**
   * The inbound message this answers (or the event that caused it): the once-only key. One
   * message gets one answer, whatever its purpose turns out to be on a retry.
   */
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
  /**
   * The lead's messages as the caller has just read them: the messenger then reads them no more
   * (the answer's own item, the send policy's count). Claims stay conditional writes, so a list a
   * moment old never sends twice.
   */
  conversation?: readonly LeadMessage[];
}

export interface HeldDispatch {
  lead: Lead;
  message: LeadMessage;
  outcome: SendOutcome;
}

export type SendOutcome =
  | { status: 'sent'; outboundMessageId: string; providerMessageId: string; sentAt: string }
  | { status: 'held'; outboundMessageId: string; sendAt: string }
  | { status: 'suppressed'; reason: string }
  | { status: 'unconfirmed'; reason: string };

/** The id of the one answer to an inbound message (or to the event that caused a message). */
export const outboundMessageIdFor = (answering: string) => `out-${answering}`;

/** How long a send is claimed when no Lambda context says: auto-respond's timeout. */
const DEFAULT_CLAIM_MS = 30_000;

const UNCONFIRMED_REASON =
  'the send was interrupted and the provider cannot say whether it went out: not sent again (at most once)';

/**
 * The one path every message to a lead takes (ARCHITECTURE.md, "Decisions"). Opt-out is checked here, in
 * the sending path itself, and so are quiet hours. Each inbound message gets at most one answer:
 * the answer's item (`out-<inbound id>`) is claimed before the provider is called and completed
 * after, so a retried caller finds it and sends nothing. A claim left by a crash is resolved on
 * purpose: the provider is asked whether the text went out (Twilio's Messages API, the sandbox's
 * outbox); where it cannot tell (SendGrid), the message is marked `unconfirmed` and never resent.
 */
export class LeadMessenger {
  private context: Context | undefined;

  constructor(
    private readonly deps: {
      store: LeadStore;
      sms: SmsSender;
      email: EmailSender;
      profile: BusinessProfile;
      /** `whatsappFrom`: the business's WhatsApp sender (E.164), the SMS number when unset. */
      identity: { smsNumber: string; emailFrom: string; whatsappFrom?: string };
      clock?: () => Date;
    },
  ) {}

  /** A claim then lasts as long as the invocation may run: after that, a retry may resolve it. */
  registerLambdaContext(context: Context): void {
    this.context = context;
  }

  /**
   * Sends (or holds, or suppresses) the answer to `message.answering`, once.
   * @throws TransientError when the provider failed for now, or another attempt is sending this
   *   very message (the caller's retry then finds how it ended)
   */
  async send(message: OutboundText): Promise<SendOutcome> {
    const ref = { leadId: message.lead.leadId, messageId: outboundMessageIdFor(message.answering) };
    const stored = message.conversation
      ? message.conversation.find((m) => m.messageId === ref.messageId)
      : await this.deps.store.getMessage(ref.leadId, ref.messageId);
    if (stored) return this.resume(stored, message);
    try {
      return await this.deliver(message);
    } catch (error) {
      // The provider holds an opt-out we did not know of (the lead texted STOP to the carrier).
      if (!(error instanceof RecipientOptedOutError)) throw error;
      await this.recordProviderOptOut(message.lead, message.channel, ref.messageId);
      await this.deps.store.finishOutbound(
        { ...ref, at: this.now().toISOString(), channel: message.channel },
        { status: 'suppressed', at: this.now().toISOString(), reason: error.message },
      );
      return { status: 'suppressed', reason: error.message };
    }
  }

  /**
   * Records that `answering` gets no answer of its own because `by`, a message of the same burst,
   * is answered for it. If an answer to it exists already (a retry after it went), reports that.
   */
  async supersede(message: {
    lead: Lead;
    channel: Channel;
    answering: string;
    by: string;
  }): Promise<SendOutcome> {
    const reason = `answered together with ${message.by}, another message of the same burst`;
    const stored = await this.deps.store.recordOutbound({
      messageId: outboundMessageIdFor(message.answering),
      leadId: message.lead.leadId,
      channel: message.channel,
      body: '',
      at: this.now().toISOString(),
      status: 'superseded',
      purpose: 'superseded',
      inReplyTo: message.answering,
      reason,
    });
    if (stored.status !== 'superseded')
      return this.resume(stored, { ...message, kind: 'reply', purpose: '', text: stored.body });
    return { status: 'suppressed', reason };
  }

  /**
   * Sends the held texts that are due: each is claimed first (so two runs never both send it),
   * checked against opt-out again (the lead may have opted out overnight), a rep's takeover, and
   * the conversation (a follow-up or text-back is withdrawn once the lead has written since it was
   * composed: `withdrawnOnRelease`; a reminder whose meeting was cancelled or moved meanwhile:
   * `reminderWithdrawn`), then sent. A provider
   * failure gives the text back for the next run; a permanent one records it as failed. A text
   * whose claim outlived its run (a crash) is looked up at the provider before anything else.
   */
  async dispatchHeld(limit = 25): Promise<HeldDispatch[]> {
    const { store } = this.deps;
    const results: HeldDispatch[] = [];
    for (const ref of await store.listDueHeld(this.now(), limit)) {
      const claim = await store.claimHeld(ref, this.claimUntil(), this.now());
      if (!claim) continue;
      const lead = await store.getLead(ref.leadId);
      const message = await store.getMessage(ref.leadId, ref.messageId);
      if (!lead?.phone || !message) {
        await store.finishHeld(ref, { status: 'failed', reason: 'the lead or its phone number is gone' });
        continue;
      }
      if (claim === 'retaken') {
        const found = await this.lookUp(this.deps.sms, lead.phone, message);
        if (found !== null) {
          const outcome = found === 'unknown' ? undefined : found;
          const sentAt = this.now().toISOString();
          await store.finishHeld(
            ref,
            outcome
              ? { status: 'sent', providerMessageId: outcome.providerMessageId, sentAt }
              : { status: 'unconfirmed', reason: UNCONFIRMED_REASON },
          );
          if (outcome) {
            results.push({
              lead,
              message,
              outcome: { status: 'sent', outboundMessageId: message.messageId, sentAt, ...outcome },
            });
          }
          continue;
        }
      }
      const heldBack = (await store.getOptOut(lead.phone))?.optedOut
        ? 'the contact opted out'
        : (heldBackForRep(lead, message.purpose) ?? (await this.withdrawnSince(lead.leadId, message)));
      if (heldBack) {
        await store.finishHeld(ref, { status: 'suppressed', reason: heldBack });
        await this.recordSuppressed(lead, message, heldBack);
        results.push({ lead, message, outcome: { status: 'suppressed', reason: heldBack } });
        continue;
      }
      try {
        const { providerMessageId } = await this.deps.sms.send({
          to: lead.phone,
          from: this.deps.identity.smsNumber,
          body: message.body,
          reference: message.messageId,
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
          // Given back only when it surely did not go; otherwise the next run looks it up first.
          if (error instanceof TransientError && error.notProcessed) await store.releaseHeld(ref);
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

  /** Why a held text no longer fits the conversation it was composed for, or null (`send-policy.ts`). */
  private async withdrawnSince(leadId: string, held: LeadMessage): Promise<string | null> {
    const { messages, meetings } = await this.deps.store.getConversation(leadId);
    return withdrawnOnRelease(held, messages) ?? reminderWithdrawn(held, meetings);
  }

  private now() {
    return this.deps.clock?.() ?? now();
  }

  private claimUntil(): Date {
    const ms = this.context?.getRemainingTimeInMillis() || DEFAULT_CLAIM_MS;
    return new Date(this.now().getTime() + ms);
  }

  private async recordProviderOptOut(lead: Lead, channel: Channel, messageId: string) {
    const contact = channel === 'email' ? lead.email : lead.phone;
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
      contact: (message.channel === 'email' ? lead.email : lead.phone) ?? lead.contact,
      channel: message.channel,
      leadId: lead.leadId,
      messageId: message.messageId,
      purpose: message.purpose,
      text: message.body,
      reason,
      at: this.now().toISOString(),
    });
  }

  /** The answer exists already: report how it stands, finishing a send a crash interrupted. */
  private async resume(stored: LeadMessage, message: OutboundText): Promise<SendOutcome> {
    switch (stored.status) {
      case 'sent':
        return {
          status: 'sent',
          outboundMessageId: stored.messageId,
          providerMessageId: stored.providerMessageId ?? '',
          sentAt: stored.at,
        };
      case 'held':
        return { status: 'held', outboundMessageId: stored.messageId, sendAt: stored.sendAt ?? stored.at };
      case 'sending':
        return this.resolveInterrupted(stored, message);
      case 'unconfirmed':
        return { status: 'unconfirmed', reason: stored.reason ?? UNCONFIRMED_REASON };
      default:
        return { status: 'suppressed', reason: stored.reason ?? `the answer is ${stored.status}` };
    }
  }

  /**
   * A claimed send: still running elsewhere (retry later), or abandoned by a crash. Then the
   * provider says whether it went out; if it did not, it goes now; if nobody can tell, it is
   * marked unconfirmed and never sent again.
   */
  private async resolveInterrupted(stored: LeadMessage, message: OutboundText): Promise<SendOutcome> {
    const now = this.now();
    const claimedUntil = stored.claimedUntil ?? '';
    if (claimedUntil > now.toISOString()) {
      throw new TransientError(
        `${stored.messageId} is being sent by another attempt`,
        Date.parse(claimedUntil) - now.getTime(),
      );
    }
    const until = this.claimUntil();
    if (!(await this.deps.store.retakeOutbound(stored, claimedUntil, until))) {
      throw new TransientError(`${stored.messageId} was taken over by another attempt`);
    }
    const address = message.channel === 'email' ? message.lead.email : message.lead.phone;
    // Twilio lists a WhatsApp message under its `whatsapp:` address.
    const to = address && message.channel === 'whatsapp' ? `whatsapp:${address}` : address;
    const sender = message.channel === 'email' ? this.deps.email : this.deps.sms;
    const found = to ? await this.lookUp(sender, to, stored) : 'unknown';
    const ref = {
      leadId: stored.leadId,
      messageId: stored.messageId,
      at: stored.at,
      channel: message.channel,
    };
    if (found === 'unknown') {
      await this.deps.store.finishOutbound(ref, {
        status: 'unconfirmed',
        at: now.toISOString(),
        reason: UNCONFIRMED_REASON,
      });
      return { status: 'unconfirmed', reason: UNCONFIRMED_REASON };
    }
    if (found) {
      await this.deps.store.finishOutbound(ref, { status: 'sent', at: now.toISOString(), ...found });
      return { status: 'sent', outboundMessageId: stored.messageId, sentAt: now.toISOString(), ...found };
    }
    // It never reached the provider: send it now, under the claim just taken, if it still may go.
    const gate = await this.gate(message);
    if ('blocked' in gate) {
      await this.deps.store.finishOutbound(ref, {
        status: 'suppressed',
        at: now.toISOString(),
        reason: gate.blocked,
      });
      return { status: 'suppressed', reason: gate.blocked };
    }
    return this.handOver(message, stored, until, gate.decision);
  }

  /** The provider's word on an interrupted send: its id, null (never went), or 'unknown'. */
  private lookUp(
    sender: SmsSender | EmailSender,
    to: string,
    stored: LeadMessage,
  ): Promise<SentLookupResult> {
    return sender.findSent({
      to,
      body: stored.body,
      // The claim's start, to the second the provider's timestamps keep, less a little for the
      // clocks of two machines (a text to one lead with the same words that soon is this one).
      since: new Date(Math.floor(Date.parse(stored.at) / 1000) * 1000 - 5_000),
      reference: stored.messageId,
    });
  }

  private async deliver(message: OutboundText): Promise<SendOutcome> {
    const gate = await this.gate(message);
    if ('blocked' in gate) return this.suppress(message, gate.blocked);
    const { decision } = gate;
    const { lead, channel } = message;

    const now = this.now();
    const outboundMessageId = outboundMessageIdFor(message.answering);
    if (channel === 'sms') {
      const timing = decideSendTime({
        now,
        lead,
        kind: message.kind,
        answeredAt: message.answeredAt,
        profile: this.deps.profile,
      });
      if (timing.action === 'drop') return this.suppress(message, timing.reason);
      if (timing.action === 'hold') {
        const stored = await this.deps.store.recordOutbound({
          ...this.outboundRecord(message, now),
          status: 'held',
          sendAt: timing.sendAt.toISOString(),
          reason: timing.reason,
        });
        return this.resumeIfOther(stored, message, {
          status: 'held',
          outboundMessageId,
          sendAt: timing.sendAt.toISOString(),
        });
      }
    }

    const until = this.claimUntil();
    const claim = await this.deps.store.claimOutbound(this.outboundRecord(message, now), until);
    if (!claim.claimed) return this.resume(claim.existing, message);
    return this.handOver(
      message,
      { ...this.outboundRecord(message, now), direction: 'out', status: 'sending' },
      until,
      decision,
    );
  }

  /**
   * What stands between a message and its provider, checked before every call to it (a send
   * resumed after a crash included, since the lead may have opted out meanwhile): a contact with
   * nowhere to send, an opt-out (but for the one confirmation), an address that bounced for good,
   * and the send policy (`send-policy.ts`).
   */
  private async gate(message: OutboundText): Promise<{ blocked: string } | { decision: SendDecision }> {
    const { lead, channel } = message;
    const to = channel === 'email' ? lead.email : lead.phone;
    if (!to) return { blocked: `the lead has no ${channel === 'email' ? 'email' : 'phone'}` };
    // The checks read at once: they sit on the path of every reply.
    const [optOut, unreachable, messages] = await Promise.all([
      this.deps.store.getOptOut(to),
      channel === 'email' ? this.deps.store.getEmailUnreachable(to) : undefined,
      message.conversation ?? this.deps.store.getMessages(lead.leadId),
    ]);
    const consent = consentAllows(
      message.kind === 'opt-out-confirmation' || message.kind === 'opt-in-confirmation'
        ? message.kind
        : 'message',
      optOut,
      message.answering,
    );
    if (!consent.allowed) return { blocked: consent.reason };
    // An address that bounced for good gets nothing more, not even a confirmation: resending
    // to it only hurts the sender's reputation.
    if (unreachable) return { blocked: 'the email address is unreachable' };
    const decision = decideSend({
      lead,
      channel,
      purpose: message.purpose,
      kind: message.kind,
      messages,
      profile: this.deps.profile,
      now: this.now(),
    });
    return decision.action === 'suppress' ? { blocked: decision.reason } : { decision };
  }

  /**
   * Calls the provider for a claimed answer and records how it ended. `decision` says whether a
   * WhatsApp answer goes free-form or as a template.
   */
  private async handOver(
    message: OutboundText,
    claimed: LeadMessage,
    until: Date,
    decision: SendDecision,
  ): Promise<SendOutcome> {
    const { lead, channel } = message;
    const ref = { leadId: claimed.leadId, messageId: claimed.messageId, at: claimed.at, channel };
    let sent: SentMessage;
    try {
      sent =
        channel !== 'email'
          ? await this.deps.sms.send({
              ...this.textTo(channel, lead.phone ?? '', claimed.body, decision),
              reference: claimed.messageId,
            })
          : await this.deps.email.send({
              to: lead.email ?? '',
              from: { email: this.deps.identity.emailFrom, name: this.deps.profile.name },
              subject: message.subject ?? `${this.deps.profile.name}`,
              text: claimed.body,
              ...(message.html && { html: message.html }),
              ...(lead.emailThread?.messageId && {
                inReplyTo: lead.emailThread.messageId,
                references: [...lead.emailThread.references, lead.emailThread.messageId],
              }),
              tracking: { leadId: lead.leadId, messageId: claimed.messageId },
            });
    } catch (error) {
      if (error instanceof RecipientOptedOutError) throw error;
      if (error instanceof PermanentError) {
        await this.deps.store.finishOutbound(ref, {
          status: 'failed',
          at: this.now().toISOString(),
          reason: error.message,
        });
        throw error;
      }
      // Surely not sent: the claim goes, and the retry sends afresh. Maybe sent: the claim ends
      // now, and the retry asks the provider before anything else.
      if (error instanceof TransientError && error.notProcessed) {
        await this.deps.store.releaseOutbound(ref, until.toISOString());
      } else {
        await this.deps.store.expireOutbound(ref, until.toISOString(), this.now());
      }
      throw error;
    }
    const sentAt = this.now().toISOString();
    await this.deps.store.finishOutbound(ref, {
      status: 'sent',
      at: sentAt,
      providerMessageId: sent.providerMessageId,
    });
    return {
      status: 'sent',
      outboundMessageId: claimed.messageId,
      providerMessageId: sent.providerMessageId,
      sentAt,
    };
  }

  /** An SMS, or a WhatsApp message (Twilio's `whatsapp:` addresses), free-form or a template. */
  private textTo(channel: Channel, to: string, body: string, decision: SendDecision) {
    const { smsNumber, whatsappFrom } = this.deps.identity;
    if (channel !== 'whatsapp') return { to, from: smsNumber, body };
    return {
      to: `whatsapp:${to}`,
      from: `whatsapp:${whatsappFrom ?? smsNumber}`,
      body,
      ...(decision.action === 'send-template' && {
        contentSid: decision.contentSid,
        contentVariables: decision.contentVariables,
      }),
    };
  }

  private outboundRecord(message: OutboundText, now: Date) {
    return {
      messageId: outboundMessageIdFor(message.answering),
      leadId: message.lead.leadId,
      channel: message.channel,
      body: message.text,
      ...(message.subject && { subject: message.subject }),
      at: now.toISOString(),
      purpose: message.purpose,
      inReplyTo: message.answering,
      ...(message.composedBy && { composedBy: message.composedBy }),
    };
  }

  /** What was stored is ours (`mine`), or an earlier attempt's answer, which is reported instead. */
  private resumeIfOther(stored: LeadMessage, message: OutboundText, mine: SendOutcome): Promise<SendOutcome> {
    const ours = stored.status === mine.status && stored.body === message.text;
    return ours ? Promise.resolve(mine) : this.resume(stored, message);
  }

  private async suppress(message: OutboundText, reason: string): Promise<SendOutcome> {
    const record = { ...this.outboundRecord(message, this.now()), status: 'suppressed' as const, reason };
    const stored = await this.deps.store.recordOutbound(record);
    const outcome = await this.resumeIfOther(stored, message, { status: 'suppressed', reason });
    // The ledger keeps the suppression this attempt recorded, not a retry's repeat of it.
    if (stored.at === record.at) await this.recordSuppressed(message.lead, record, reason);
    return outcome;
  }
}
