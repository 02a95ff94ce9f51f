import { createHash, createPrivateKey } from 'node:crypto';
import { auth, calendar, type calendar_v3 } from '@googleapis/calendar';
import * as z from 'zod';
import {
  callProvider,
  providerError,
  type RetryBudget,
  retryAfterMs,
} from '#shared/adapters/provider-call.ts';
import { ConfigurationError, readEnv } from '#shared/config/env.ts';
import { PermanentError, TransientError } from '#shared/ports/errors.ts';
import { type BusySlot, type CalendarPort, SlotUnavailableError } from '#shared/ports/outbound.ts';

const PROVIDER = 'Google Calendar';
/** Where google-auth-library sends token requests unless told otherwise. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
/** Free/busy of the calendar and writing its events; nothing else (https://developers.google.com/workspace/calendar/api/auth). */
export const GOOGLE_CALENDAR_SCOPES = [
  'https://www.googleapis.com/auth/calendar.events',
  'https://www.googleapis.com/auth/calendar.freebusy',
];
/** 403 reasons Google documents as "slow down", not as "not allowed" (https://developers.google.com/workspace/calendar/api/guides/errors). */
const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);

export type GoogleCredentials =
  | {
      kind: 'service-account';
      clientEmail: string;
      privateKey: string;
      privateKeyId?: string | undefined;
      /** Domain-wide delegation: act as this Workspace user. */
      subject?: string | undefined;
    }
  | { kind: 'refresh-token'; clientId: string; clientSecret: string; refreshToken: string };

export interface GoogleCalendarOptions {
  calendarId: string;
  credentials: GoogleCredentials;
  /** Who Google emails about a new event (https://developers.google.com/workspace/calendar/api/v3/reference/events/insert). */
  sendUpdates: 'all' | 'externalOnly' | 'none';
  /** The API's root, `https://www.googleapis.com/` unless pointed elsewhere (tests, a proxy). */
  rootUrl?: string | undefined;
  /** The OAuth token endpoint, `https://oauth2.googleapis.com/token` unless pointed elsewhere. */
  tokenUrl?: string | undefined;
  /** One HTTP request's limit; the calendar function has 30 s for the whole record. */
  timeoutMs?: number;
  budget?: RetryBudget;
}

/**
 * Google's event id for a booking key: the same key always names the same event, so a retried
 * insert meets its first attempt as 409 duplicate. Event ids are base32hex (a–v, 0–9), 5–1024
 * characters; hex digits are a subset of that alphabet.
 */
export const googleEventId = (key: string): string =>
  createHash('sha256').update(`leadline-booking:${key}`).digest('hex');

// --- answers and failures, as Google and gaxios give them --------------------------------

const FreeBusyAnswer = z.object({
  calendars: z.record(
    z.string(),
    z.object({
      busy: z
        .array(z.object({ start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }) }))
        .default([]),
      errors: z.array(z.object({ domain: z.string().optional(), reason: z.string() })).optional(),
    }),
  ),
});

const EventAnswer = z.object({ id: z.string().min(1), status: z.string().optional() });

/** A gaxios failure: it carries the request's `config`, and `response` when the server answered. */
const GaxiosFailure = z.object({
  config: z.looseObject({}),
  status: z.number().int().optional(),
  response: z
    .object({
      status: z.number().int(),
      // gaxios may answer with its fetch implementation's Headers, not this realm's: duck-typed.
      headers: z.custom<{ get(name: string): string | null }>(
        (value) =>
          typeof value === 'object' && value !== null && 'get' in value && typeof value.get === 'function',
      ),
      data: z.unknown(),
    })
    .optional(),
});

const GoogleApiErrorBody = z.object({
  error: z.object({
    code: z.number().optional(),
    message: z.string().optional(),
    errors: z.array(z.object({ reason: z.string().optional() })).optional(),
  }),
});

/** The token endpoint's answer (RFC 6749 §5.2). */
const OAuthErrorBody = z.object({ error: z.string(), error_description: z.string().optional() });

const statusOf = (error: unknown): number | undefined => {
  const failure = GaxiosFailure.safeParse(error);
  return failure.success ? (failure.data.response?.status ?? failure.data.status) : undefined;
};

/**
 * Google's answer as our two failure kinds: 429, a 403 whose reason is a rate limit, 5xx and no
 * answer at all may pass; 400, 401 (invalid credentials), 404 (calendar not found or not shared)
 * and any other 403 cannot. An error that did not come from an HTTP exchange is left as it is.
 */
