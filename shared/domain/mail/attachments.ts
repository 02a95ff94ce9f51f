import type { InboundMedia } from '#shared/ports/lead-store.ts';

/**
 * An email's attachments as the lead's message lists them, like an MMS's media: each archived
 * file's blob key (`s3:<key>` on the event), its name and size, or why it was not kept.
 */
export const attachmentsAsMedia = (
  media: ReadonlyArray<{
    url: string;
    contentType: string;
    filename?: string;
    bytes?: number;
    skipped?: string;
  }>,
): InboundMedia[] =>
  media.map(({ url, contentType, filename, bytes, skipped }) => ({
    url,
    contentType,
    ...(filename && { filename }),
    ...(bytes !== undefined && { bytes }),
    ...(skipped ? { skipped } : url.startsWith('s3:') && { key: url.slice('s3:'.length) }),
  }));
