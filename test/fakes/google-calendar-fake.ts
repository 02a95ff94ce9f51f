import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { type FakeRequest, type FakeResponse, HttpFake } from './http-fake.ts';

/** Google's error body (https://developers.google.com/workspace/calendar/api/guides/errors). */
export const googleErrorBody = (code: number, reason: string, message: string) => ({
  error: { errors: [{ domain: 'global', reason, message }], code, message },
});

export const googleError = (
  code: number,
  reason: string,
  message: string,
  headers?: Record<string, string>,
): FakeResponse => ({
  status: code,
  body: googleErrorBody(code, reason, message),
  ...(headers && { headers }),
});

export interface FakeEvent {
  id: string;
  status: 'confirmed' | 'cancelled';
  summary?: string;
  description?: string;
  start: string;
  end: string;
  attendees?: Array<{ email: string; displayName?: string }>;
  extendedProperties?: unknown;
}

export interface IssuedToken {
  accessToken: string;
  grant: 'refresh_token' | 'jwt-bearer';
  /** For a JWT grant: the verified assertion's claims. */
  claims?: Record<string, unknown>;
}

const base64UrlJson = (part: string): unknown => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

/**
 * A loopback Google Calendar with its OAuth token endpoint, for the real `@googleapis/calendar`
 * client pointed at it (`rootUrl`, and the token URL). It keeps state: calendars with busy
 * intervals, the events inserted (busy too, unless cancelled), and the access tokens it issued;
 * an API call without one of them gets 401 as Google answers it.
 *
 * - `POST /token`: the refresh-token grant (client id, secret and refresh token must match) and the
 *   JWT bearer grant (the assertion's RS256 signature is verified with the service account's key).
 * - `POST /calendar/v3/freeBusy`: busy intervals overlapping the range; an unknown calendar is
 *   reported in its entry's `errors` (`notFound`), as Google does, not as an HTTP error.
 * - `POST /calendar/v3/calendars/{id}/events`: 404 for an unknown calendar, 409 duplicate for an
 *   id already used.
 * - `GET /calendar/v3/calendars/{id}/events/{eventId}`: the event, or 404.
 * - `DELETE /calendar/v3/calendars/{id}/events/{eventId}`: 204 and the event cancelled (free again);
 *   410 for one cancelled already, 404 for an unknown one, as Google answers.
 */
export class GoogleCalendarFake {
  readonly issued: IssuedToken[] = [];
  readonly #busy = new Map<string, Array<{ start: string; end: string }>>();
  readonly #events = new Map<string, Map<string, FakeEvent>>();
  #tokens = 0;

  private constructor(
    readonly http: HttpFake,
    private readonly credentials: {
      oauth?: { clientId: string; clientSecret: string; refreshToken: string };
      serviceAccount?: { clientEmail: string; publicKey: KeyObject | string };
    },
  ) {
    http
      .route('POST', '/token', (request) => this.#token(request))
      .route('POST', '/calendar/v3/freeBusy', (request) =>
        this.#authorized(request, () => this.#freeBusy(request)),
      )
      .route('POST', /^\/calendar\/v3\/calendars\/[^/]+\/events$/, (request) =>
        this.#authorized(request, () => this.#insert(request)),
      )
      .route('GET', /^\/calendar\/v3\/calendars\/[^/]+\/events\/[^/]+$/, (request) =>
        this.#authorized(request, () => this.#get(request)),
      )
      .route('DELETE', /^\/calendar\/v3\/calendars\/[^/]+\/events\/[^/]+$/, (request) =>
        this.#authorized(request, () => this.#delete(request)),
      );
  }

  static async start(credentials: GoogleCalendarFake['credentials']): Promise<GoogleCalendarFake> {
    return new GoogleCalendarFake(await HttpFake.start(), credentials);
  }

  get rootUrl(): string {
    return `${this.http.url}/`;
  }

  get tokenUrl(): string {
    return `${this.http.url}/token`;
  }

  /** A calendar the credentials can see, with its busy intervals. */
  addCalendar(calendarId: string, busy: Array<{ start: string; end: string }> = []): this {
    this.#busy.set(calendarId, [...busy]);
    this.#events.set(calendarId, new Map());
    return this;
  }

  addBusy(calendarId: string, interval: { start: string; end: string }): this {
    this.#busy.get(calendarId)?.push(interval);
    return this;
  }

  events(calendarId: string): FakeEvent[] {
    return [...(this.#events.get(calendarId)?.values() ?? [])];
  }

  cancel(calendarId: string, eventId: string): void {
    const event = this.#events.get(calendarId)?.get(eventId);
    if (event) event.status = 'cancelled';
  }

  close(): Promise<void> {
    return this.http.close();
  }

  #issue(grant: IssuedToken['grant'], claims?: Record<string, unknown>): FakeResponse {
    const accessToken = `ya29.fake-${++this.#tokens}`;
    this.issued.push({ accessToken, grant, ...(claims && { claims }) });
    return { status: 200, body: { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' } };
  }

  #token(request: FakeRequest): FakeResponse {
    const form = record(request.body);
    const invalidGrant = {
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
    };
    if (form.grant_type === 'refresh_token') {
      const oauth = this.credentials.oauth;
      if (!oauth || form.client_id !== oauth.clientId || form.client_secret !== oauth.clientSecret) {
        return { status: 401, body: { error: 'invalid_client', error_description: 'Unauthorized' } };
      }
      return form.refresh_token === oauth.refreshToken ? this.#issue('refresh_token') : invalidGrant;
    }
    if (
      form.grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer' &&
      typeof form.assertion === 'string'
    ) {
      const account = this.credentials.serviceAccount;
      const [header, payload, signature] = form.assertion.split('.');
      if (!account || !header || !payload || !signature) return invalidGrant;
      const key =
        typeof account.publicKey === 'string' ? createPublicKey(account.publicKey) : account.publicKey;
      const signed = verify(
        'sha256',
        Buffer.from(`${header}.${payload}`),
        key,
        Buffer.from(signature, 'base64url'),
      );
      const claims = record(base64UrlJson(payload));
      if (!signed || claims.iss !== account.clientEmail) {
        return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } };
      }
      return this.#issue('jwt-bearer', claims);
    }
    return { status: 400, body: { error: 'unsupported_grant_type' } };
  }

  #authorized(request: FakeRequest, answer: () => FakeResponse): FakeResponse {
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    if (!this.issued.some((issued) => issued.accessToken === token)) {
      return googleError(401, 'authError', 'Invalid Credentials');
    }
    return answer();
  }