export const googleError = (error: unknown, call: string): unknown => {
  const failure = GaxiosFailure.safeParse(error);
  if (!failure.success) return error;
  const status = failure.data.response?.status ?? failure.data.status;
  const retryAfter = failure.data.response?.headers.get('retry-after');
  const body = failure.data.response?.data;
  const api = GoogleApiErrorBody.safeParse(body);
  const oauth = OAuthErrorBody.safeParse(body);
  const reasons = api.success
    ? (api.data.error.errors ?? []).flatMap((e) => (e.reason ? [e.reason] : []))
    : [];
  const detail = api.success
    ? `${api.data.error.message ?? 'error'}${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}`
    : oauth.success
      ? `${oauth.data.error}${oauth.data.error_description ? `: ${oauth.data.error_description}` : ''}`
      : error instanceof Error
        ? error.message
        : 'request failed';
  const message = `${call}: ${detail}`;
  if (status === 403 && reasons.some((reason) => RATE_LIMIT_REASONS.has(reason))) {
    return new TransientError(`${PROVIDER} 403: ${message}`, retryAfterMs(retryAfter), { cause: error });
  }
  return providerError({ provider: PROVIDER, status, retryAfter, message, cause: error });
};

// --- auth ------------------------------------------------------------------------------

type GoogleAuthClient = InstanceType<typeof auth.OAuth2>;

/**
 * A service account (JWT, optionally impersonating a Workspace user) or an OAuth client with a
 * refresh token; google-auth-library fetches and renews the access token.
 *
 * Two settings on its transport (gaxios) through a request interceptor, for every request, the
 * token requests included:
 * - gaxios never retries: `callProvider` is the one retry layer (it honours Retry-After and hands
 *   a long wait to SQS), so a throttled call is not retried by both.
 * - a service account's token request goes to `tokenUrl`: the JWT client's token request
 *   (gtoken) has no endpoint setting of its own, unlike `OAuth2Client`'s `endpoints`.
 */
export const googleAuthClient = (
  credentials: GoogleCredentials,
  options: { tokenUrl?: string | undefined; timeoutMs: number },
): GoogleAuthClient => {
  const tokenUrl = options.tokenUrl;
  let client: GoogleAuthClient;
  if (credentials.kind === 'service-account') {
    client = new auth.JWT({
      email: credentials.clientEmail,
      key: credentials.privateKey,
      ...(credentials.privateKeyId && { keyId: credentials.privateKeyId }),
      ...(credentials.subject && { subject: credentials.subject }),
      scopes: GOOGLE_CALENDAR_SCOPES,
    });
  } else {
    client = new auth.OAuth2({
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      ...(tokenUrl && { endpoints: { oauth2TokenUrl: tokenUrl } }),
    });
    client.setCredentials({ refresh_token: credentials.refreshToken });
  }
  client.transporter.interceptors.request.add({
    resolved: async (config) => {
      config.retryConfig = { ...config.retryConfig, retry: 0, noResponseRetries: 0 };
      config.timeout ??= options.timeoutMs;
      if (tokenUrl && config.url.href === GOOGLE_TOKEN_URL) config.url = new URL(tokenUrl);
      return config;
    },
  });
  return client;
};

// --- the adapter -------------------------------------------------------------------------

const overlaps = (a: BusySlot, b: BusySlot) => a.start < b.end && b.start < a.end;

/**
 * Google Calendar as the business's calendar: free/busy for the slots offered, and an event per
 * booking with the lead invited.
 *
 * Booking is idempotent by a deterministic event id (`googleEventId(key)`): a retry gets 409
 * duplicate and returns the event the first attempt made. Before inserting, free/busy is asked
 * again for the slot; Google has no conditional insert, so a booking made by someone else between
 * that check and the insert (a window of one request) still lands as a double booking.
 */
export class GoogleCalendar implements CalendarPort {
  readonly #api: calendar_v3.Calendar;
  readonly #calendarId: string;
  readonly #sendUpdates: GoogleCalendarOptions['sendUpdates'];
  readonly #invites: boolean;
  readonly #budget: RetryBudget | undefined;

