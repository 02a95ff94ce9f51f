import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriberNamed } from '#shared/pipeline.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

const BROKEN_LEAD_PHONE = '+15125550199';

describe('a consumer that keeps failing, on the local runtime', () => {
  let pipeline: TestPipeline;
  const notifyAttempts: string[] = [];

  beforeAll(async () => {
    pipeline = await startTestPipeline({
      // The notify function fails every record that concerns one lead, as a broken Slack webhook would.
      wrapConsumer: (name, handler) =>
        name !== 'notify'
          ? handler
          : async (event: SQSEvent, context) => {
              for (const record of event.Records) {
                if (record.body.includes('"leadId"'))
                  notifyAttempts.push(record.attributes.ApproximateReceiveCount);
              }
              const leads = await pipeline.runtime.inspector.leads();
              const broken = leads.find((l) => l.contact === BROKEN_LEAD_PHONE)?.leadId;
              if (broken && event.Records.some((r) => r.body.includes(broken))) {
                throw new Error('Slack is down');
              }
              return handler(event, context);
            },
    });
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  it('sends the record to the DLQ after the maximum receive count while the rest of the pipeline goes on', async () => {
    await pipeline.sms(
      BROKEN_LEAD_PHONE,
      'Burst pipe, water everywhere in my basement in Austin, please come now!',
    );
    await pipeline.settle();

    const maxReceiveCount = subscriberNamed('notify').maxReceiveCount;
    expect(notifyAttempts).toEqual(Array.from({ length: maxReceiveCount }, (_, i) => String(i + 1)));
    const queues = pipeline.runtime.inspector.queues();
    expect(queues.find((q) => q.subscriber === 'notify')?.deadLettered).toBe(1);
    for (const queue of queues.filter((q) => q.subscriber !== 'notify')) expect(queue.deadLettered).toBe(0);

    // The lead was still answered and synced: only the rep's notification is parked.
    const lead = (await pipeline.runtime.inspector.leads()).find((l) => l.contact === BROKEN_LEAD_PHONE);
    expect(lead?.score?.grade).toBe('hot');
    expect(lead?.messages.some((m) => m.direction === 'out' && m.status === 'sent')).toBe(true);
    expect(lead?.crm).toBeDefined();
    const outbox = await pipeline.runtime.inspector.outbox();
    expect(outbox.some((e) => e.kind === 'slack' && e.body.includes(BROKEN_LEAD_PHONE))).toBe(false);
  });

  it('keeps serving other leads', async () => {
    await pipeline.sms(
      '+15125550188',
      'Hi, this is Sam, my kitchen sink is clogged in Austin. Can someone come out today?',
    );
    await pipeline.settle();
    const outbox = await pipeline.runtime.inspector.outbox();
    expect(outbox.some((e) => e.kind === 'slack' && e.body.includes('+15125550188'))).toBe(true);
  });
});
