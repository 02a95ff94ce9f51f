import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

/**
 * In AWS a function reads only the secrets of the ports it uses, so a provider named for one port
 * (here email, with no key) looks unconfigured from every other function. Only a function that
 * really sends email may fail on it.
 */
describe('a provider named without its credentials', () => {
  let pipeline: TestPipeline;

  beforeAll(async () => {
    pipeline = await startTestPipeline({ env: { EMAIL_PROVIDER: 'sendgrid' } });
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  it('stops nothing but email: a texting lead is qualified, answered, synced and announced', async () => {
    const response = await pipeline.sms(
      '+15125550177',
      'Hi, my water heater is leaking in Austin, can you come today?',
    );
    expect(response.status).toBe(200);
    await pipeline.settle();

    const lead = (await pipeline.runtime.inspector.leads()).find((l) => l.contact === '+15125550177');
    expect(lead?.qualification?.intent).toBe('new_lead');
    expect(lead?.messages.filter((m) => m.direction === 'out' && m.status === 'sent')).toHaveLength(1);
    expect(lead?.crm?.provider).toBe('sandbox');
    const queues = await pipeline.runtime.inspector.queues();
    expect(queues.every((q) => q.deadLettered === 0 && q.inFlight === 0)).toBe(true);
  });
});