  constructor(options: GoogleCalendarOptions) {
    const authClient = googleAuthClient(options.credentials, {
      tokenUrl: options.tokenUrl,
      timeoutMs: options.timeoutMs ?? 8_000,
    });
    this.#api = calendar({
      version: 'v3',
      auth: authClient,
      ...(options.rootUrl && { rootUrl: options.rootUrl }),
    });
    this.#calendarId = options.calendarId;
    this.#sendUpdates = options.sendUpdates;
    // A service account cannot invite attendees unless it acts as a Workspace user (domain-wide
    // delegation); Google answers 403 forbiddenForServiceAccounts. Then the lead's email goes in
    // the description instead.
    this.#invites = options.credentials.kind === 'refresh-token' || Boolean(options.credentials.subject);
    this.#budget = options.budget;
  }

  async busy(range: { from: Date; to: Date }): Promise<BusySlot[]> {
    const answer = await this.#call('freebusy.query', () =>
      this.#api.freebusy.query({
        requestBody: {
          timeMin: range.from.toISOString(),
          timeMax: range.to.toISOString(),
          items: [{ id: this.#calendarId }],
        },
      }),
    );
    const parsed = FreeBusyAnswer.safeParse(answer.data);
    if (!parsed.success)
      throw new TransientError(`${PROVIDER}: freebusy.query answered in an unexpected shape`);
    const entry = parsed.data.calendars[this.#calendarId];
    // An unknown or unshared calendar is not an HTTP error here: the calendar's entry carries it.
    const reasons = entry ? (entry.errors ?? []).map((e) => e.reason) : ['notFound'];
    if (reasons.includes('notFound')) {
      throw new PermanentError(
        `${PROVIDER}: calendar ${this.#calendarId} not found, or not shared with these credentials`,
      );
    }
    if (reasons.length > 0) throw new TransientError(`${PROVIDER}: freebusy.query: ${reasons.join(', ')}`);
    return (entry?.busy ?? []).map((slot) => ({ start: new Date(slot.start), end: new Date(slot.end) }));
  }

  async book(booking: Parameters<CalendarPort['book']>[0]): Promise<{ eventId: string }> {
    const eventId = googleEventId(booking.key);
    const slot = { start: booking.start, end: booking.end };
    const taken = (await this.busy({ from: booking.start, to: booking.end })).some((busy) =>
      overlaps(busy, slot),
    );
    if (taken) {
      // Busy may be this booking itself, made by an attempt whose answer was lost.
      if (await this.#existing(eventId)) return { eventId };
      throw new SlotUnavailableError(`The slot at ${booking.start.toISOString()} is busy`);
    }

    const { attendee } = booking;
    const invite = this.#invites && attendee.email !== undefined;
    const contact = [
      attendee.name && `Lead: ${attendee.name}`,
      attendee.phone && `Phone: ${attendee.phone}`,
      attendee.email && !invite && `Email: ${attendee.email}`,
    ].filter((line): line is string => Boolean(line));
    const inserted = await this.#call('events.insert', async () => {
      try {
        return await this.#api.events.insert({
          calendarId: this.#calendarId,
          sendUpdates: this.#sendUpdates,
          requestBody: {
            id: eventId,
            summary: booking.title,
            description: [booking.description, ...contact].join('\n'),
            start: { dateTime: booking.start.toISOString() },
            end: { dateTime: booking.end.toISOString() },
            ...(invite && {
              attendees: [{ email: attendee.email, ...(attendee.name && { displayName: attendee.name }) }],
            }),
            extendedProperties: { private: { leadlineBookingKey: booking.key } },
          },
        });
      } catch (error) {
        // 409 duplicate: this id exists already (https://developers.google.com/workspace/calendar/api/guides/errors#409_the_requested_identifier_already_exists).
        if (statusOf(error) === 409) return null;
        throw error;
      }
    });
    if (inserted !== null) {
      const parsed = EventAnswer.safeParse(inserted.data);
      return { eventId: parsed.success ? parsed.data.id : eventId };
    }
    if (await this.#existing(eventId)) return { eventId };
    // The id is held by an event that was cancelled since: this key cannot book again.
    throw new SlotUnavailableError(`The booking ${eventId} was cancelled in the calendar`);
  }

  async cancel(booking: { eventId: string; start: Date }): Promise<void> {
    await this.#call('events.delete', async () => {
      try {
        // https://developers.google.com/workspace/calendar/api/v3/reference/events/delete
        return await this.#api.events.delete({
          calendarId: this.#calendarId,
          eventId: booking.eventId,
          sendUpdates: this.#sendUpdates,
        });
      } catch (error) {
        // 410 Gone: deleted already (a retry); 404: no such event. Nothing is left to free.
        const status = statusOf(error);
        if (status === 404 || status === 410) return null;
        throw error;
      }
    });
  }

  /** Whether the event with this id exists and is not cancelled. */
  async #existing(eventId: string): Promise<boolean> {
    const found = await this.#call('events.get', async () => {
      try {
        return await this.#api.events.get({ calendarId: this.#calendarId, eventId });
      } catch (error) {
        const status = statusOf(error);
        if (status === 404 || status === 410) return null;
        throw error;
      }
    });
    if (found === null) return false;
    const parsed = EventAnswer.safeParse(found.data);
    return parsed.success && parsed.data.status !== 'cancelled';
  }

  #call<T>(name: string, request: () => Promise<T>): Promise<T> {
    return callProvider(async () => {
      try {
        return await request();
      } catch (error) {
        throw googleError(error, name);
      }
    }, this.#budget);
  }
}

