import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeadMessageReceived } from '#events/catalog.ts';
import { sampleDetail } from '#events/samples.ts';
import { DynamoInboundAcceptance } from '#shared/adapters/aws/dynamo-inbound-acceptance.ts';
import { DynamoLeadStore } from '#shared/adapters/aws/dynamo-lead-store.ts';
import { LeadsTable } from '#shared/adapters/aws/dynamo-table.ts';
import { createInboundPublisher, InboundInProgressError } from '#shared/inbound/publish-inbound.ts';
import { WebhookRejection } from '#shared/lambda/http.ts';
import type { EventPublisher } from '#shared/ports/event-publisher.ts';
import { startTestDynamo, TEST_TABLES } from '../support/dynamo.ts';

/** The webhook's side of exactly once, against DynamoDB: what earns a 2xx, and what a STOP does at once. */
describe('accepting an inbound message', () => {
  let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
  let store: DynamoLeadStore;
  let acceptance: DynamoInboundAcceptance;
  let now: Date;
  const published: string[] = [];
  let failNextPublish = false;
  let optOutWhenPublished: boolean | undefined;

  const publisher: EventPublisher = {
    publish: async (_event, detail) => {
      const message = detail as { messageId: string; from: string };
      optOutWhenPublished = (await store.getOptOut(message.from))?.optedOut;
      if (failNextPublish) {
        failNextPublish = false;
        throw new Error('EventBridge is down');
      }
      published.push(message.messageId);
    },
  };
  const inbound = () => createInboundPublisher({ publisher, acceptance, clock: () => now });
  const message = (messageId: string, body = 'Do you fix water heaters?', from = '+15125550400') =>
    sampleDetail(LeadMessageReceived, {
      messageId,
      correlationId: messageId,
      providerMessageId: messageId,
      from,
      body,
      receivedAt: now.toISOString(),
    });

  beforeAll(async () => {
    dynamo = await startTestDynamo();
    store = new DynamoLeadStore(dynamo.documents, TEST_TABLES.leads);
    acceptance = new DynamoInboundAcceptance(new LeadsTable(dynamo.documents, TEST_TABLES.leads));
    now = new Date('2026-11-29T10:00:00.000Z');
  });
  afterAll(async () => {
    await dynamo.stop();
  });

  it('puts a STOP in force before the webhook answers, whatever the queues behind it do', async () => {
    const outcome = await inbound().publish(message('sms-SMstop1', 'STOP', '+15125550401'));
    expect(outcome).toMatchObject({ duplicate: false, consent: 'opt_out' });
    expect(optOutWhenPublished).toBe(true);
    expect(await store.getOptOut('+15125550401')).toMatchObject({ optedOut: true, messageId: 'sms-SMstop1' });
  });

  it('asks the provider to retry while another attempt holds the message, and earns 2xx only once published', async () => {
    const first = inbound();
    failNextPublish = true;
    // The first attempt claims it and then dies mid-publish (here: fails; a crash leaves the claim).
    await expect(first.publish(message('sms-SMheld'))).rejects.toThrow('EventBridge is down');
    // Released on failure: the retry publishes at once.
    expect(await inbound().publish(message('sms-SMheld'))).toMatchObject({ duplicate: false });
    expect(await inbound().publish(message('sms-SMheld'))).toMatchObject({ duplicate: true });
    expect(published.filter((id) => id === 'sms-SMheld')).toHaveLength(1);

    // A crashed attempt's claim (never released) holds the message until its time runs out.
    await acceptance.claim(
      {
        leadId: message('sms-SMcrash').leadId,
        messageId: 'sms-SMcrash',
        channel: 'sms',
        body: 'x',
        at: now.toISOString(),
      },
      { now, claimMs: 10_000 },
    );
    const during = await inbound()
      .publish(message('sms-SMcrash'))
      .catch((e: unknown) => e);
    expect(during).toBeInstanceOf(InboundInProgressError);
    expect((during as InboundInProgressError).retryAfterSeconds).toBe(10);
    now = new Date(now.getTime() + 11_000);
    expect(await inbound().publish(message('sms-SMcrash'))).toMatchObject({ duplicate: false });
    expect(published.filter((id) => id === 'sms-SMcrash')).toHaveLength(1);
  });

  it('still knows a message it published days ago: a late repeat is not processed again', async () => {
    await inbound().publish(message('sms-SMold'));
    now = new Date(now.getTime() + 4 * 24 * 3600_000);
    expect(await inbound().publish(message('sms-SMold'))).toMatchObject({ duplicate: true });
    expect(published.filter((id) => id === 'sms-SMold')).toHaveLength(1);
  });

  it('refuses a message the event cannot carry with a 4xx and its reason, storing nothing', async () => {
    const error = await inbound()
      .publish({ ...message('sms-SMlong'), body: 'a'.repeat(20_001) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookRejection);
    expect((error as WebhookRejection).statusCode).toBe(413);
    expect((error as WebhookRejection).message).toMatch(/body/);
    const empty = await inbound()
      .publish({ ...message('sms-SMnoto'), to: '' })
      .catch((e: unknown) => e);
    expect((empty as WebhookRejection).statusCode).toBe(400);
    expect(await store.getMessage(message('sms-SMlong').leadId, 'sms-SMlong')).toBeUndefined();
  });
});
