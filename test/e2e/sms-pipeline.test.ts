import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '#functions/inbound-sms/parse-twilio-sms.ts';
import { signedSmsRequest } from '../../scripts/lib/webhook-requests.ts';
import { DEV_DEFAULTS } from '../../scripts/local/runtime.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

const leadFor = async (pipeline: TestPipeline, contact: string) => {
  const leads = await pipeline.runtime.inspector.leads();
  return leads.find((l) => l.contact === contact);
};

describe('a lead texting the business, on the local runtime', () => {
  let pipeline: TestPipeline;

  beforeAll(async () => {
    pipeline = await startTestPipeline();
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  it('qualifies, scores, replies by SMS, syncs the CRM and tells the rep about a hot lead', async () => {
    const response = await pipeline.sms(
      '+15125550111',
      "Hi, this is Maria. A pipe burst under my kitchen sink and it's flooding! I'm in Round Rock. Can someone come out today?",
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/xml');
    expect(await response.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    await pipeline.settle();

    const lead = await leadFor(pipeline, '+15125550111');
    expect(lead).toBeDefined();
    expect(lead?.name).toBe('Maria');
    expect(lead?.qualification?.qualifiedBy).toBe('rules');
    expect(lead?.qualification?.intent).toBe('new_lead');
    expect(lead?.score?.grade).toBe('hot');
    expect(lead?.score?.score).toBeGreaterThanOrEqual(70);
    expect(lead?.score?.reasons.length).toBeGreaterThan(0);
    expect(lead?.crm?.provider).toBe('sandbox');
    expect(lead?.firstReplyAt).toBeDefined();

    const outbound = lead?.messages.filter((m) => m.direction === 'out') ?? [];
    expect(outbound).toHaveLength(1);
    expect(outbound[0]?.status).toBe('sent');
    expect(outbound[0]?.body).toContain('Maria');

    const outbox = await pipeline.runtime.inspector.outbox();
    const texts = outbox.filter((e) => e.kind === 'sms' && e.to === '+15125550111');
    expect(texts).toHaveLength(1);
    expect(texts[0]?.body.length).toBeLessThanOrEqual(320);
    // CTIA: the first text tells the lead how to stop them.
    expect(texts[0]?.body).toMatch(/Reply STOP to opt out/);
    const crmWrites = outbox.filter((e) => e.kind === 'crm' && e.details.crmId === lead?.crm?.id);
    expect(crmWrites.length).toBeGreaterThanOrEqual(1);
    const slack = outbox.filter((e) => e.kind === 'slack' && e.body.includes('+15125550111'));
    expect(slack).toHaveLength(1);
    // A burst pipe flooding the kitchen is an emergency: the rep reads that first.
    expect(slack[0]?.body).toMatch(/^EMERGENCY/);
  });

  it('answers a photo sent without words instead of taking it for spam', async () => {
    const request = signedSmsRequest({
      publicUrl: `${pipeline.runtime.url}/webhooks/twilio/sms`,
      authToken: DEV_DEFAULTS.TWILIO_AUTH_TOKEN,
      from: '+15125550177',
      to: '+15125550100',
      body: '',
      extra: {
        NumMedia: '1',
        MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1',
        MediaContentType0: 'image/jpeg',
      },
    });
    expect((await fetch(request.url, request.init)).status).toBe(200);
    await pipeline.settle();
    const lead = await leadFor(pipeline, '+15125550177');
    expect(lead?.status).not.toBe('spam');
    // On the sandbox the photo is not fetched (no Twilio account): its URL stays on the message.
    expect(lead?.messages.find((m) => m.direction === 'in')?.media).toEqual([
      {
        url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1',
        contentType: 'image/jpeg',
        skipped: 'no Twilio credentials (sandbox): not fetched',
      },
    ]);
    const texts = (await pipeline.runtime.inspector.outbox()).filter(
      (e) => e.kind === 'sms' && e.to === '+15125550177',
    );
    expect(texts).toHaveLength(1);
  });

  it('processes a repeated webhook with the same MessageSid once', async () => {
    const first = await pipeline.sms('+15125550122', 'Do you install tankless water heaters?', {
      messageSid: 'SMduplicate0000000000000000000001',
    });
    const again = await pipeline.sms('+15125550122', 'Do you install tankless water heaters?', {
      messageSid: 'SMduplicate0000000000000000000001',
    });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    await pipeline.settle();

    const lead = await leadFor(pipeline, '+15125550122');
    expect(lead?.messages.filter((m) => m.direction === 'in')).toHaveLength(1);
    const texts = (await pipeline.runtime.inspector.outbox()).filter(
      (e) => e.kind === 'sms' && e.to === '+15125550122',
    );
    expect(texts).toHaveLength(1);
  });

  it('refuses a wrongly signed webhook with 403 and leaves no trace', async () => {
    const before = await pipeline.runtime.inspector.leads();
    const response = await pipeline.sms('+15125550133', 'Hello?', { signWith: 'not-the-auth-token' });
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/signature/i);
    await pipeline.settle();
    expect(await leadFor(pipeline, '+15125550133')).toBeUndefined();
    expect(await pipeline.runtime.inspector.leads()).toHaveLength(before.length);
  });

  it('refuses an unsigned webhook and a body that is not a Twilio form', async () => {
    const unsigned = await fetch(`${pipeline.runtime.url}/webhooks/twilio/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'From=%2B15125550144&Body=hi&MessageSid=SM1&AccountSid=AC1&To=%2B15125550100',
    });
    expect(unsigned.status).toBe(403);
    const json = await fetch(`${pipeline.runtime.url}/webhooks/twilio/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(415);
  });

  it('refuses a signed message without From, and an oversized body, publishing nothing', async () => {
    const url = `${pipeline.runtime.url}/webhooks/twilio/sms`;
    const noFrom = signedSmsRequest({
      publicUrl: url,
      authToken: DEV_DEFAULTS.TWILIO_AUTH_TOKEN,
      from: '',
      to: '+15125550100',
      body: 'hello',
    });
    const params = new URLSearchParams(noFrom.init.body as string);
    params.delete('From');
    const missing = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature({
          authToken: DEV_DEFAULTS.TWILIO_AUTH_TOKEN,
          url,
          params: Object.fromEntries(params),
        }),
      },
      body: params.toString(),
    });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toMatch(/From/);

    const huge = await pipeline.sms('+15125550144', 'x'.repeat(70_000));
    expect(huge.status).toBe(413);
    await pipeline.settle();
    expect(await leadFor(pipeline, '+15125550144')).toBeUndefined();
  });

  it('stops all texts after STOP, confirming once, until the lead opts back in', async () => {
    const phone = '+15125550155';
    await pipeline.sms(phone, 'My shower drain is slow, how much to clean it?');
    await pipeline.settle();
    await pipeline.sms(phone, 'STOP');
    await pipeline.settle();
    await pipeline.sms(phone, 'Actually, is it cheaper on weekdays?');
    await pipeline.settle();

    const lead = await leadFor(pipeline, phone);
    expect(lead?.optOut?.optedOut).toBe(true);
    const texts = (await pipeline.runtime.inspector.outbox()).filter(
      (e) => e.kind === 'sms' && e.to === phone,
    );
    expect(texts).toHaveLength(2);
    expect(texts[1]?.body).toMatch(/unsubscribed|no more/i);
    const suppressed = lead?.messages.filter((m) => m.direction === 'out' && m.status === 'suppressed') ?? [];
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]?.reason).toMatch(/opted out/);

    await pipeline.sms(phone, 'START');
    await pipeline.settle();
    const after = (await pipeline.runtime.inspector.outbox()).filter(
      (e) => e.kind === 'sms' && e.to === phone,
    );
    expect(after).toHaveLength(3);
    expect((await leadFor(pipeline, phone))?.optOut?.optedOut).toBe(false);
  });

  it('offers free slots to a lead who wants a meeting and books the one they pick', async () => {
    const phone = '+15125550166';
    await pipeline.sms(phone, 'Hi, I want a quote for a bathroom remodel in Austin. Can we schedule a call?');
    await pipeline.settle();
    const offered = await leadFor(pipeline, phone);
    expect(offered?.offeredSlots?.length).toBeGreaterThanOrEqual(2);
    const slotText = (await pipeline.runtime.inspector.outbox()).filter(
      (e) => e.kind === 'sms' && e.to === phone,
    );
    expect(slotText).toHaveLength(1);
    expect(slotText[0]?.body).toMatch(/1\)|1\.|1:/);
    expect(slotText[0]?.body).toMatch(/Thanks for contacting/);

    await pipeline.sms(phone, '2');
    await pipeline.settle();
    const booked = await leadFor(pipeline, phone);
    expect(booked?.meetings).toHaveLength(1);
    expect(booked?.meetings[0]?.start).toBe(offered?.offeredSlots?.[1]?.start);
    expect(booked?.status).toBe('booked');
    const outbox = await pipeline.runtime.inspector.outbox();
    expect(outbox.filter((e) => e.kind === 'booking')).toHaveLength(1);
    const texts = outbox.filter((e) => e.kind === 'sms' && e.to === phone);
    expect(texts).toHaveLength(2);
    expect(texts[1]?.body).toMatch(/booked|confirmed|see you/i);
    expect(outbox.some((e) => e.kind === 'slack' && /Meeting booked/.test(e.body))).toBe(true);
  });

  it('shows queues idle with nothing dead-lettered after normal traffic', async () => {
    const response = await fetch(`${pipeline.runtime.url}/local/queues`);
    const queues = (await response.json()) as Array<{
      subscriber: string;
      visible: number;
      deadLettered: number;
    }>;
    expect(queues.map((q) => q.subscriber).sort()).toEqual(
      [
        'archive-media',
        'auto-respond',
        'calendar',
        'conversation',
        'crm-sync',
        'missed-call',
        'notify',
        'qualify',
        'route',
        'score',
        'timeline',
      ].sort(),
    );
    for (const queue of queues) {
      expect(queue.visible).toBe(0);
      expect(queue.deadLettered).toBe(0);
    }
  });
});
