import * as z from 'zod';
import { s3Client } from '#shared/adapters/aws/clients.ts';
import { S3BlobStore } from '#shared/adapters/aws/s3-blob-store.ts';
import { basicAuthPair, readEnv } from '#shared/config/env.ts';
import { createWebhookHandler } from '#shared/inbound/webhook-handler.ts';
import { textResponse } from '#shared/lambda/http.ts';
import { once } from '#shared/wiring/core.ts';
import { receiveEmail } from './receive-email.ts';

// A secret: in the cloud it arrives with the provider secrets, just before the first invocation.
const basicAuth = once(() => readEnv({ INBOUND_EMAIL_BASIC_AUTH: basicAuthPair }).INBOUND_EMAIL_BASIC_AUTH);
const settings = readEnv({
  SENDGRID_INBOUND_PUBLIC_KEY: z.string().min(1).optional(),
  RAW_BUCKET_NAME: z.string().min(3),
  /**
   * API Gateway's HTTP API payload limit (10 MB): nothing larger reaches a function. In AWS a
   * Lambda request is also capped at 6 MB *after* API Gateway base64-encodes the multipart body,
   * so posts over ~4.4 MB fail before this code runs (README, "Large mail").
   */
  INBOUND_EMAIL_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  /** Attachments larger than this are listed on the message, not archived. */
  INBOUND_EMAIL_MAX_ATTACHMENT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * 1024 * 1024),
});
const blobStore = new S3BlobStore(s3Client(), settings.RAW_BUCKET_NAME);

export const handler = createWebhookHandler({
  name: 'inbound-email',
  receive: (event, deps) =>
    receiveEmail(event, {
      basicAuth: basicAuth(),
      ...(settings.SENDGRID_INBOUND_PUBLIC_KEY && {
        signaturePublicKey: settings.SENDGRID_INBOUND_PUBLIC_KEY,
      }),
      maxBytes: settings.INBOUND_EMAIL_MAX_BYTES,
      maxAttachmentBytes: settings.INBOUND_EMAIL_MAX_ATTACHMENT_BYTES,
      blobStore,
      ...deps,
    }),
  accepted: textResponse(200, 'OK\n'),
});