// --- settings ----------------------------------------------------------------------------

const ServiceAccountKey = z.object({
  client_email: z.email(),
  private_key: z.string().min(1),
  private_key_id: z.string().optional(),
  token_uri: z.url().optional(),
});

const parseServiceAccountKey = (json: string) => {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ConfigurationError('Invalid configuration: GOOGLE_SERVICE_ACCOUNT_JSON: not JSON');
  }
  const key = ServiceAccountKey.safeParse(value);
  if (!key.success) {
    const fields = key.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new ConfigurationError(
      `Invalid configuration: GOOGLE_SERVICE_ACCOUNT_JSON: not a service account key (${fields})`,
    );
  }
  try {
    createPrivateKey(key.data.private_key);
  } catch {
    throw new ConfigurationError(
      'Invalid configuration: GOOGLE_SERVICE_ACCOUNT_JSON: private_key is not a PEM key',
    );
  }
  return key.data;
};

/** The adapter's settings from the environment (in the cloud, the `google-calendar` secret fills it). */
export const readGoogleCalendarSettings = (env: NodeJS.ProcessEnv = process.env): GoogleCalendarOptions => {
  const settings = readEnv(
    {
      GOOGLE_CALENDAR_ID: z.string().min(1),
      GOOGLE_SERVICE_ACCOUNT_JSON: z.string().min(1).optional(),
      GOOGLE_IMPERSONATE_USER: z.email().optional(),
      GOOGLE_CLIENT_ID: z.string().min(1).optional(),
      GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
      GOOGLE_REFRESH_TOKEN: z.string().min(1).optional(),
      GOOGLE_CALENDAR_SEND_UPDATES: z.enum(['all', 'externalOnly', 'none']).default('all'),
      GOOGLE_CALENDAR_ROOT_URL: z.url().optional(),
      GOOGLE_OAUTH_TOKEN_URL: z.url().optional(),
    },
    env,
  );
  const oauth = {
    GOOGLE_CLIENT_ID: settings.GOOGLE_CLIENT_ID,
    GOOGLE_CLIENT_SECRET: settings.GOOGLE_CLIENT_SECRET,
    GOOGLE_REFRESH_TOKEN: settings.GOOGLE_REFRESH_TOKEN,
  };
  let credentials: GoogleCredentials;
  let tokenUrl = settings.GOOGLE_OAUTH_TOKEN_URL;
  if (settings.GOOGLE_SERVICE_ACCOUNT_JSON) {
    if (Object.values(oauth).some((value) => value !== undefined)) {
      throw new ConfigurationError(
        'Invalid configuration: GOOGLE_SERVICE_ACCOUNT_JSON and GOOGLE_CLIENT_ID/GOOGLE_CLIENT_SECRET/GOOGLE_REFRESH_TOKEN are both set; keep one',
      );
    }
    const key = parseServiceAccountKey(settings.GOOGLE_SERVICE_ACCOUNT_JSON);
    credentials = {
      kind: 'service-account',
      clientEmail: key.client_email,
      privateKey: key.private_key,
      privateKeyId: key.private_key_id,
      subject: settings.GOOGLE_IMPERSONATE_USER,
    };
    tokenUrl ??= key.token_uri;
  } else {
    const {
      GOOGLE_CLIENT_ID: clientId,
      GOOGLE_CLIENT_SECRET: clientSecret,
      GOOGLE_REFRESH_TOKEN: refreshToken,
    } = oauth;
    if (!clientId || !clientSecret || !refreshToken) {
      const missing = Object.entries(oauth).flatMap(([name, value]) => (value === undefined ? [name] : []));
      throw new ConfigurationError(
        `Invalid configuration: CALENDAR_PROVIDER=google needs GOOGLE_SERVICE_ACCOUNT_JSON, or ${missing.join(', ')}`,
      );
    }
    credentials = { kind: 'refresh-token', clientId, clientSecret, refreshToken };
  }
  return {
    calendarId: settings.GOOGLE_CALENDAR_ID,
    credentials,
    sendUpdates: settings.GOOGLE_CALENDAR_SEND_UPDATES,
    rootUrl: settings.GOOGLE_CALENDAR_ROOT_URL,
    tokenUrl,
  };
};
