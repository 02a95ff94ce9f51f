import { callProvider, providerError, type RetryBudget } from '#shared/adapters/provider-call.ts';
import { PermanentError } from '#shared/ports/errors.ts';
import { type InboundMediaSource, MediaTooLargeError } from '#shared/ports/inbound-media.ts';
import { readTwilioSettings } from './settings.ts';

export interface TwilioMediaSourceOptions {
  accountSid: string;
  authToken: string;
  /** Media URLs are on the API host; credentials are sent there and nowhere else. */
  apiBaseUrl: string;
  timeoutMs?: number;
  retryBudget?: RetryBudget;
}

/** Twilio answers a media URL with a redirect to its media host; one or two hops are normal. */
const MAX_REDIRECTS = 3;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches inbound MMS media from Twilio. With "HTTP Basic Authentication for media access" on,
 * the media URL needs the account SID and auth token; Twilio then redirects to its media host,
 * which gets no credentials (the redirect is followed by hand so the Authorization header never
 * leaves the API host). https://www.twilio.com/docs/messaging/guides/how-to-secure-your-media
 */
export class TwilioMediaSource implements InboundMediaSource {
  readonly #apiOrigin: string;
  readonly #authorization: string;

  constructor(private readonly options: TwilioMediaSourceOptions) {
    this.#apiOrigin = new URL(options.apiBaseUrl).origin;
    this.#authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  }

  fetch(url: string, maxBytes: number): Promise<{ body: Buffer; contentType?: string | undefined }> {
    return callProvider(() => this.fetchOnce(url, maxBytes), this.options.retryBudget);
  }

  private async fetchOnce(url: string, maxBytes: number) {
    let target = new URL(url);
    if (target.origin !== this.#apiOrigin) {
      throw new PermanentError(`not a Twilio media URL (expected ${this.#apiOrigin})`);
    }
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const withCredentials = target.origin === this.#apiOrigin;
      let response: Response;
      try {
        response = await fetch(target, {
          redirect: 'manual',
          headers: withCredentials ? { authorization: this.#authorization } : {},
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        throw providerError({
          provider: 'twilio media',
          message: error instanceof Error ? error.message : String(error),
          cause: error,
        });
      }
      if (REDIRECTS.has(response.status)) {
        await response.body?.cancel();
        const location = response.headers.get('location');
        if (!location) throw new PermanentError(`twilio media: a ${response.status} without a Location`);
        target = new URL(location, target);
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw providerError({
          provider: 'twilio media',
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          message: withCredentials ? 'the media URL was refused' : 'the media host refused the download',
        });
      }
      return {
        body: await readCapped(response, maxBytes),
        contentType: response.headers.get('content-type') ?? undefined,
      };
    }
    throw new PermanentError(`twilio media: more than ${MAX_REDIRECTS} redirects`);
  }
}

/** The body, refusing (and abandoning the download) as soon as it is known to be over the cap. */
const readCapped = async (response: Response, maxBytes: number): Promise<Buffer> => {
  const announced = Number(response.headers.get('content-length') ?? Number.NaN);
  if (announced > maxBytes) {
    await response.body?.cancel();
    throw new MediaTooLargeError(maxBytes, announced);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new MediaTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
};

/** The media source from the environment (`TWILIO_*`). */
export const twilioMediaSourceFromEnv = (): TwilioMediaSource => {
  const settings = readTwilioSettings();
  return new TwilioMediaSource({
    accountSid: settings.TWILIO_ACCOUNT_SID,
    authToken: settings.TWILIO_AUTH_TOKEN,
    apiBaseUrl: settings.TWILIO_API_BASE_URL,
  });
};
