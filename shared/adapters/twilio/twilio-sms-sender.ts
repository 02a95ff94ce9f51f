// The REST client is assembled from the SDK's own pieces (client, domain, version, the Messages
// resource) rather than `import twilio from 'twilio'`: the root package bundles every Twilio API
// (~3.7 MB minified), `twilio/lib/rest/Api` every v2010 resource (~0.9 MB); this is ~0.43 MB,
// nearly all of it the SDK's HTTP client. The request is still built and sent by the SDK.
import BaseTwilio from 'twilio/lib/base/BaseTwilio.js';
import DomainModule from 'twilio/lib/base/Domain.js';
import RestExceptionModule from 'twilio/lib/base/RestException.js';
import TwilioServiceExceptionModule from 'twilio/lib/base/TwilioServiceException.js';
import VersionModule from 'twilio/lib/base/Version.js';
import { MessageListInstance } from 'twilio/lib/rest/api/v2010/account/message.js';
import * as z from 'zod';
import {
  callProvider,
  defaultRetryBudget,
  providerError,
  type RetryBudget,
} from '#shared/adapters/provider-call.ts';
import {
  PermanentError,
  RecipientNotTextableError,
  RecipientOptedOutError,
  type TransientError,
} from '#shared/ports/errors.ts';
import type {
  OutgoingText,
  SentLookup,
  SentLookupResult,
  SentMessage,
  SmsSender,
} from '#shared/ports/outbound.ts';
import { readTwilioSettings, twilioStatusCallbackUrl } from './settings.ts';

/**
 * These SDK files are CommonJS with `exports.default`: Node (and esbuild) give an ES module the
 * whole `module.exports`, vitest's interop gives its `default`. Take the class either way.
 */
const defaultExport = <T>(module: { default: T }): T =>
  typeof module === 'function' ? (module as unknown as T) : module.default;

const Domain = defaultExport(DomainModule);
const Version = defaultExport(VersionModule);
const RestException = defaultExport(RestExceptionModule);
const TwilioServiceException = defaultExport(TwilioServiceExceptionModule);

export interface TwilioSmsSenderOptions {
  accountSid: string;
  authToken: string;
  /** When set, texts go through this Messaging Service (`MessagingServiceSid`) instead of `From`. */
  messagingServiceSid?: string | undefined;
  /** `https://api.twilio.com`, or a loopback fake in tests. */
  apiBaseUrl: string;
  /** Where Twilio posts the text's status changes (`functions/sms-status`). */
  statusCallbackUrl: string;
  /** Per request; with the retry budget it must fit the sending function's timeout. */
  timeoutMs?: number;
  retryBudget?: RetryBudget;
}

/** Three attempts of 5 s plus the waits between them stay inside auto-respond's 30 s. */
const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * Twilio error codes that mean this text can never go, whatever the HTTP status says.
 * https://www.twilio.com/docs/api/errors
 */
const PERMANENT_CODES: Record<number, string> = {
  20003: 'authentication failed: check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN',
  21211: 'the To number is not a valid phone number',
  21408: 'the account is not permitted to text this region',
  21612: 'the To number cannot be reached from this sender',
  21614: 'the To number is not a mobile number',
};
/** The recipient's number is a landline (or another line that takes no texts). */
const NOT_A_MOBILE = 21614;
/** The recipient replied STOP to this sender; Twilio blocks every text until they reply START. */
const UNSUBSCRIBED_RECIPIENT = 21610;

const CreatedMessage = z.object({ sid: z.string().min(1) });
const ResponseHeaders = z.object({
  headers: z.object({ 'retry-after': z.union([z.string(), z.number()]).optional() }).loose(),
});

/** A domain that remembers the Retry-After of its last answer: the SDK's exceptions drop headers. */
class HeaderRecordingDomain extends Domain {
  retryAfter: string | undefined;

  override async request(opts: Parameters<InstanceType<typeof Domain>['request']>[0]) {
    const response: unknown = await super.request(opts);
    const parsed = ResponseHeaders.safeParse(response);
    const value = parsed.success ? parsed.data.headers['retry-after'] : undefined;
    this.retryAfter = value === undefined ? undefined : String(value);
    return response;
  }
}

/**
 * Maps what the SDK threw to our two failure kinds. Twilio's messages can quote the phone number,
 * so the error says the code and what it means, never Twilio's text.
 */
export const twilioSendError = (
  error: unknown,
  retryAfter?: string,
): PermanentError | TransientError | RecipientOptedOutError => {
  if (error instanceof RestException || error instanceof TwilioServiceException) {
    const { status, code } = error;
    if (code === UNSUBSCRIBED_RECIPIENT) {
      return new RecipientOptedOutError('the contact opted out with the carrier (Twilio 21610)', {
        cause: error,
      });
    }
    const known = code === undefined ? undefined : PERMANENT_CODES[code];
    if (code === NOT_A_MOBILE) {
      return new RecipientNotTextableError(`twilio ${status}: ${known} (Twilio ${code})`, { cause: error });
    }
    if (known) return new PermanentError(`twilio ${status}: ${known} (Twilio ${code})`, { cause: error });
    return providerError({
      provider: 'twilio',
      status,
      retryAfter,
      message:
        code === undefined
          ? 'request failed'
          : `error ${code} (https://www.twilio.com/docs/api/errors/${code})`,
      cause: error,
    });
  }
  // No answer at all: refused connection, timeout, reset.
  return providerError({
    provider: 'twilio',
    message: error instanceof Error ? error.message : String(error),
    cause: error,
  });
};

