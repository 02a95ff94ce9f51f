import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LeadMessageReceived } from '#events/catalog.ts';
import { sampleDetail } from '#events/samples.ts';
import { archiveMedia } from '#functions/archive-media/archive-media.ts';
import { DynamoLeadStore } from '#shared/adapters/aws/dynamo-lead-store.ts';
import { TwilioMediaSource } from '#shared/adapters/twilio/twilio-media-source.ts';
import { TransientError } from '#shared/ports/errors.ts';
import type { BlobStore } from '#shared/ports/outbound.ts';
import { startTwilioFake, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, twilioError } from '../fakes/twilio-fake.ts';
import { startTestDynamo, TEST_TABLES } from '../support/dynamo.ts';

const RECEIVED_AT = '2026-11-24T16:00:00.000Z';
const quickWait = { retries: 3, minDelayMs: 50, maxDelayMs: 200 };

class MemoryBlobs implements BlobStore {
  readonly objects = new Map<string, { body: Buffer; contentType: string }>();
  async put(key: string, body: Buffer | string, contentType: string) {
    this.objects.set(key, { body: Buffer.from(body), contentType });
  }
}

describe('archiving inbound MMS media from a loopback Twilio', () => {
  let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
  let twilio: Awaited<ReturnType<typeof startTwilioFake>>;
  let store: DynamoLeadStore;
  let blobs: MemoryBlobs;
  let logger: Logger;
  let counter = 0;

  const source = (authToken = TEST_AUTH_TOKEN) =>
    new TwilioMediaSource({
      accountSid: TEST_ACCOUNT_SID,
      authToken,
      apiBaseUrl: twilio.url,
      retryBudget: { retries: 1, minDelayMs: 10, maxDelayMs: 100 },
    });

  /** A `Lead Message Received` carrying these media, and (unless told not to) its message recorded. */
  const mms = async (
    media: Array<{ url: string; contentType: string }>,
    options: { record?: boolean } = {},
  ) => {
    counter += 1;
    const messageSid = `SM${randomBytes(16).toString('hex')}`;
    const detail = LeadMessageReceived.schema.parse(
      sampleDetail(LeadMessageReceived, {
        leadId: `lead-media-${counter}`,
        messageId: `sms-${messageSid}`,
        correlationId: `sms-${messageSid}`,
        providerMessageId: messageSid,
        body: '',
        receivedAt: RECEIVED_AT,
        media,
      }),
    );
    if (options.record !== false) await recordInbound(detail);
    return detail;
  };
  const recordInbound = (detail: { leadId: string; messageId: string; from: string; receivedAt: string }) =>
    store.recordInbound({
      leadId: detail.leadId,
      contact: detail.from,
      channel: 'sms',
      phone: detail.from,
      timeZone: 'America/Chicago',
      message: { messageId: detail.messageId, channel: 'sms', body: '', at: detail.receivedAt },
    });
  const storedMedia = async (detail: { leadId: string; messageId: string }) =>
    (await store.getMessages(detail.leadId)).find((m) => m.messageId === detail.messageId)?.media;

  beforeAll(async () => {
    [dynamo, twilio] = await Promise.all([startTestDynamo(), startTwilioFake()]);
    store = new DynamoLeadStore(dynamo.documents, TEST_TABLES.leads);
  });
  afterAll(async () => {
    await Promise.all([dynamo.stop(), twilio.close()]);
  });
  beforeEach(() => {
    twilio.fake.reset();
    twilio.mediaHostRequests.length = 0;
    blobs = new MemoryBlobs();
    logger = new Logger({ serviceName: 'archive-media', logLevel: 'SILENT' });
  });

  it('follows Twilio’s redirect to the media host, stores the bytes and records the key on the message', async () => {
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(2048)]);
    const media = twilio.addMedia(photo, 'image/jpeg');
    const detail = await mms([{ url: media.url, contentType: 'image/jpeg' }]);

    const outcome = await archiveMedia(detail, { store, blobs, source: source(), logger });

    expect(outcome).toEqual({ archived: 1, skipped: 0 });
    const key = `inbound/sms/2026/11/24/${detail.messageId}/1-${media.mediaSid}.jpg`;
    expect(blobs.objects.get(key)?.body.equals(photo)).toBe(true);
    expect(blobs.objects.get(key)?.contentType).toBe('image/jpeg');
    expect(await storedMedia(detail)).toEqual([
      { url: media.url, contentType: 'image/jpeg', key, bytes: photo.length },
    ]);
    // Credentials go to Twilio's API host only, never to the host it redirects to.
    const [apiRequest] = twilio.fake.requestsTo('GET', media.path);
    expect(apiRequest?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${TEST_ACCOUNT_SID}:${TEST_AUTH_TOKEN}`).toString('base64')}`,
    );
    expect(twilio.mediaHostRequests).toHaveLength(1);
    expect(twilio.mediaHostRequests[0]?.authorization).toBeUndefined();
  });

  it.each([
    ['announced by Content-Length', true],
    ['only found while reading', false],
  ])(
    'skips media over the size cap (%s) with a log line, and archives the rest',
    async (_name, announceLength) => {
      const large = twilio.addMedia(randomBytes(4096), 'video/mp4', { announceLength });
      const small = twilio.addMedia(randomBytes(512), 'image/png');
      const detail = await mms([
        { url: large.url, contentType: 'video/mp4' },
        { url: small.url, contentType: 'image/png' },
      ]);
      const warn = vi.spyOn(logger, 'warn');

      const outcome = await archiveMedia(detail, { store, blobs, source: source(), logger, maxBytes: 1024 });

      expect(outcome).toEqual({ archived: 1, skipped: 1 });
      expect(warn).toHaveBeenCalledWith(
        'Media over the size cap, not archived',
        expect.objectContaining({ index: 0, limitBytes: 1024 }),
      );
      const [skipped, archived] = (await storedMedia(detail)) ?? [];
      expect(skipped).toEqual({
        url: large.url,
        contentType: 'video/mp4',
        skipped: expect.stringContaining('1024-byte limit'),
      });
      expect(archived?.key).toMatch(/\/2-ME[0-9a-f]{32}\.png$/);
      expect([...blobs.objects.keys()]).toEqual([archived?.key]);
    },
  );

  it('records media Twilio no longer has (404) as skipped', async () => {
    const gone = `${twilio.url}/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Messages/MM${'0'.repeat(32)}/Media/ME${'0'.repeat(32)}`;
    twilio.fake.route(
      'GET',
      new URL(gone).pathname,
      twilioError(404, 20404, 'The requested resource was not found'),
    );
    const detail = await mms([{ url: gone, contentType: 'image/jpeg' }]);

    const outcome = await archiveMedia(detail, { store, blobs, source: source(), logger });

    expect(outcome).toEqual({ archived: 0, skipped: 1 });
    expect((await storedMedia(detail))?.[0]?.skipped).toContain('404');
  });

  it('records media refused for wrong credentials (401) as skipped', async () => {
    const media = twilio.addMedia(randomBytes(64), 'image/gif');
    const detail = await mms([{ url: media.url, contentType: 'image/gif' }]);

    await archiveMedia(detail, { store, blobs, source: source('not-the-token'), logger });

    expect((await storedMedia(detail))?.[0]?.skipped).toContain('401');
    expect(twilio.mediaHostRequests).toHaveLength(0);
  });

  it('fails the event so SQS retries when Twilio answers 503, recording nothing', async () => {
    const path = `/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Messages/MM${'1'.repeat(32)}/Media/ME${'1'.repeat(32)}`;
    twilio.fake.route('GET', path, twilioError(503, 20503, 'Service Unavailable'));
    const detail = await mms([{ url: `${twilio.url}${path}`, contentType: 'image/jpeg' }]);

    await expect(archiveMedia(detail, { store, blobs, source: source(), logger })).rejects.toBeInstanceOf(
      TransientError,
    );
    expect(twilio.fake.requestsTo('GET', path)).toHaveLength(2);
    expect(await storedMedia(detail)).toBeUndefined();
  });

  it('never sends the Twilio credentials to a URL off the Twilio API host', async () => {
    const detail = await mms([{ url: 'https://attacker.example/collect', contentType: 'image/jpeg' }]);

    await archiveMedia(detail, { store, blobs, source: source(), logger });

    expect((await storedMedia(detail))?.[0]?.skipped).toContain('not a Twilio media URL');
    expect(twilio.fake.requests).toHaveLength(0);
  });

  it('keeps the URL and fetches nothing on the sandbox, without failing', async () => {
    const media = twilio.addMedia(randomBytes(64), 'image/jpeg');
    const detail = await mms([{ url: media.url, contentType: 'image/jpeg' }]);

    const outcome = await archiveMedia(detail, { store, blobs, source: null, logger });

    expect(outcome).toEqual({ archived: 0, skipped: 1 });
    expect(await storedMedia(detail)).toEqual([
      { url: media.url, contentType: 'image/jpeg', skipped: 'no Twilio credentials (sandbox): not fetched' },
    ]);
    expect(twilio.fake.requests).toHaveLength(0);
  });

  it('waits for qualify to record the message, then records the media on it', async () => {
    const media = twilio.addMedia(randomBytes(64), 'image/jpeg');
    const detail = await mms([{ url: media.url, contentType: 'image/jpeg' }], { record: false });
    setTimeout(() => void recordInbound(detail), 100);

    await archiveMedia(detail, { store, blobs, source: source(), logger, waitForMessage: quickWait });

    expect((await storedMedia(detail))?.[0]?.key).toMatch(/\.jpg$/);
  });

  it('gives the event back to SQS when the message is still not recorded', async () => {
    const detail = await mms(
      [{ url: twilio.addMedia(randomBytes(64), 'image/jpeg').url, contentType: 'image/jpeg' }],
      {
        record: false,
      },
    );

    await expect(
      archiveMedia(detail, { store, blobs, source: source(), logger, waitForMessage: quickWait }),
    ).rejects.toThrow('the inbound message is not recorded yet');
    // Not half-recorded: the message item was not created by the update.
    expect(await store.getMessages(detail.leadId)).toEqual([]);
  });
});
