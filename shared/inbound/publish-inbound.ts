import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import { LeadMessageReceived } from '#events/catalog.ts';
import type { EventDefinition } from '#events/envelope.ts';
import { now as clockNow } from '#shared/clock.ts';
import { attachmentsAsMedia } from '#shared/domain/mail/attachments.ts';
import { consentKeyword } from '#shared/domain/opt-out.ts';
import { WebhookRejection } from '#shared/lambda/http.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import type { AcceptedInbound, InboundAcceptance } from '#shared/ports/inbound-acceptance.ts';
import type { LeadMessage } from '#shared/ports/lead-store.ts';

export type InboundMessage = z.input<(typeof LeadMessageReceived)['schema']>;

export interface PublishOutcome {
  messageId: string;
  /** True when this provider message id was published before (a provider's retry). */
  duplicate: boolean;
  /** The consent keyword put in force before answering, if the message carried one. */
  consent?: 'opt_out' | 'opt_in' | 'help';
  /** The webhook's answer when it is not the handler's usual one (TwiML that depends on the request). */
  response?: APIGatewayProxyStructuredResultV2;
}

/**
 * Another attempt holds this provider message right now (or held it and has not yet timed out):
 * only a completed attempt earns a 2xx, so this one answers a status the provider retries.
 */
export class InboundInProgressError extends Error {
  override readonly name = 'InboundInProgressError';
  constructor(readonly retryAfterSeconds: number) {
    super(`This message is being accepted by another request; retry in ${retryAfterSeconds} s`);
  }
}

/** How long an attempt holds a message when no Lambda context says (the webhook's timeout). */
const DEFAULT_CLAIM_MS = 10_000;

/**
 * Accepts an inbound message once per provider message id and publishes `Lead Message Received`
 * (ARCHITECTURE.md, "Decisions"):
 * 1. the event is validated first: a message the event cannot carry is refused with a 4xx
 *    and a reason (413 for a body over the schema's limit), never a 500 the provider retries;
 * 2. the message is stored under its provider-derived id and claimed for this attempt, until
 *    the invocation's deadline. A repeat of a published message answers 2xx (`duplicate`); a
 *    repeat while another attempt holds it throws `InboundInProgressError` (answered 503 with
 *    Retry-After); a claim whose attempt died is taken over, keeping the first receive time;
 * 3. an opt-out or opt-in keyword is put in force before anything is answered;
 * 4. the event is published, then the message marked published. If publishing fails the claim
 *    is released and the error thrown, so the provider's retry publishes it.
 * A crash between 4's two steps publishes the event twice; every consumer dedupes on the
 * message id, not on the event id.
 */
export const createInboundPublisher = (deps: {
  publisher: EventPublisher;
  acceptance: InboundAcceptance;
  clock?: () => Date;
}) => {
  let context: Context | undefined;
  const now = () => deps.clock?.() ?? clockNow();

  /**
   * Steps 2 and 4 for any inbound fact: stores `record` under its provider-derived id and claims
   * it, runs `deliver` (which publishes) with what is stored, then marks it published. A repeat
   * of a published record is a `duplicate`; one held by another attempt throws
   * `InboundInProgressError`; a failure releases the claim and is thrown.
   */
  const acceptOnce = async (
    record: AcceptedInbound,
    deliver: (stored: LeadMessage) => Promise<void>,
  ): Promise<{ duplicate: boolean }> => {
    const started = now();
    const claim = await deps.acceptance.claim(record, {
      now: started,
      claimMs: context?.getRemainingTimeInMillis() || DEFAULT_CLAIM_MS,
    });
    if (claim.state === 'published') return { duplicate: true };
    if (claim.state === 'in-progress') {
      const seconds = Math.max(1, Math.ceil((Date.parse(claim.until) - started.getTime()) / 1000));
      throw new InboundInProgressError(seconds);
    }
    const ref = { leadId: record.leadId, messageId: record.messageId };
    try {
      await deliver(claim.message);
      await deps.acceptance.markPublished(ref);
      return { duplicate: false };
    } catch (error) {
      await deps.acceptance.release(ref).catch(() => undefined);
      throw error;
    }
  };

  const publish = async (message: InboundMessage): Promise<PublishOutcome> => {
    const parsed = LeadMessageReceived.schema.safeParse(message);
    if (!parsed.success) throw unfitMessage(parsed.error);
    const detail = parsed.data;
    let consent: PublishOutcome['consent'];
    const { duplicate } = await acceptOnce(
      {
        leadId: detail.leadId,
        messageId: detail.messageId,
        channel: detail.channel,
        body: detail.body,
        ...(detail.subject && { subject: detail.subject }),
        at: detail.receivedAt,
        // Email attachments are archived already, so the message lists them; MMS media are
        // recorded by archive-media once fetched.
        ...(detail.channel === 'email' &&
          detail.media.length > 0 && { media: attachmentsAsMedia(detail.media) }),
        ...(detail.automated && { automated: true }),
      },
      async (stored) => {
        // A take-over keeps the first attempt's receive time: it is part of what was accepted.
        const accepted = { ...detail, receivedAt: stored.at };
        consent = consentKeyword(accepted) ?? undefined;
        if (consent === 'opt_out' || consent === 'opt_in') {
          await deps.acceptance.setOptOut({
            contact: accepted.from,
            optedOut: consent === 'opt_out',
            at: accepted.receivedAt,
            channel: accepted.channel,
            messageId: accepted.messageId,
          });
        }
        await deps.publisher.publish(LeadMessageReceived, accepted);
      },
    );
    return { messageId: detail.messageId, duplicate, ...(consent && { consent }) };
  };

  /**
   * Accepts another inbound fact once per provider id (a missed call: `call-<CallSid>`), stored
   * as `record` in its lead's conversation, and publishes `event` with `detail` (validated first:
   * a detail the event cannot carry is refused with a 400 and the field).
   */
  const publishOnce = async <S extends z.ZodType>(
    event: EventDefinition<S>,
    detail: z.input<S>,
    record: AcceptedInbound,
  ): Promise<{ duplicate: boolean }> => {
    const parsed = event.schema.safeParse(detail);
    if (!parsed.success) throw unfitMessage(parsed.error);
    return acceptOnce(record, () => deps.publisher.publish(event, detail));
  };

  return {
    publish,
    publishOnce,
    /** The claim then lasts as long as the invocation may run, as Powertools idempotency's does. */
    registerLambdaContext: (lambdaContext: Context) => {
      context = lambdaContext;
    },
  };
};

/** Why the event cannot carry the message, as the provider's answer: 413 for text too long, else 400. */
const unfitMessage = (error: z.ZodError): WebhookRejection => {
  const problems = error.issues.map((issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`);
  const tooLong = error.issues.some((issue) => issue.code === 'too_big' && issue.origin === 'string');
  return new WebhookRejection(tooLong ? 413 : 400, `The message cannot be accepted: ${problems.join('; ')}`);
};

export type InboundPublisher = ReturnType<typeof createInboundPublisher>;
