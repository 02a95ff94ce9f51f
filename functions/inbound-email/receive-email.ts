import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { now } from '#shared/clock.ts';
import { maskEmail, parseEmailAddress, parseMailboxes } from '#shared/domain/email-address.ts';
import { extractLeadText } from '#shared/domain/email-text.ts';
import { leadIdOf } from '#shared/domain/lead-id.ts';
import type { InboundMessage, PublishOutcome } from '#shared/inbound/publish-inbound.ts';
import { verifySendGridSignature } from '#shared/inbound/sendgrid-signature.ts';
import { header, rawBody, requireMethod, WebhookRejection } from '#shared/lambda/http.ts';
import type { BlobStore } from '#shared/ports/outbound.ts';
import { checkBasicAuth } from './authenticate.ts';
import { isAutomatedMail } from './automated-mail.ts';
import { InboundEmailParseError, parseSendGridInbound } from './parse-inbound-email.ts';

const MAX_BODY_CHARS = 20_000;

/**
 * Authenticates a SendGrid Inbound Parse webhook, archives the raw payload, and publishes
 * `Lead Message Received` once per email Message-ID. Refusals throw `WebhookRejection` before
 * anything is stored or published.
 */
export const receiveEmail = async (
  event: APIGatewayProxyEventV2,
  deps: {
    basicAuth: { user: string; password: string };
    signaturePublicKey?: string;
    maxBytes: number;
    /** Largest attachment kept; larger ones are listed, not archived. */
    maxAttachmentBytes?: number;
    blobStore: BlobStore;
    publishInbound: (message: InboundMessage) => Promise<PublishOutcome>;
    logger: Logger;
    now?: () => Date;
  },
): Promise<PublishOutcome> => {
  requireMethod(event, 'POST');
  if (!checkBasicAuth(header(event, 'authorization'), deps.basicAuth)) {
    throw new WebhookRejection(401, 'Missing or wrong credentials', {
      'www-authenticate': 'Basic realm="leadline-inbound-email"',
    });
  }
  const body = rawBody(event, deps.maxBytes);
  if (deps.signaturePublicKey) {
    const signature = header(event, 'x-twilio-email-event-webhook-signature');
    const timestamp = header(event, 'x-twilio-email-event-webhook-timestamp');
    if (!signature || !timestamp) throw new WebhookRejection(403, 'Missing SendGrid signature headers');
    if (
      !verifySendGridSignature({ publicKey: deps.signaturePublicKey, payload: body, signature, timestamp })
    ) {
      throw new WebhookRejection(403, 'Invalid SendGrid signature');
    }
  }

  let email: Awaited<ReturnType<typeof parseSendGridInbound>>;
  try {
    email = await parseSendGridInbound(body, header(event, 'content-type') ?? '', {
      maxBytes: deps.maxBytes,
      ...(deps.maxAttachmentBytes && { maxAttachmentBytes: deps.maxAttachmentBytes }),
    });
  } catch (error) {
    if (error instanceof InboundEmailParseError) throw new WebhookRejection(error.statusCode, error.message);
    throw error;
  }
  // RFC 5322 §3.6.2 allows several mailboxes in From: the lead is the first one we can answer.
  const sender = parseMailboxes(email.from)[0];
  if (!sender) throw new WebhookRejection(400, 'The from field holds no email address');

  // The Message-ID is the provider's message id; a mail without one is keyed by its content.
  const providerMessageId = email.messageId ?? `sha256:${createHash('sha256').update(body).digest('hex')}`;
  const messageId = `email-${createHash('sha256').update(providerMessageId).digest('hex').slice(0, 24)}`;
  const leadId = leadIdOf(sender.address);
  const receivedAt = (deps.now?.() ?? now()).toISOString();
  const day = receivedAt.slice(0, 10).replaceAll('-', '/');

  const rawPayloadKey = `inbound/email/${day}/${messageId}/payload.multipart`;
  const attachments = email.attachments.map((attachment, i) => ({
    ...attachment,
    key: `inbound/email/${day}/${messageId}/attachments/${i + 1}-${attachment.filename.replace(/[^\w.-]+/g, '_')}`,
  }));
  // Archived together: the webhook answers SendGrid once everything is stored.
  await Promise.all([
    deps.blobStore.put(rawPayloadKey, body, header(event, 'content-type') ?? 'application/octet-stream'),
    ...attachments.filter((a) => !a.skipped).map((a) => deps.blobStore.put(a.key, a.content, a.contentType)),
  ]);
  // Listed on the lead's message as MMS media are; a file too large to keep is listed with why.
  const media = attachments.slice(0, 10).map((a) => ({
    url: `s3:${a.key}`,
    contentType: a.contentType,
    filename: a.filename.slice(0, 200),
    bytes: a.size,
    ...(a.skipped && { skipped: a.skipped }),
  }));
  const skipped = attachments.filter((a) => a.skipped);
  if (skipped.length > 0) {
    deps.logger.warn('Email attachments not kept', {
      correlationId: messageId,
      files: skipped.map((a) => ({ contentType: a.contentType, bytes: a.size, reason: a.skipped })),
    });
  }

  const text = extractLeadText({ text: email.text, html: email.html, subject: email.subject });
  deps.logger.setCorrelationId(messageId);
  deps.logger.appendKeys({ leadId });
  deps.logger.info('Email received', { from: maskEmail(sender.address) });
  return deps.publishInbound({
    version: 1,
    leadId,
    correlationId: messageId,
    messageId,
    channel: 'email',
    provider: 'sendgrid',
    providerMessageId,
    from: sender.address,
    to: recipientOf(email),
    ...(sender.name && { fromName: sender.name.slice(0, 200) }),
    subject: email.subject.slice(0, 1000),
    body: text.slice(0, MAX_BODY_CHARS),
    receivedAt,
    rawPayloadKey,
    media,
    ...(email.messageId && { emailMessageId: email.messageId }),
    references: email.references.slice(-50),
    automated: isAutomatedMail({ headers: email.headers, from: sender.address, subject: email.subject }),
  });
};

/**
 * The business address the mail was sent to: the `To` header's first address, else the SMTP
 * envelope's recipient (a Bcc-only mail, or one whose `To` is empty or undisclosed, still reached
 * us through it), else the header's raw text.
 */
const recipientOf = (email: { to: string; envelope?: { to: string[] } }): string =>
  parseEmailAddress(email.to)?.address ??
  email.envelope?.to.map((address) => parseEmailAddress(address)?.address).find(Boolean) ??
  (email.to.trim() || 'undisclosed-recipients');
