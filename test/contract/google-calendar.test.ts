import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GOOGLE_CALENDAR_SCOPES,
  GoogleCalendar,
  type GoogleCalendarOptions,
  googleEventId,
  readGoogleCalendarSettings,
} from '#shared/adapters/google/google-calendar.ts';
import { ConfigurationError } from '#shared/config/env.ts';
import { PermanentError, TransientError } from '#shared/ports/errors.ts';
import { SlotUnavailableError } from '#shared/ports/outbound.ts';
import { GoogleCalendarFake, googleError } from '../fakes/google-calendar-fake.ts';

const CALENDAR_ID = 'bookings@brightside.example';
const CALENDAR_PATH = `/calendar/v3/calendars/${encodeURIComponent(CALENDAR_ID)}/events`;
const EVENTS = /^\/calendar\/v3\/calendars\/[^/]+\/events$/;
const EVENT = /^\/calendar\/v3\/calendars\/[^/]+\/events\/[^/]+$/;
const FREE_BUSY = '/calendar/v3/freeBusy';
const OAUTH = {
  clientId: 'client-1.apps.googleusercontent.com',
  clientSecret: 'secret-1',
  refreshToken: '1//refresh',
};
const fast = { retries: 2, minDelayMs: 1, maxDelayMs: 2_000 };

const booking = (overrides: Partial<Parameters<GoogleCalendar['book']>[0]> = {}) => ({
  key: 'ld_0123456789abcdef0123#2026-11-23T15:00:00.000Z',
  start: new Date('2026-11-23T15:00:00.000Z'),
  end: new Date('2026-11-23T15:30:00.000Z'),
  title: 'Free estimate with Maria Lopez',
  description: 'Burst pipe — Round Rock',
  attendee: { name: 'Maria Lopez', email: 'maria@example.com', phone: '+15125550111' },
  ...overrides,
});

const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
};

