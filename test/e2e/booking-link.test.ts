import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

const PAGE = 'https://calendly.com/brightside-plumbing/estimate';

describe('a business that books through a Calendly link, on the local runtime', () => {
  let pipeline: TestPipeline;

  beforeAll(async () => {
    pipeline = await startTestPipeline({
      env: { CALENDAR_PROVIDER: 'booking-link', BOOKING_LINK_URL: PAGE },
    });
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  const textsTo = async (phone: string) =>
    (await pipeline.runtime.inspector.outbox()).filter((e) => e.kind === 'sms' && e.to === phone);

  it('answers a lead who asks for an appointment with the link, prefilled, and books nothing', async () => {
    const phone = '+15125550188';
    await pipeline.sms(
      phone,
      'Hi, this is Maria. I want a quote for a bathroom remodel in Austin. Can we schedule a call?',
    );
    await pipeline.settle();

    const texts = await textsTo(phone);
    expect(texts).toHaveLength(1);
    expect(texts[0]?.body).toContain(`${PAGE}?name=Maria`);
    expect(texts[0]?.body).toMatch(/pick a time for a call here:/);
    expect(texts[0]?.body).not.toMatch(/Reply 1/);
    expect(texts[0]?.body.length).toBeLessThanOrEqual(320);
    const lead = (await pipeline.runtime.inspector.leads()).find((l) => l.contact === phone);
    expect(lead?.offeredSlots ?? []).toEqual([]);
    expect((await pipeline.runtime.inspector.outbox()).filter((e) => e.kind === 'booking')).toEqual([]);
  });

  it('sends the link again to a lead who asks again, and a slot number is no error', async () => {
    const phone = '+15125550189';
    await pipeline.sms(phone, 'Hi, my water heater is leaking in Round Rock. Can I book an appointment?');
    await pipeline.settle();
    await pipeline.sms(phone, '2');
    await pipeline.settle();
    await pipeline.sms(phone, 'Can we schedule a visit for tomorrow?');
    await pipeline.settle();

    const texts = await textsTo(phone);
    expect(texts).toHaveLength(3);
    expect(texts[0]?.body).toContain(PAGE);
    expect(texts[2]?.body).toContain(PAGE);
    expect((await pipeline.runtime.inspector.outbox()).filter((e) => e.kind === 'booking')).toEqual([]);
    for (const queue of pipeline.runtime.inspector.queues()) expect(queue.deadLettered).toBe(0);
  });
});
