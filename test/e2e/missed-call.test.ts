import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusinessProfile, demoBusinessProfile } from '#shared/config/business-profile.ts';
import {
  BUSINESS_NUMBER,
  nextTuesdayAt,
  startTestPipeline,
  type TestPipeline,
} from '../support/local-pipeline.ts';

const LINE = '+15125550142';
const profile = BusinessProfile.parse({
  ...demoBusinessProfile,
  missedCalls: { forwardTo: LINE, ringSeconds: 15 },
});

const callParams = (from: string, callSid: string, extra: Record<string, string> = {}) => ({
  CallSid: callSid,
  AccountSid: `AC${'0'.repeat(32)}`,
  From: from,
  To: BUSINESS_NUMBER,
  CallStatus: 'ringing',
  Direction: 'inbound',
  ApiVersion: '2010-04-01',
  ...extra,
});

describe('missed-call text-back, on the local runtime', () => {
  let pipeline: TestPipeline;
  const textsTo = async (phone: string) =>
    (await pipeline.runtime.inspector.outbox()).filter((e) => e.kind === 'sms' && e.to === phone);
  const leadOf = async (phone: string) =>
    (await pipeline.runtime.inspector.leads()).find((l) => l.contact === phone);

  beforeAll(async () => {
    pipeline = await startTestPipeline({
      env: { BUSINESS_PROFILE: JSON.stringify(profile) },
      clockStart: nextTuesdayAt('10:00'),
    });
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  it('forwards a call to the business line and asks Twilio how the dial ended', async () => {
    const answer = await pipeline.call('voice', callParams('+15125550301', 'CA301'));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('text/xml');
    const twiml = await answer.text();
    expect(twiml).toContain(`action="${pipeline.runtime.url}/webhooks/twilio/voice/dial-status"`);
    expect(twiml).toContain('timeout="15"');
    expect(twiml).toContain(`<Number>${LINE}</Number>`);
  });

  it('refuses a call that Twilio did not sign', async () => {
    const forged = await fetch(`${pipeline.runtime.url}/webhooks/twilio/voice`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' },
      body: new URLSearchParams(callParams('+15125550301', 'CA302')).toString(),
    });
    expect(forged.status).toBe(403);
  });

  it('texts a caller nobody answered within the call, once, and tells the rep', async () => {
    const caller = '+15125550303';
    const missed = callParams(caller, 'CA303', { DialCallStatus: 'no-answer', DialCallSid: 'CA303b' });
    const first = await pipeline.call('voice/dial-status', missed);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('<Say>Sorry we missed your call.');
    await pipeline.settle();
    // Twilio retries the same request: the same call never texts twice.
    expect((await pipeline.call('voice/dial-status', missed)).status).toBe(200);
    await pipeline.settle();

    const texts = await textsTo(caller);
    expect(texts).toHaveLength(1);
    expect(texts[0]?.body).toMatch(/Sorry we missed your call/);
    const lead = await leadOf(caller);
    expect(lead).toMatchObject({ channel: 'sms', source: 'missed-call', phone: caller });
    expect(lead?.messages.map((m) => m.messageId)).toEqual(['call-CA303', 'out-call-CA303']);
    const alerts = (await pipeline.runtime.inspector.outbox()).filter((e) => e.kind === 'slack');
    expect(alerts.filter((a) => a.body.includes('Missed call from +15125550303'))).toHaveLength(1);

    // The caller writes back: the conversation carries on as an SMS lead.
    await pipeline.sms(caller, 'Yes please, my kitchen drain is clogged in Austin');
    await pipeline.settle();
    expect(await textsTo(caller)).toHaveLength(2);
    expect((await leadOf(caller))?.known.service).toBe('Drain cleaning');
  });

  it('texts a caller who rings again within the window back once, and keeps both calls', async () => {
    const caller = '+15125550306';
    await pipeline.call('voice/dial-status', callParams(caller, 'CA306', { DialCallStatus: 'no-answer' }));
    await pipeline.settle();
    await pipeline.advance(8 * 60_000);
    await pipeline.call('voice/dial-status', callParams(caller, 'CA307', { DialCallStatus: 'busy' }));
    await pipeline.settle();

    const texts = await textsTo(caller);
    expect(texts).toHaveLength(1);
    const lead = await leadOf(caller);
    expect(lead?.messages.map((m) => m.messageId)).toEqual(['call-CA306', 'out-call-CA306', 'call-CA307']);
    const alerts = (await pipeline.runtime.inspector.outbox()).filter(
      (e) => e.kind === 'slack' && e.body.includes(caller),
    );
    expect(alerts).toHaveLength(1);

    // A day later a missed call is a new matter: it is texted back.
    await pipeline.advance(24 * 3_600_000);
    await pipeline.call('voice/dial-status', callParams(caller, 'CA308', { DialCallStatus: 'no-answer' }));
    await pipeline.settle();
    const apologies = (await textsTo(caller)).filter((t) => /Sorry we missed your call/.test(t.body));
    expect(apologies).toHaveLength(2);
  });

  it('texts nothing to a caller who opted out, and still tells the rep to call back', async () => {
    const caller = '+15125550304';
    await pipeline.sms(caller, 'STOP');
    await pipeline.settle();
    const before = (await textsTo(caller)).length;
    await pipeline.call('voice/dial-status', callParams(caller, 'CA304', { DialCallStatus: 'busy' }));
    await pipeline.settle();
    expect(await textsTo(caller)).toHaveLength(before);
    const alerts = (await pipeline.runtime.inspector.outbox()).filter(
      (e) => e.kind === 'slack' && e.body.includes('+15125550304'),
    );
    expect(alerts[0]?.body).toMatch(/call them back/);
  });

  it('publishes nothing for a call that was answered, and hangs up', async () => {
    const caller = '+15125550305';
    const answer = await pipeline.call(
      'voice/dial-status',
      callParams(caller, 'CA305', { DialCallStatus: 'completed' }),
    );
    expect(await answer.text()).toContain('<Hangup/>');
    await pipeline.settle();
    expect(await leadOf(caller)).toBeUndefined();
    for (const queue of pipeline.runtime.inspector.queues()) expect(queue.deadLettered).toBe(0);
  });
});