describe('GoogleCalendar against a loopback Google Calendar, with an OAuth refresh token', () => {
  let fake: GoogleCalendarFake;
  let google: GoogleCalendar;
  const options = (overrides: Partial<GoogleCalendarOptions> = {}): GoogleCalendarOptions => ({
    calendarId: CALENDAR_ID,
    credentials: { kind: 'refresh-token', ...OAUTH },
    sendUpdates: 'all',
    rootUrl: fake.rootUrl,
    tokenUrl: fake.tokenUrl,
    budget: fast,
    ...overrides,
  });

  beforeEach(async () => {
    fake = await GoogleCalendarFake.start({ oauth: OAUTH });
    fake.addCalendar(CALENDAR_ID, [{ start: '2026-11-23T16:00:00Z', end: '2026-11-23T17:00:00Z' }]);
    google = new GoogleCalendar(options());
  });
  afterEach(async () => {
    await fake.close();
  });

  it('refreshes the access token at the token endpoint and asks free/busy with it', async () => {
    const busy = await google.busy({
      from: new Date('2026-11-23T00:00:00Z'),
      to: new Date('2026-11-24T00:00:00Z'),
    });
    expect(busy).toEqual([
      { start: new Date('2026-11-23T16:00:00Z'), end: new Date('2026-11-23T17:00:00Z') },
    ]);

    const [token] = fake.http.requestsTo('POST', '/token');
    expect(token?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(token?.body).toEqual({
      grant_type: 'refresh_token',
      refresh_token: OAUTH.refreshToken,
      client_id: OAUTH.clientId,
      client_secret: OAUTH.clientSecret,
    });
    const [query] = fake.http.requestsTo('POST', FREE_BUSY);
    expect(query?.headers.authorization).toBe('Bearer ya29.fake-1');
    expect(query?.body).toEqual({
      timeMin: '2026-11-23T00:00:00.000Z',
      timeMax: '2026-11-24T00:00:00.000Z',
      items: [{ id: CALENDAR_ID }],
    });
  });

  it('keeps the access token for later calls', async () => {
    const range = { from: new Date('2026-11-23T00:00:00Z'), to: new Date('2026-11-24T00:00:00Z') };
    await google.busy(range);
    await google.busy(range);
    expect(fake.http.requestsTo('POST', '/token')).toHaveLength(1);
    expect(fake.http.requestsTo('POST', FREE_BUSY)).toHaveLength(2);
  });

  it('checks the slot, then inserts the event with the lead invited and a deterministic id', async () => {
    const { eventId } = await google.book(booking());

    expect(eventId).toBe(googleEventId(booking().key));
    expect(eventId).toMatch(/^[a-v0-9]{5,1024}$/);
    const [check] = fake.http.requestsTo('POST', FREE_BUSY);
    expect(check?.body).toMatchObject({
      timeMin: '2026-11-23T15:00:00.000Z',
      timeMax: '2026-11-23T15:30:00.000Z',
    });
    const [insert] = fake.http.requestsTo('POST', EVENTS);
    expect(insert?.path).toBe(CALENDAR_PATH);
    expect(insert?.query.get('sendUpdates')).toBe('all');
    expect(insert?.headers.authorization).toMatch(/^Bearer ya29\.fake-\d+$/);
    expect(insert?.body).toEqual({
      id: eventId,
      summary: 'Free estimate with Maria Lopez',
      description: 'Burst pipe — Round Rock\nLead: Maria Lopez\nPhone: +15125550111',
      start: { dateTime: '2026-11-23T15:00:00.000Z' },
      end: { dateTime: '2026-11-23T15:30:00.000Z' },
      attendees: [{ email: 'maria@example.com', displayName: 'Maria Lopez' }],
      extendedProperties: { private: { leadlineBookingKey: booking().key } },
    });
    expect(fake.events(CALENDAR_ID)).toHaveLength(1);
  });

  it('puts the phone in the description and invites nobody when the lead has no email', async () => {
    await google.book(booking({ attendee: { phone: '+15125550111' } }));
    const [event] = fake.events(CALENDAR_ID);
    expect(event?.attendees).toBeUndefined();
    expect(event?.description).toContain('Phone: +15125550111');
  });

  it('sends the configured sendUpdates', async () => {
    google = new GoogleCalendar(options({ sendUpdates: 'none' }));
    await google.book(booking());
    expect(fake.http.requestsTo('POST', EVENTS)[0]?.query.get('sendUpdates')).toBe('none');
  });

  it('returns the same event for a retried booking instead of booking twice', async () => {
    const first = await google.book(booking());
    const again = await google.book(booking());
    expect(again).toEqual(first);
    expect(fake.events(CALENDAR_ID)).toHaveLength(1);
    // The slot is busy with this very booking: recognised by its id, not inserted again.
    expect(fake.http.requestsTo('POST', EVENTS)).toHaveLength(1);
    expect(fake.http.requestsTo('GET', EVENT)[0]?.path).toBe(`${CALENDAR_PATH}/${first.eventId}`);
  });

  it('fetches the event after a 409 duplicate and returns its id', async () => {
    const first = await google.book(booking());
    // Free/busy has not caught up with the first attempt yet: the insert meets the duplicate id.
    fake.http.enqueue('POST', FREE_BUSY, {
      status: 200,
      body: { calendars: { [CALENDAR_ID]: { busy: [] } } },
    });
    const again = await google.book(booking());
    expect(again).toEqual(first);
    expect(fake.http.requestsTo('POST', EVENTS)).toHaveLength(2);
    expect(fake.http.requestsTo('GET', EVENT)).toHaveLength(1);
    expect(fake.events(CALENDAR_ID)).toHaveLength(1);
  });

  it('cancels a booked event, telling the attendees, and frees its time', async () => {
    const { eventId } = await google.book(booking());
    await google.cancel({ eventId, start: booking().start });
    const [request] = fake.http.requestsTo('DELETE', EVENT);
    expect(request?.path).toBe(`${CALENDAR_PATH}/${eventId}`);
    expect(request?.query.get('sendUpdates')).toBe('all');
    expect(fake.events(CALENDAR_ID)[0]?.status).toBe('cancelled');
    const busy = await google.busy({ from: booking().start, to: booking().end });
    expect(busy).toEqual([]);
  });

  it('takes an event cancelled already (410) or unknown (404) as cancelled, so a retry succeeds', async () => {
    const { eventId } = await google.book(booking());
    await google.cancel({ eventId, start: booking().start });
    await expect(google.cancel({ eventId, start: booking().start })).resolves.toBeUndefined();
    await expect(google.cancel({ eventId: 'abcdef0123', start: booking().start })).resolves.toBeUndefined();
  });

  it('throws SlotUnavailableError when the slot is busy and inserts nothing', async () => {
    const error = await rejection(
      google.book(
        booking({ start: new Date('2026-11-23T16:30:00.000Z'), end: new Date('2026-11-23T17:00:00.000Z') }),
      ),
    );
    expect(error).toBeInstanceOf(SlotUnavailableError);
    expect(fake.http.requestsTo('POST', EVENTS)).toHaveLength(0);
  });

  it('throws SlotUnavailableError when the booking was cancelled in the calendar meanwhile', async () => {
    const { eventId } = await google.book(booking());
    fake.cancel(CALENDAR_ID, eventId);
    expect(await rejection(google.book(booking()))).toBeInstanceOf(SlotUnavailableError);
  });

  it('treats a revoked refresh token as permanent', async () => {
    google = new GoogleCalendar(
      options({ credentials: { kind: 'refresh-token', ...OAUTH, refreshToken: '1//revoked' } }),
    );
    const error = await rejection(google.busy({ from: new Date(), to: new Date(Date.now() + 3_600_000) }));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toContain('invalid_grant');
    expect(fake.http.requestsTo('POST', '/token')).toHaveLength(1);
  });

  it('treats 401 Invalid Credentials from the API as permanent', async () => {
    fake.http.enqueue('POST', FREE_BUSY, googleError(401, 'authError', 'Invalid Credentials'));
    const error = await rejection(google.busy({ from: new Date(), to: new Date(Date.now() + 3_600_000) }));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toBe(
      'Google Calendar 401: freebusy.query: Invalid Credentials (authError)',
    );
    expect(fake.http.requestsTo('POST', FREE_BUSY)).toHaveLength(1);
  });

  it('treats a calendar that is not found as permanent, in free/busy and on insert', async () => {
    google = new GoogleCalendar(options({ calendarId: 'nobody@example.com' }));
    const busy = await rejection(google.busy({ from: new Date(), to: new Date(Date.now() + 3_600_000) }));
    expect(busy).toBeInstanceOf(PermanentError);
    expect((busy as Error).message).toMatch(/not found, or not shared/);

    fake.http.enqueue('POST', FREE_BUSY, {
      status: 200,
      body: { calendars: { 'nobody@example.com': { busy: [] } } },
    });
    const insert = await rejection(google.book(booking()));
    expect(insert).toBeInstanceOf(PermanentError);
    expect((insert as Error).message).toMatch(/^Google Calendar 404: events\.insert/);
  });

  it('waits the Retry-After of a 429 and tries again, with no retries of its own in the client', async () => {
    fake.http.enqueue(
      'POST',
      FREE_BUSY,
      googleError(429, 'rateLimitExceeded', 'Rate Limit Exceeded', { 'Retry-After': '1' }),
    );
    const started = Date.now();
    await google.busy({ from: new Date('2026-11-23T00:00:00Z'), to: new Date('2026-11-24T00:00:00Z') });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.http.requestsTo('POST', FREE_BUSY)).toHaveLength(2);
  });

  it('hands a long Retry-After to SQS as a TransientError after one request', async () => {
    fake.http.enqueue(
      'POST',
      FREE_BUSY,
      googleError(429, 'rateLimitExceeded', 'Rate Limit Exceeded', { 'Retry-After': '120' }),
    );
    const error = await rejection(google.busy({ from: new Date(), to: new Date(Date.now() + 3_600_000) }));
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).retryAfterMs).toBe(120_000);
    expect(fake.http.requestsTo('POST', FREE_BUSY)).toHaveLength(1);
  });

  it('treats a 403 rate limit as transient and any other 403 as permanent', async () => {
    fake.http.enqueue(
      'POST',
      FREE_BUSY,
      googleError(403, 'userRateLimitExceeded', 'User Rate Limit Exceeded'),
      googleError(403, 'userRateLimitExceeded', 'User Rate Limit Exceeded'),
      googleError(403, 'userRateLimitExceeded', 'User Rate Limit Exceeded'),
    );
    const limited = await rejection(google.busy({ from: new Date(), to: new Date(Date.now() + 3_600_000) }));
    expect(limited).toBeInstanceOf(TransientError);
    expect(fake.http.requestsTo('POST', FREE_BUSY)).toHaveLength(3);

    fake.http.enqueue('POST', FREE_BUSY, {
      status: 200,
      body: { calendars: { [CALENDAR_ID]: { busy: [] } } },
    });
    fake.http.enqueue(
      'POST',
      EVENTS,
      googleError(403, 'forbiddenForServiceAccounts', 'Service accounts cannot invite attendees'),
    );
    const forbidden = await rejection(google.book(booking()));
    expect(forbidden).toBeInstanceOf(PermanentError);
    expect(fake.http.requestsTo('POST', EVENTS)).toHaveLength(1);
  });

  it('retries a 5xx within its budget, then leaves it to SQS as transient', async () => {
    fake.http.enqueue('POST', FREE_BUSY, googleError(503, 'backendError', 'Backend Error'));
    await google.busy({ from: new Date('2026-11-23T00:00:00Z'), to: new Date('2026-11-24T00:00:00Z') });
    expect(fake.http.requestsTo('POST', FREE_BUSY)).toHaveLength(2);

    await google.book(booking());
    fake.http.reset();
    // events.get is a GET, which gaxios would retry three times by itself: it must not.
    fake.http.enqueue(
      'GET',
      EVENT,
      googleError(500, 'backendError', 'Backend Error'),
      googleError(500, 'backendError', 'Backend Error'),
      googleError(500, 'backendError', 'Backend Error'),
    );
    const error = await rejection(google.book(booking()));
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/^Google Calendar 500: events\.get/);
    expect(fake.http.requestsTo('GET', EVENT)).toHaveLength(3);
  });
});

