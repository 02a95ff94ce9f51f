import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { leadIdForContact, maskEmail, parseEmailAddress } from '#shared/domain/contact.ts';
import { extractLeadText } from '#shared/domain/email-text.ts';
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
    });
  } catch (error) {
    if (error instanceof InboundEmailParseError) throw new WebhookRejection(error.statusCode, error.message);
    throw error;
  }
  const sender = parseEmailAddress(email.from);
  if (!sender) throw new WebhookRejection(400, 'The from field holds no email address');

  // The Message-ID is the provider's message id; a mail without one is keyed by its content.
  const providerMessageId = email.messageId ?? `sha256:${createHash('sha256').update(body).digest('hex')}`;
  const messageId = `email-${createHash('sha256').update(providerMessageId).digest('hex').slice(0, 24)}`;
  const leadId = leadIdForContact(sender.address);
  const receivedAt = (deps.now?.() ?? new Date()).toISOString();
  const day = receivedAt.slice(0, 10).replaceAll('-', '/');

  const rawPayloadKey = `inbound/email/${day}/${messageId}/payload.multipart`;
  const attachments = email.attachments.map((attachment, i) => ({
    ...attachment,
    key: `inbound/email/${day}/${messageId}/attachments/${i + 1}-${attachment.filename.replace(/[^\w.-]+/g, '_')}`,
  }));
  // Archived together: the webhook answers SendGrid once everything is stored.
  await Promise.all([
    deps.blobStore.put(rawPayloadKey, body, header(event, 'content-type') ?? 'application/octet-stream'),
    ...attachments.map((a) => deps.blobStore.put(a.key, a.content, a.contentType)),
  ]);
  const media = attachments.slice(0, 10).map((a) => ({ url: `s3:${a.key}`, contentType: a.contentType }));

  const text = extractLeadText({
    ...(email.text !== undefined && { text: email.text }),
    ...(email.html !== undefined && { html: email.html }),
  });
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
    to: parseEmailAddress(email.to)?.address ?? email.to,
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
