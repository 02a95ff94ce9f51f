import { type KeyObject, randomUUID } from 'node:crypto';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { recordConsentSignal } from '#shared/compliance/consent-record.ts';
import { maskEmail } from '#shared/domain/contact.ts';
import {
  SENDGRID_SIGNATURE_HEADER,
  SENDGRID_TIMESTAMP_HEADER,
  verifySendGridSignature,
} from '#shared/inbound/sendgrid-signature.ts';
import { header, rawBody, requireMediaType, requireMethod, WebhookRejection } from '#shared/lambda/http.ts';
import type { LeadStore } from '#shared/ports/lead-store.ts';
import { type EmailEventAction, readSendGridEvent, SendGridEventBatch } from './sendgrid-events.ts';

/** How the webhook knows a post is SendGrid's: its signature, or (development only) nothing. */
export type EventVerification = { publicKey: KeyObject } | { allowUnsigned: true } | { notConfigured: true };

export interface EmailEventCounts {
  applied: number;
  repeated: number;
  ignored: number;
  unreadable: number;
  unreachable: number;
}

/** SendGrid posts a batch every 30 s or at 768 KB; Lambda caps a request at 6 MB. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;

/**
 * Applies delivery events to the store, each once per `sg_event_id` (SendGrid retries a batch
 * for 24 hours after a non-2xx answer, and may send an event twice): a repeat is recognised and
 * changes nothing, and a batch that failed half-way redoes only the events that did not finish.
 */
export class EmailEventRecorder {
  private readonly idempotency = new IdempotencyConfig({
    eventKeyJmesPath: 'action.eventId',
    // Longer than SendGrid's 24 hours of retries.
    expiresAfterSeconds: 3 * 24 * 3600,
  });
  /** Keyed on the first argument (the event); the logger rides along outside the key. */
  private readonly applyOnce: (
    input: { action: EmailEventAction; attempt: string },
    logger: Logger,
  ) => Promise<string>;

  constructor(private readonly deps: { store: LeadStore; persistenceStore: BasePersistenceLayer }) {
    this.applyOnce = makeIdempotent(
      async ({ action, attempt }: { action: EmailEventAction; attempt: string }, logger: Logger) => {
        await this.apply(action, logger);
        return attempt;
      },
      { persistenceStore: deps.persistenceStore, config: this.idempotency, keyPrefix: 'email-events' },
    );
  }

  registerLambdaContext(context: Context): void {
    this.idempotency.registerLambdaContext(context);
  }

  /** `applied` the first time; `repeated` when this event was applied before (or is being applied now). */
  async record(action: EmailEventAction, logger: Logger): Promise<'applied' | 'repeated'> {
    const attempt = randomUUID();
    try {
      return (await this.applyOnce({ action, attempt }, logger)) === attempt ? 'applied' : 'repeated';
    } catch (error) {
      if (error instanceof IdempotencyAlreadyInProgressError) return 'repeated';
      throw error;
    }
  }