describe('GoogleCalendar with a service account key', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const clientEmail = 'leadline@brightside-123.iam.gserviceaccount.com';
  let fake: GoogleCalendarFake;

  const env = (extra: Record<string, string> = {}) => ({
    GOOGLE_CALENDAR_ID: CALENDAR_ID,
    GOOGLE_SERVICE_ACCOUNT_JSON: JSON.stringify({
      type: 'service_account',
      project_id: 'brightside-123',
      private_key_id: 'key-1',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: clientEmail,
      // A key file names its token endpoint; pointed at the fake here.
      token_uri: fake.tokenUrl,
    }),
    GOOGLE_CALENDAR_ROOT_URL: fake.rootUrl,
    ...extra,
  });

  beforeEach(async () => {
    fake = await GoogleCalendarFake.start({ serviceAccount: { clientEmail, publicKey } });
    fake.addCalendar(CALENDAR_ID);
  });
  afterEach(async () => {
    await fake.close();
  });

  it('signs a JWT for the calendar scopes, impersonating the Workspace user, and books with the token', async () => {
    const google = new GoogleCalendar({
      ...readGoogleCalendarSettings(env({ GOOGLE_IMPERSONATE_USER: 'owner@brightside.example' })),
      budget: fast,
    });
    await google.book(booking());

    expect(fake.issued).toHaveLength(1);
    const [issued] = fake.issued;
    expect(issued?.grant).toBe('jwt-bearer');
    expect(issued?.claims).toMatchObject({ iss: clientEmail, sub: 'owner@brightside.example' });
    expect(String(issued?.claims?.scope).split(' ').sort()).toEqual([...GOOGLE_CALENDAR_SCOPES].sort());
    const [insert] = fake.http.requestsTo('POST', EVENTS);
    expect(insert?.headers.authorization).toBe(`Bearer ${issued?.accessToken}`);
    // Acting as a Workspace user, the service account may invite the lead.
    expect(fake.events(CALENDAR_ID)[0]?.attendees).toEqual([
      { email: 'maria@example.com', displayName: 'Maria Lopez' },
    ]);
  });

  it('invites nobody without impersonation and writes the email into the description', async () => {
    const google = new GoogleCalendar({ ...readGoogleCalendarSettings(env()), budget: fast });
    await google.book(booking());
    expect(fake.issued[0]?.claims?.sub).toBeUndefined();
    const [event] = fake.events(CALENDAR_ID);
    expect(event?.attendees).toBeUndefined();
    expect(event?.description).toContain('Email: maria@example.com');
  });

  it('rejects a key the token endpoint cannot verify as permanent', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const settings = readGoogleCalendarSettings(env());
    const google = new GoogleCalendar({
      ...settings,
      credentials: {
        kind: 'service-account',
        clientEmail,
        privateKey: other.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
      budget: fast,
    });
    const error = await rejection(google.busy({ from: new Date(), to: new Date(Date.now() + 3_600_000) }));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toContain('Invalid JWT Signature');
  });
});