/**
 * Sends texts with the official twilio SDK (the Messages resource), through a Messaging Service
 * when one is configured, else from the business number, always asking for status callbacks.
 * Retries are ours (`callProvider`, honouring Retry-After), not the SDK's `autoRetry`, which
 * only knows 429 and would multiply with ours.
 */
export class TwilioSmsSender implements SmsSender {
  readonly #client: InstanceType<typeof BaseTwilio.Client>;

  constructor(private readonly options: TwilioSmsSenderOptions) {
    this.#client = new BaseTwilio.Client(options.accountSid, options.authToken, {
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      autoRetry: false,
      keepAlive: true,
    });
  }

  /**
   * Sends the text. A retry after a failure that may have reached Twilio (a timeout, a 500)
   * first asks Twilio whether the text is there, so the retry budget never sends it twice.
   */
  send(sms: OutgoingText): Promise<SentMessage> {
    // Twilio's DateCreated has whole seconds.
    const since = new Date(Math.floor(Date.now() / 1000) * 1000);
    let mayExist = false;
    return callProvider(async () => {
      if (mayExist) {
        const found = await this.lookUp({
          to: sms.to,
          body: sms.body,
          since,
          reference: sms.reference ?? '',
        });
        if (found) return found;
      }
      try {
        return await this.create(sms);
      } catch (error) {
        mayExist = !(error instanceof PermanentError) && !(error as TransientError).notProcessed;
        throw error;
      }
    }, this.options.retryBudget ?? defaultRetryBudget);
  }

  /**
   * Twilio's Messages API lists what the account sent to a number, newest first: the text is
   * there when a message to `to` created since `lookup.since` carries the same body (compared
   * without the characters a Messaging Service's Smart Encoding may replace). Twilio keeps no
   * reference of ours on a message, so the body is the match.
   * https://www.twilio.com/docs/messaging/api/message-resource#read-multiple-message-resources
   */
  findSent(lookup: SentLookup): Promise<SentLookupResult> {
    return callProvider(() => this.lookUp(lookup), this.options.retryBudget ?? defaultRetryBudget);
  }

  private async lookUp(lookup: SentLookup): Promise<SentMessage | null> {
    const domain = new HeaderRecordingDomain(this.#client, this.options.apiBaseUrl);
    let page: { instances: Array<{ sid: string; body: string; dateCreated: Date; direction: string }> };
    try {
      page = await this.messages(domain).page({ to: lookup.to, pageSize: 50 });
    } catch (error) {
      throw twilioSendError(error, domain.retryAfter);
    }
    const wanted = comparable(lookup.body);
    const found = page.instances.find(
      (m) =>
        m.direction.startsWith('outbound') &&
        m.dateCreated.getTime() >= lookup.since.getTime() &&
        comparable(m.body ?? '') === wanted,
    );
    return found ? { providerMessageId: found.sid } : null;
  }

  private messages(domain: InstanceType<typeof Domain>) {
    // `MessageListInstance` only calls the version's request methods; the SDK's `V2010` class
    // would add getters for every other v2010 resource, and with them their code.
    const version = new Version(domain, '2010-04-01') as unknown as Parameters<typeof MessageListInstance>[0];
    return MessageListInstance(version, this.options.accountSid);
  }

  private async create(sms: OutgoingText): Promise<SentMessage> {
    const domain = new HeaderRecordingDomain(this.#client, this.options.apiBaseUrl);
    let created: unknown;
    try {
      created = await this.messages(domain).create({
        to: sms.to,
        // A WhatsApp template outside the 24-hour window: Twilio renders it from the Content API.
        ...(sms.contentSid
          ? { contentSid: sms.contentSid, contentVariables: JSON.stringify(sms.contentVariables ?? {}) }
          : { body: sms.body }),
        statusCallback: this.options.statusCallbackUrl,
        ...(this.options.messagingServiceSid
          ? { messagingServiceSid: this.options.messagingServiceSid }
          : { from: sms.from }),
      });
    } catch (error) {
      throw twilioSendError(error, domain.retryAfter);
    }
    // Twilio took the text: an answer without a sid must not make us send it again.
    const parsed = CreatedMessage.safeParse(created);
    if (!parsed.success) throw new PermanentError('twilio: the created message has no sid');
    return { providerMessageId: parsed.data.sid };
  }
}

/** A body as compared with Twilio's copy: ASCII letters, digits and punctuation, spaces collapsed. */
const comparable = (body: string) =>
  body
    .normalize('NFKD')
    .replace(/[^\x21-\x7e]+/g, ' ')
    .trim();

/** The sender from the environment (`TWILIO_*`), posting status callbacks under `publicBaseUrl`. */
export const twilioSmsSenderFromEnv = (publicBaseUrl: string): TwilioSmsSender => {
  const settings = readTwilioSettings();
  return new TwilioSmsSender({
    accountSid: settings.TWILIO_ACCOUNT_SID,
    authToken: settings.TWILIO_AUTH_TOKEN,
    messagingServiceSid: settings.TWILIO_MESSAGING_SERVICE_SID,
    apiBaseUrl: settings.TWILIO_API_BASE_URL,
    statusCallbackUrl: twilioStatusCallbackUrl(publicBaseUrl),
  });
};