  #freeBusy(request: FakeRequest): FakeResponse {
    const body = record(request.body);
    const timeMin = Date.parse(String(body.timeMin));
    const timeMax = Date.parse(String(body.timeMax));
    if (!(timeMin < timeMax)) return googleError(400, 'timeRangeEmpty', 'The specified time range is empty.');
    const items = Array.isArray(body.items) ? body.items.map(record) : [];
    const calendars: Record<string, unknown> = {};
    for (const item of items) {
      const id = String(item.id);
      const busy = this.#busy.get(id);
      if (!busy) {
        calendars[id] = { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] };
        continue;
      }
      const intervals = [
        ...busy,
        ...this.events(id)
          .filter((event) => event.status !== 'cancelled')
          .map((event) => ({ start: event.start, end: event.end })),
      ];
      calendars[id] = {
        busy: intervals
          .filter((i) => Date.parse(i.start) < timeMax && timeMin < Date.parse(i.end))
          .sort((a, b) => Date.parse(a.start) - Date.parse(b.start)),
      };
    }
    return {
      status: 200,
      body: {
        kind: 'calendar#freeBusy',
        timeMin: new Date(timeMin).toISOString(),
        timeMax: new Date(timeMax).toISOString(),
        calendars,
      },
    };
  }

  #insert(request: FakeRequest): FakeResponse {
    const calendarId = decodeURIComponent(request.path.split('/')[4] ?? '');
    const events = this.#events.get(calendarId);
    if (!events) return googleError(404, 'notFound', 'Not Found');
    const body = record(request.body);
    const id = typeof body.id === 'string' ? body.id : `fake${events.size + 1}`;
    if (!/^[a-v0-9]{5,1024}$/.test(id)) return googleError(400, 'invalid', 'Invalid resource id value.');
    if (events.has(id)) return googleError(409, 'duplicate', 'The requested identifier already exists.');
    const start = String(record(body.start).dateTime);
    const end = String(record(body.end).dateTime);
    const event: FakeEvent = {
      id,
      status: 'confirmed',
      start,
      end,
      ...(typeof body.summary === 'string' && { summary: body.summary }),
      ...(typeof body.description === 'string' && { description: body.description }),
      ...(Array.isArray(body.attendees) && {
        attendees: body.attendees.map(record).map((a) => ({
          email: String(a.email),
          ...(typeof a.displayName === 'string' && { displayName: a.displayName }),
        })),
      }),
      ...(body.extendedProperties !== undefined && { extendedProperties: body.extendedProperties }),
    };
    events.set(id, event);
    return { status: 200, body: this.#resource(calendarId, event) };
  }

  #get(request: FakeRequest): FakeResponse {
    const parts = request.path.split('/');
    const calendarId = decodeURIComponent(parts[4] ?? '');
    const event = this.#events.get(calendarId)?.get(decodeURIComponent(parts[6] ?? ''));
    if (!event) return googleError(404, 'notFound', 'Not Found');
    return { status: 200, body: this.#resource(calendarId, event) };
  }

  #delete(request: FakeRequest): FakeResponse {
    const parts = request.path.split('/');
    const calendarId = decodeURIComponent(parts[4] ?? '');
    const event = this.#events.get(calendarId)?.get(decodeURIComponent(parts[6] ?? ''));
    if (!event) return googleError(404, 'notFound', 'Not Found');
    if (event.status === 'cancelled') return googleError(410, 'deleted', 'Resource has been deleted');
    event.status = 'cancelled';
    return { status: 204 };
  }

  #resource(calendarId: string, event: FakeEvent) {
    return {
      kind: 'calendar#event',
      etag: `"${event.id.length}"`,
      htmlLink: `https://www.google.com/calendar/event?eid=${event.id}`,
      organizer: { email: calendarId, self: true },
      ...event,
      start: { dateTime: event.start },
      end: { dateTime: event.end },
    };
  }
}