describe('readGoogleCalendarSettings', () => {
  const oauthEnv = {
    GOOGLE_CALENDAR_ID: CALENDAR_ID,
    GOOGLE_CLIENT_ID: OAUTH.clientId,
    GOOGLE_CLIENT_SECRET: OAUTH.clientSecret,
    GOOGLE_REFRESH_TOKEN: OAUTH.refreshToken,
  };

  it('reads an OAuth client with its refresh token, and the overrides for tests', () => {
    expect(
      readGoogleCalendarSettings({
        ...oauthEnv,
        GOOGLE_CALENDAR_SEND_UPDATES: 'externalOnly',
        GOOGLE_CALENDAR_ROOT_URL: 'http://127.0.0.1:1/',
        GOOGLE_OAUTH_TOKEN_URL: 'http://127.0.0.1:1/token',
      }),
    ).toEqual({
      calendarId: CALENDAR_ID,
      credentials: { kind: 'refresh-token', ...OAUTH },
      sendUpdates: 'externalOnly',
      rootUrl: 'http://127.0.0.1:1/',
      tokenUrl: 'http://127.0.0.1:1/token',
    });
  });

  it('names what is missing, and refuses two kinds of credentials at once', () => {
    expect(() =>
      readGoogleCalendarSettings({ GOOGLE_CALENDAR_ID: CALENDAR_ID, GOOGLE_CLIENT_ID: 'x' }),
    ).toThrow(/GOOGLE_SERVICE_ACCOUNT_JSON, or GOOGLE_CLIENT_SECRET, GOOGLE_REFRESH_TOKEN/);
    expect(() => readGoogleCalendarSettings({ ...oauthEnv, GOOGLE_SERVICE_ACCOUNT_JSON: '{}' })).toThrow(
      /both set/,
    );
    expect(() => readGoogleCalendarSettings({ GOOGLE_CLIENT_ID: 'x' })).toThrow(/GOOGLE_CALENDAR_ID/);
  });

  it('rejects a service account key that is not one, without echoing it', () => {
    const secret = '-----BEGIN PRIVATE KEY-----\nnot really\n-----END PRIVATE KEY-----';
    const attempt = () =>
      readGoogleCalendarSettings({
        GOOGLE_CALENDAR_ID: CALENDAR_ID,
        GOOGLE_SERVICE_ACCOUNT_JSON: JSON.stringify({
          client_email: 'sa@x.iam.gserviceaccount.com',
          private_key: secret,
        }),
      });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/private_key is not a PEM key/);
    expect(attempt).not.toThrow(/not really/);
    expect(() =>
      readGoogleCalendarSettings({ GOOGLE_CALENDAR_ID: CALENDAR_ID, GOOGLE_SERVICE_ACCOUNT_JSON: 'nope' }),
    ).toThrow(/GOOGLE_SERVICE_ACCOUNT_JSON: not JSON/);
  });
});
