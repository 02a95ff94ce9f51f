import type { Logger } from '@aws-lambda-powertools/logger';
import type * as z from 'zod';
import type { LeadMessageReceived } from '#events/catalog.ts';
import { callProvider, type RetryBudget } from '#shared/adapters/provider-call.ts';
import { PermanentError, TransientError } from '#shared/ports/errors.ts';
import { type InboundMediaSource, MediaTooLargeError } from '#shared/ports/inbound-media.ts';
import type { InboundMedia, LeadStore, MessageRef } from '#shared/ports/lead-store.ts';
import type { BlobStore } from '#shared/ports/outbound.ts';

type Received = z.infer<(typeof LeadMessageReceived)['schema']>;

/** Twilio's limit for an MMS: https://www.twilio.com/docs/messaging/guides/accepted-mime-types */
export const MAX_MEDIA_BYTES = 5 * 1024 * 1024;

/**
 * `qualify` records the inbound message while this runs beside it: wait for it a little (about
 * 15 s) before giving the event back to SQS.
 */
const waitForMessage: RetryBudget = { retries: 4, minDelayMs: 1_000, maxDelayMs: 8_000 };

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/bmp': 'bmp',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'video/quicktime': 'mov',
  'audio/amr': 'amr',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'text/vcard': 'vcf',
  'text/x-vcard': 'vcf',
  'text/plain': 'txt',
  'application/pdf': 'pdf',
};

/** `inbound/sms/YYYY/MM/DD/<messageId>/<n>-<MediaSid>.<ext>`, beside the archived emails. */
export const mediaKey = (message: Received, index: number, url: string, contentType: string): string => {
  const day = message.receivedAt.slice(0, 10).replaceAll('-', '/');
  const mediaSid = /\/(ME[0-9a-fA-F]{32})\/?$/.exec(new URL(url).pathname)?.[1] ?? 'media';
  const extension = EXTENSIONS[contentType.split(';')[0]?.trim().toLowerCase() ?? ''] ?? 'bin';
  return `inbound/sms/${day}/${message.messageId}/${index + 1}-${mediaSid}.${extension}`;
};

export interface ArchiveOutcome {
  archived: number;
  skipped: number;
}

/**
 * Copies an inbound MMS's media from Twilio to the blob store and records, on the inbound
 * message, where each went or why it did not: over the size cap, refused by Twilio, or no
 * Twilio credentials (the sandbox), in which case nothing is fetched and the URL is kept.
 * A provider that may recover (5xx, throttling) fails the event, so SQS retries it.
 */
export const archiveMedia = async (
  message: Received,
  deps: {
    store: Pick<LeadStore, 'recordInboundMedia'>;
    blobs: BlobStore;
    /** `null` when SMS runs on the sandbox: there is no Twilio account to fetch from. */
    source: InboundMediaSource | null;
    logger: Logger;
    maxBytes?: number;
    waitForMessage?: RetryBudget;
  },
): Promise<ArchiveOutcome> => {
  const { source, logger } = deps;
  const maxBytes = deps.maxBytes ?? MAX_MEDIA_BYTES;
  if (!source)
    logger.info('Media not archived: no Twilio credentials (sandbox)', { count: message.media.length });

  const media = await Promise.all(
    message.media.map(async ({ url, contentType }, index): Promise<InboundMedia> => {
      if (!source) return { url, contentType, skipped: 'no Twilio credentials (sandbox): not fetched' };
      try {
        const fetched = await source.fetch(url, maxBytes);
        const type = fetched.contentType ?? contentType;
        const key = mediaKey(message, index, url, type);
        await deps.blobs.put(key, fetched.body, type);
        return { url, contentType: type, key, bytes: fetched.body.length };
      } catch (error) {
        if (error instanceof MediaTooLargeError) {
          logger.warn('Media over the size cap, not archived', {
            index,
            contentType,
            limitBytes: error.limitBytes,
            announcedBytes: error.announcedBytes,
          });
          return { url, contentType, skipped: error.message };
        }
        if (error instanceof PermanentError) {
          logger.warn('Media cannot be fetched, not archived', { index, reason: error.message });
          return { url, contentType, skipped: error.message };
        }
        throw error;
      }
    }),
  );

  const ref: MessageRef = { leadId: message.leadId, messageId: message.messageId, at: message.receivedAt };
  await callProvider(async () => {
    if (!(await deps.store.recordInboundMedia(ref, media))) {
      throw new TransientError('the inbound message is not recorded yet');
    }
  }, deps.waitForMessage ?? waitForMessage);

  const archived = media.filter((m) => m.key).length;
  logger.info('Media archived', { archived, skipped: media.length - archived });
  return { archived, skipped: media.length - archived };
};
