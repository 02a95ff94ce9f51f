import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAiFake, reply } from '../fakes/openai-fake.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

describe('qualification by OpenAI, on the local runtime', () => {
  let pipeline: TestPipeline;
  const openai = new OpenAiFake();

  beforeAll(async () => {
    await openai.start();
    pipeline = await startTestPipeline({
      env: {
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: openai.baseUrl,
        OPENAI_TIMEOUT_MS: '500',
        OPENAI_MAX_RETRIES: '0',
        // Reply drafting is tested in openai-drafting.test.ts; here only qualification asks the model.
        OPENAI_DRAFT_REPLIES: 'false',
      },
    });
  });
  afterAll(async () => {
    await pipeline.stop();
    await openai.stop();
  });

  it('records that the model qualified the lead and uses what it extracted', async () => {
    openai.enqueue(
      reply.completion({
        intent: 'new_lead',
        name: 'Priya',
        email: null,
        phone: null,
        need: 'Replace a leaking water heater',
        service: 'Water heater',
        timing: 'this_week',
        budget: null,
        location: 'Leander',
        wantsMeeting: false,
        slotChoice: null,
        urgency: 'normal',
        preferredDate: null,
        preferredPartOfDay: null,
        meetingChange: 'none',
        questions: [],
        language: 'en',
        summary: 'Priya wants her leaking water heater replaced this week.',
      }),
    );
    await pipeline.sms(
      '+15125550411',
      'hey its priya, our heater tank is leaking, need a new one this week, in leander',
    );
    await pipeline.settle();

    const lead = (await pipeline.runtime.inspector.leads()).find((l) => l.contact === '+15125550411');
    expect(lead?.qualification?.qualifiedBy).toBe('openai');
    expect(lead?.name).toBe('Priya');
    expect(lead?.known).toMatchObject({ service: 'Water heater', location: 'Leander', timing: 'this_week' });
    expect(openai.requests).toHaveLength(1);
    const texts = (await pipeline.runtime.inspector.outbox()).filter(
      (e) => e.kind === 'sms' && e.to === '+15125550411',
    );
    expect(texts).toHaveLength(1);
    expect(texts[0]?.body).toContain('Priya');
  });

  it('falls back to the rules when the model fails, and still answers the lead', async () => {
    openai.enqueue(reply.error(503));
    await pipeline.sms('+15125550412', 'Hi, my shower drain is clogged. I am in Austin.');
    await pipeline.settle();

    const lead = (await pipeline.runtime.inspector.leads()).find((l) => l.contact === '+15125550412');
    expect(lead?.qualification?.qualifiedBy).toBe('rules');
    expect(lead?.known.service).toBe('Drain cleaning');
    const texts = (await pipeline.runtime.inspector.outbox()).filter(
      (e) => e.kind === 'sms' && e.to === '+15125550412',
    );
    expect(texts).toHaveLength(1);
  });
});