  private async apply(action: EmailEventAction, logger: Logger): Promise<void> {
    const { store } = this.deps;
    if (action.message && action.delivery) {
      const outcome = await store.recordEmailDelivery(action.message, action.delivery);
      // An email of another stack sharing the SendGrid account, or one never recorded: nothing
      // to attach the event to, and retrying would not change that.
      if (outcome === 'not-found') {
        logger.warn('Email event for a message not in the store', {
          leadId: action.message.leadId,
          messageId: action.message.messageId,
          event: action.event,
        });
      }
    }
    if (action.contact?.kind === 'unreachable') {
      await store.setEmailUnreachable({
        contact: action.email,
        at: action.at,
        reason: action.contact.reason,
        providerEventId: action.eventId,
      });
      await store.recordConsentEvent({
        contact: action.email,
        id: `unreachable-${action.eventId}`,
        at: action.at,
        channel: 'email',
        event: 'unreachable',
        signal: 'sendgrid-bounce',
        detail: `SendGrid ${action.event}: ${action.contact.reason}`,
        effect: 'none',
        ...(action.message && { messageId: action.message.messageId, leadId: action.message.leadId }),
      });
      logger.info('Email address unreachable', {
        email: maskEmail(action.email),
        reason: action.contact.reason,
      });
    }
    if (action.contact?.kind === 'opted-out') {
      // Already opted out, or opted back in after this event happened: the ledger says so and
      // the state stays.
      const { effect } = await recordConsentSignal(store, {
        contact: action.email,
        channel: 'email',
        action: 'opt_out',
        signal: /spam/i.test(`${action.event} ${action.contact.reason}`)
          ? 'sendgrid-spam-report'
          : 'sendgrid-unsubscribe',
        detail: `SendGrid ${action.event}: ${action.contact.reason}`,
        at: action.at,
        messageId: action.message?.messageId ?? `sendgrid-event-${action.eventId}`,
        ...(action.message && { leadId: action.message.leadId }),
      });
      if (effect === 'opted_out') {
        logger.info('Email address opted out', {
          email: maskEmail(action.email),
          reason: action.contact.reason,
        });
      }
    }
  }
}

/**
 * Authenticates a SendGrid Event Webhook post (ECDSA over timestamp + raw body), reads its batch
 * of events and records each: delivery state on our message, bounced addresses as unreachable,
 * spam reports and unsubscribes as opt-outs. Refusals throw `WebhookRejection`; a store failure
 * throws, so SendGrid gets a 5xx and retries the batch.
 */
export const receiveEmailEvents = async (
  event: APIGatewayProxyEventV2,
  deps: { verification: EventVerification; recorder: EmailEventRecorder; logger: Logger; now?: () => Date },
): Promise<EmailEventCounts> => {
  requireMethod(event, 'POST');
  requireMediaType(event, 'application/json', { allowMissing: true });
  const body = rawBody(event, MAX_BODY_BYTES);
  const { verification } = deps;
  if ('notConfigured' in verification) {
    // Unsigned events could mark any lead's address bounced or opted out: fail closed.
    throw new WebhookRejection(403, 'Event Webhook verification key not configured');
  }
  if ('publicKey' in verification) {
    const signature = header(event, SENDGRID_SIGNATURE_HEADER);
    const timestamp = header(event, SENDGRID_TIMESTAMP_HEADER);
    if (!signature || !timestamp) throw new WebhookRejection(403, 'Missing SendGrid signature headers');
    const valid = verifySendGridSignature({
      publicKey: verification.publicKey,
      payload: body,
      signature,
      timestamp,
      ...(deps.now && { now: deps.now().getTime() }),
    });
    if (!valid) throw new WebhookRejection(403, 'Invalid SendGrid signature');
  }

  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new WebhookRejection(400, 'The body is not JSON');
  }
  const batch = SendGridEventBatch.safeParse(json);
  if (!batch.success) throw new WebhookRejection(400, 'The body is not a JSON array of SendGrid events');

  const counts: EmailEventCounts = { applied: 0, repeated: 0, ignored: 0, unreadable: 0, unreachable: 0 };
  // In order: two events of one message in one batch are applied as SendGrid listed them.
  for (const raw of batch.data) {
    const read = readSendGridEvent(raw);
    if (read.kind === 'ignored') {
      counts.ignored += 1;
      continue;
    }
    if (read.kind === 'unreadable') {
      // One odd event must not hold back the batch (SendGrid would retry all of it for a day).
      counts.unreadable += 1;
      deps.logger.warn('Unreadable SendGrid event', { event: read.event, problem: read.problem });
      continue;
    }
    const outcome = await deps.recorder.record(read.action, deps.logger);
    counts[outcome] += 1;
    if (outcome === 'applied' && read.action.contact?.kind === 'unreachable') counts.unreachable += 1;
  }
  return counts;
};
