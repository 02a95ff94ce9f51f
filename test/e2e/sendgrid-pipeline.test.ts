import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadIdForContact } from '#shared/domain/contact.ts';
import { eventWebhookSigner, sendGridEvent, startSendGridFake } from '../fakes/sendgrid-fake.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

const LEAD = 'tom.baker@example.com';

describe('email through SendGrid, on the local runtime', () => {
  let pipeline: TestPipeline;
  let sendgrid: Awaited<ReturnType<typeof startSendGridFake>>;
  const signer = eventWebhookSigner();

  const postEvents = (body: string, headers: Record<string, string>) =>
    fetch(`${pipeline.runtime.url}/webhooks/sendgrid/events`, { method: 'POST', headers, body });
  const sentTo = (address: string) =>
    sendgrid.sent().filter((mail) => mail.personalizations[0]?.to[0]?.email === address);

  beforeAll(async () => {
    sendgrid = await startSendGridFake();
    pipeline = await startTestPipeline({
      env: {
        EMAIL_PROVIDER: 'sendgrid',
        SENDGRID_API_KEY: 'SG.e2e-test-key',
        SENDGRID_API_BASE_URL: sendgrid.url,
        SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY: signer.publicKeyBase64,
      },
    });
  });
  afterAll(async () => {
    await pipeline.stop();
    await sendgrid.close();
  });

  it("answers an inbound email with a real SendGrid request threaded under the lead's message", async () => {
    const response = await pipeline.email({
      from: 'Tom Baker <Tom.Baker@Example.com>',
      subject: 'Water heater leaking',
      messageId: '<first-message@mail.example.com>',
      text: "Hi, my water heater is leaking and we have no hot water. I'm in Cedar Park, can you come today?",
    });
    expect(response.status).toBe(200);
    await pipeline.settle();

    const [mail, ...more] = sentTo(LEAD);
    expect(more).toHaveLength(0);
    expect(sendgrid.fake.requests[0]?.headers.authorization).toBe('Bearer SG.e2e-test-key');
    expect(mail?.from).toEqual({ email: 'hello@leadline.example', name: 'Brightside Plumbing' });
    expect(mail?.subject).toBe('Re: Water heater leaking');
    expect(mail?.content.map((c) => c.type)).toEqual(['text/plain', 'text/html']);
    expect(mail?.headers?.['In-Reply-To']).toBe('<first-message@mail.example.com>');
    expect(mail?.headers?.References).toBe('<first-message@mail.example.com>');
    expect(mail?.custom_args?.leadline_lead_id).toBe(leadIdForContact(LEAD));

    const lead = await pipeline.runtime.inspector.lead(leadIdForContact(LEAD));
    const reply = lead?.messages.find((m) => m.direction === 'out');
    expect(reply?.status).toBe('sent');
    expect(reply?.messageId).toBe(mail?.custom_args?.leadline_message_id);
    expect(reply?.providerMessageId).toBe(mail?.headers?.['Message-ID']);
    // Nothing went to the sandbox instead.
    const outbox = await pipeline.runtime.inspector.outbox();
    expect(outbox.filter((entry) => entry.kind === 'email')).toHaveLength(0);
  });

  it('refuses an event post whose body was changed after SendGrid signed it', async () => {
    const body = JSON.stringify([sendGridEvent('dropped', { email: LEAD, reason: 'Invalid' })]);
    const headers = signer.headers(body);

    const response = await postEvents(body.replace('Invalid', 'Bounced Address'), headers);
    expect(response.status).toBe(403);
    expect(await response.text()).toBe('Invalid SendGrid signature\n');
  });

  it('records a bounce from the Event Webhook, marking the address unreachable', async () => {
    const [mail] = sentTo(LEAD);
    const body = JSON.stringify([
      sendGridEvent('bounce', {
        email: LEAD,
        leadId: mail?.custom_args?.leadline_lead_id,
        messageId: mail?.custom_args?.leadline_message_id,
        type: 'bounce',
        reason: '550 5.1.1 No such user',
      }),
    ]);
    const response = await postEvents(body, signer.headers(body));
    expect(response.status).toBe(204);

    const bounced = await pipeline.runtime.inspector.lead(leadIdForContact(LEAD));
    expect(bounced?.messages.find((m) => m.direction === 'out')?.emailDelivery).toMatchObject({
      status: 'bounced',
      reason: '550 5.1.1 No such user',
    });
    expect(bounced?.emailUnreachable).toMatchObject({
      contact: LEAD,
      reason: expect.stringContaining('550'),
    });
  });

  it('answers again once the person writes from the address that bounced', async () => {
    await pipeline.email({
      from: 'Tom Baker <Tom.Baker@Example.com>',
      subject: 'Re: Water heater leaking',
      messageId: '<second-message@mail.example.com>',
      text: 'Any news? Still leaking.',
    });
    await pipeline.settle();

    expect(sentTo(LEAD)).toHaveLength(2);
    const lead = await pipeline.runtime.inspector.lead(leadIdForContact(LEAD));
    expect(lead?.emailUnreachable).toBeNull();
  });
});
