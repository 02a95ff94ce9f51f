import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideSendTime } from '#shared/compliance/send-time.ts';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

/** HH:MM in Chicago, `offsetMinutes` from now. */
const chicagoTime = (offsetMinutes: number) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'America/Chicago',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(Date.now() + offsetMinutes * 60_000));

describe('strict quiet hours, on the local runtime', () => {
  let pipeline: TestPipeline;
  let profile: BusinessProfile;

  beforeAll(async () => {
    // A quiet window around the present moment, whatever time the test runs.
    profile = BusinessProfile.parse({
      ...demoBusinessProfile,
      quietHours: { start: chicagoTime(-60), end: chicagoTime(60), strict: true },
    });
    pipeline = await startTestPipeline({ env: { BUSINESS_PROFILE: JSON.stringify(profile) } });
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  it('holds the reply until the window opens instead of texting now', async () => {
    const phone = '+15125550211';
    expect((await pipeline.sms(phone, 'Do you clean sewer lines?')).status).toBe(200);
    await pipeline.settle();

    const lead = (await pipeline.runtime.inspector.leads()).find((l) => l.contact === phone);
    const held = lead?.messages.filter((m) => m.direction === 'out') ?? [];
    expect(held).toHaveLength(1);
    expect(held[0]?.status).toBe('held');
    const sendAt = Date.parse(held[0]?.sendAt ?? '');
    expect(sendAt).toBeGreaterThan(Date.now() + 50 * 60_000);
    // When the window opens: the business's quiet hours end, unless Texas law (the lead's 512
    // area code) keeps it closed longer at the hour this test runs.
    const decision = decideSendTime({
      now: new Date(held[0]?.at ?? ''),
      lead: lead!,
      kind: 'reply',
      answeredAt: lead?.messages.find((m) => m.direction === 'in')?.at,
      profile,
    });
    expect(decision.action === 'hold' && decision.sendAt.getTime()).toBe(sendAt);
    const outbox = await pipeline.runtime.inspector.outbox();
    expect(outbox.some((e) => e.kind === 'sms' && e.to === phone)).toBe(false);
    // The CRM still learns of the lead; only the text waits.
    expect(lead?.crm).toBeDefined();
  });
});
