import { PermanentError } from './errors.ts';

/** Media a lead sent with a message (an MMS photo), fetched from the provider that holds it. */
export interface InboundMediaSource {
  /**
   * Fetches one media item. Throws `MediaTooLargeError` over `maxBytes`, `PermanentError` when it
   * can never be fetched (not the provider's URL, gone, refused), `TransientError` when it may pass.
   */
  fetch(url: string, maxBytes: number): Promise<{ body: Buffer; contentType?: string | undefined }>;
}

export class MediaTooLargeError extends PermanentError {
  override readonly name: string = 'MediaTooLargeError';
  constructor(
    readonly limitBytes: number,
    /** The size the provider announced, when it did. */
    readonly announcedBytes?: number,
  ) {
    super(
      `media over the ${limitBytes}-byte limit${announcedBytes === undefined ? '' : ` (${announcedBytes} bytes)`}`,
    );
  }
}
