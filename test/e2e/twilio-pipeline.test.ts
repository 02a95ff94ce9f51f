import { randomBytes } from 'node:crypto';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '#shared/adapters/twilio/twilio-webhook.ts';
import { signedSmsRequest } from '../../scripts/lib/webhook-requests.ts';
import {
  messagesPath,
  startTwilioFake,
  statusCallbackParams,
  TEST_ACCOUNT_SID,
  TEST_AUTH_TOKEN,
} from '../fakes/twilio-fake.ts';
import { BUSINESS_NUMBER, startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

describe('the local runtime with SMS_PROVIDER=twilio, against a loopback Twilio', () => {
  let twilio: Awaited<ReturnType<typeof startTwilioFake>>;
  let pipeline: TestPipeline;

  const leadFor = async (contact: string) =>
    (await pipeline.runtime.inspector.leads()).find((l) => l.contact === contact);
  const textsTo = (to: string) =>
    twilio.fake
      .requestsTo('POST', messagesPath())
      .filter((r) => (r.body as Record<string, string>).To === to);
  const statusUrl = () => `${pipeline.runtime.url}/webhooks/twilio/status`;
  const postStatus = (params: Record<string, string>, authToken = TEST_AUTH_TOKEN) =>
    fetch(statusUrl(), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature({ authToken, url: statusUrl(), params }),
      },
      body: new URLSearchParams(params).toString(),
    });

  beforeAll(async () => {
    twilio = await startTwilioFake();
    pipeline = await startTestPipeline({
      env: {
        SMS_PROVIDER: 'twilio',
        TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
        TWILIO_API_BASE_URL: twilio.url,
      },
    });
  });
  afterAll(async () => {
    await pipeline.stop();
    await twilio.close();
  });

  it('replies to a signed inbound text through the Twilio API, then records the delivery Twilio reports', async () => {
    const lead = '+15125550161';
    const inbound = await pipeline.sms(lead, 'Hi, my water heater is leaking. Can you come tomorrow?', {
      signWith: TEST_AUTH_TOKEN,
    });
    expect(inbound.status).toBe(200);
    await pipeline.settle();

    const [request, ...more] = textsTo(lead);
    expect(more).toHaveLength(0);
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${TEST_ACCOUNT_SID}:${TEST_AUTH_TOKEN}`).toString('base64')}`,
    );
    const form = request?.body as Record<string, string>;
    expect(form.From).toBe(BUSINESS_NUMBER);
    expect(form.StatusCallback).toBe(statusUrl());
    expect(form.Body).toMatch(/Reply STOP to opt out/);

    const stored = await leadFor(lead);
    const reply = stored?.messages.find((m) => m.direction === 'out');
    expect(reply?.status).toBe('sent');
    expect(reply?.body).toBe(form.Body);
    const sid = reply?.providerMessageId ?? '';
    expect(sid).toMatch(/^SM[0-9a-f]{32}$/);
    // Nothing went to the sandbox outbox: the real adapter sent it.
    expect(
      (await pipeline.runtime.inspector.outbox()).filter((e) => e.kind === 'sms' && e.to === lead),
    ).toEqual([]);

    for (const status of ['sent', 'delivered', 'sent']) {
      const answer = await postStatus(statusCallbackParams({ messageSid: sid, status, to: lead }));
      expect(answer.status).toBe(204);
    }
    const delivered = (await leadFor(lead))?.messages.find((m) => m.direction === 'out');
    expect(delivered?.smsDelivery?.status).toBe('delivered');
  });

  it('refuses status callbacks that are unsigned, wrongly signed or not status callbacks', async () => {
    const params = statusCallbackParams({ messageSid: `SM${'d4'.repeat(16)}`, status: 'delivered' });
    const unsigned = await fetch(statusUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toMatch(/Missing X-Twilio-Signature/);

    const forged = await postStatus(params, 'not-the-auth-token');
    expect(forged.status).toBe(403);
    expect(await forged.text()).toMatch(/Invalid X-Twilio-Signature/);

    const malformed = await postStatus({ AccountSid: TEST_ACCOUNT_SID, Body: 'hello' });
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toMatch(/MessageSid/);
  });

  it('archives the photo of an MMS to S3 and shows its key on the message', async () => {
    const lead = '+15125550162';
    const photo = randomBytes(3000);
    const media = twilio.addMedia(photo, 'image/jpeg');
    const request = signedSmsRequest({
      publicUrl: `${pipeline.runtime.url}/webhooks/twilio/sms`,
      authToken: TEST_AUTH_TOKEN,
      from: lead,
      to: BUSINESS_NUMBER,
      body: 'This is the leak',
      extra: { NumMedia: '1', MediaUrl0: media.url, MediaContentType0: 'image/jpeg' },
    });
    expect((await fetch(request.url, request.init)).status).toBe(200);
    await pipeline.settle();

    const inbound = (await leadFor(lead))?.messages.find((m) => m.direction === 'in');
    const [archived] = inbound?.media ?? [];
    expect(archived).toMatchObject({ url: media.url, contentType: 'image/jpeg', bytes: photo.length });
    expect(archived?.key).toMatch(
      new RegExp(`^inbound/sms/\\d{4}/\\d{2}/\\d{2}/${inbound?.messageId}/1-${media.mediaSid}\\.jpg$`),
    );
    const s3 = new S3Client({ forcePathStyle: true });
    const object = await s3.send(
      new GetObjectCommand({ Bucket: process.env.RAW_BUCKET_NAME, Key: archived?.key }),
    );
    expect(Buffer.from(await object.Body!.transformToByteArray()).equals(photo)).toBe(true);
    s3.destroy();
  });
});
