import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeRequest, type FakeResponse, HttpFake } from './http-fake.ts';

export const TEST_ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
export const TEST_AUTH_TOKEN = 'twilio-test-auth-token';

export const messagesPath = (accountSid = TEST_ACCOUNT_SID) =>
  `/2010-04-01/Accounts/${accountSid}/Messages.json`;

const sid = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

/** A Twilio error as the REST API documents it (https://www.twilio.com/docs/usage/twilios-response). */
export const twilioError = (
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): FakeResponse => ({
  status,
  headers,
  body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
});

/** 201 with the Message resource Twilio answers a create with (status `queued`, or `accepted` through a service). */
export const createdMessage = (request: FakeRequest, messageSid = sid('SM')): FakeResponse => {
  const form = request.body as Record<string, string>;
  return {
    status: 201,
    body: {
      sid: messageSid,
      account_sid: TEST_ACCOUNT_SID,
      api_version: '2010-04-01',
      body: form.Body,
      date_created: new Date().toUTCString(),
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: form.From ?? null,
      messaging_service_sid: form.MessagingServiceSid ?? null,
      num_media: '0',
      num_segments: '1',
      price: null,
      status: form.MessagingServiceSid ? 'accepted' : 'queued',
      to: form.To,
      uri: `/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Messages/${messageSid}.json`,
    },
  };
};

/**
 * The Twilio REST API as far as Leadline uses it: creating messages, and MMS media whose URL on
 * the API host (basic auth) redirects (307) to a media host on another origin, as Twilio's does.
 * The media host is its own server so it can send binary bodies, with or without Content-Length.
 */
export const startTwilioFake = async () => {
  const fake = await HttpFake.start();
  /** Messages the account holds (what a create took), newest last. */
  const taken: Array<Record<string, unknown>> = [];
  /** Answers a create as Twilio does, keeping the message so the Messages list shows it. */
  const take = (request: FakeRequest): FakeResponse => {
    const response = createdMessage(request);
    taken.push(response.body as Record<string, unknown>);
    return response;
  };
  fake.route('POST', messagesPath(), take);
  // Read multiple Message resources: filtered by To, newest first, one page
  // (https://www.twilio.com/docs/messaging/api/message-resource#read-multiple-message-resources).
  fake.route('GET', messagesPath(), (request) => {
    const to = request.query.get('To');
    const pageSize = Number(request.query.get('PageSize') ?? '50');
    const messages = taken
      .filter((m) => !to || m.to === to)
      .reverse()
      .slice(0, pageSize);
    return {
      status: 200,
      body: {
        messages,
        page: 0,
        page_size: pageSize,
        first_page_uri: `${messagesPath()}?PageSize=${pageSize}&Page=0`,
        next_page_uri: null,
        previous_page_uri: null,
        uri: `${messagesPath()}?PageSize=${pageSize}&Page=0`,
        start: 0,
        end: messages.length,
      },
    };
  });

  const media = new Map<string, { body: Buffer; contentType: string; announceLength: boolean }>();
  /** Requests the media host received, with the Authorization header they carried. */
  const mediaHostRequests: Array<{ path: string; authorization: string | undefined }> = [];
  const mediaHost: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    mediaHostRequests.push({ path, authorization: req.headers.authorization });
    const item = media.get(path);
    if (!item) return res.writeHead(404).end();
    res.writeHead(200, {
      'content-type': item.contentType,
      ...(item.announceLength && { 'content-length': String(item.body.length) }),
    });
    res.end(item.body);
  });
  await new Promise<void>((done) => mediaHost.listen(0, '127.0.0.1', done));
  const mediaHostUrl = `http://127.0.0.1:${(mediaHost.address() as AddressInfo).port}`;

  /** Serves `body` at a Twilio media URL that needs basic auth and redirects to the media host. */
  const addMedia = (body: Buffer, contentType: string, options: { announceLength?: boolean } = {}) => {
    const mediaSid = sid('ME');
    const path = `/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Messages/${sid('MM')}/Media/${mediaSid}`;
    const hostPath = `/${TEST_ACCOUNT_SID}/${randomBytes(8).toString('hex')}`;
    media.set(hostPath, { body, contentType, announceLength: options.announceLength ?? true });
    const expected = `Basic ${Buffer.from(`${TEST_ACCOUNT_SID}:${TEST_AUTH_TOKEN}`).toString('base64')}`;
    fake.route('GET', path, (request) =>
      request.headers.authorization === expected
        ? { status: 307, headers: { location: `${mediaHostUrl}${hostPath}` } }
        : twilioError(401, 20003, 'Authenticate'),
    );
    return { url: `${fake.url}${path}`, path, mediaSid };
  };

  return {
    fake,
    url: fake.url,
    /** What the account holds; a test answering a create itself can `take` it too. */
    taken,
    take,
    addMedia,
    mediaHostRequests,
    close: async () => {
      mediaHost.closeAllConnections();
      await new Promise<void>((done) => mediaHost.close(() => done()));
      await fake.close();
    },
  };
};

/**
 * The form Twilio posts to a message's StatusCallback
 * (https://www.twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks).
 */
export const statusCallbackParams = (options: {
  messageSid: string;
  status: string;
  errorCode?: string;
  to?: string;
  from?: string;
}): Record<string, string> => ({
  ApiVersion: '2010-04-01',
  AccountSid: TEST_ACCOUNT_SID,
  MessageSid: options.messageSid,
  SmsSid: options.messageSid,
  MessageStatus: options.status,
  SmsStatus: options.status,
  To: options.to ?? '+15125550123',
  From: options.from ?? '+15125550100',
  ...(options.errorCode && { ErrorCode: options.errorCode }),
});
