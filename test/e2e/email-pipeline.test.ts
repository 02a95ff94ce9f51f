import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

describe('a lead emailing the business, on the local runtime', () => {
  let pipeline: TestPipeline;

  beforeAll(async () => {
    pipeline = await startTestPipeline();
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  it('qualifies, scores, replies by email in the same thread, syncs the CRM and tells the rep', async () => {
    const response = await pipeline.email({
      from: 'Tom Baker <Tom.Baker@Example.com>',
      subject: 'Water heater leaking',
      messageId: '<first-message@mail.example.com>',
      text: [
        'Hi, my water heater is leaking all over the garage floor and we have no hot water.',
        "I'm in Cedar Park. Can someone come out today? Budget is around $1,500.",
        '',
        'Thanks,',
        'Tom',
        '',
        'On Mon, Nov 16, 2026 at 9:12 AM Brightside Plumbing <hello@leadline.example> wrote:',
        '> Thanks for reaching out! What can we help with?',
        '> Reply STOP to opt out.',
      ].join('\n'),
    });
    expect(response.status).toBe(200);
    await pipeline.settle();

    const leads = await pipeline.runtime.inspector.leads();
    const lead = leads.find((l) => l.contact === 'tom.baker@example.com');
    expect(lead).toBeDefined();
    expect(lead?.channel).toBe('email');
    expect(lead?.name).toBe('Tom Baker');
    const inbound = lead?.messages.find((m) => m.direction === 'in');
    // The quoted earlier reply is stripped before the text is used.
    expect(inbound?.body).toContain('water heater is leaking');
    expect(inbound?.body).not.toContain('wrote:');
    expect(inbound?.body).not.toContain('Reply STOP');
    expect(lead?.score?.grade).toBe('hot');
    expect(lead?.crm?.id).toBeDefined();

    const outbox = await pipeline.runtime.inspector.outbox();
    const emails = outbox.filter((e) => e.kind === 'email' && e.to === 'tom.baker@example.com');
    expect(emails).toHaveLength(1);
    expect(emails[0]?.details.subject).toBe('Re: Water heater leaking');
    expect(emails[0]?.details.inReplyTo).toBe('<first-message@mail.example.com>');
    expect(emails[0]?.details.html).toContain('<');
    expect(outbox.some((e) => e.kind === 'slack' && e.body.includes('tom.baker@example.com'))).toBe(true);
    expect(outbox.some((e) => e.kind === 'sms')).toBe(false);
  });

  it('archives the raw payload to the blob store and records its key on the event', async () => {
    const response = await pipeline.email({
      from: 'ana@example.org',
      subject: 'Drain',
      text: 'Slow drain in the bathroom, no rush.',
    });
    expect(response.status).toBe(200);
    await pipeline.settle();
    const files = await readdir(`${pipeline.dataDir}/s3`, { recursive: true });
    expect(files.some((f) => String(f).includes('payload.multipart'))).toBe(true);
  });

  it('processes a redelivered email (same Message-ID) once', async () => {
    const mail = {
      from: 'kim@example.com',
      subject: 'Gas smell near water heater',
      text: 'There is a gas smell near our water heater, can someone check it?',
      messageId: '<redelivered-1@mail.example.com>',
    };
    expect((await pipeline.email(mail)).status).toBe(200);
    expect((await pipeline.email(mail)).status).toBe(200);
    await pipeline.settle();
    const lead = (await pipeline.runtime.inspector.leads()).find((l) => l.contact === 'kim@example.com');
    expect(lead?.messages.filter((m) => m.direction === 'in')).toHaveLength(1);
    const emails = (await pipeline.runtime.inspector.outbox()).filter(
      (e) => e.kind === 'email' && e.to === 'kim@example.com',
    );
    expect(emails).toHaveLength(1);
  });

  it('refuses wrong credentials with 401 and publishes nothing', async () => {
    const response = await pipeline.email({
      from: 'mallory@example.net',
      subject: 'Hello',
      text: 'Let me in',
      auth: 'leadline:wrong-password',
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic/);
    await pipeline.settle();
    const leads = await pipeline.runtime.inspector.leads();
    expect(leads.some((l) => l.contact === 'mallory@example.net')).toBe(false);
  });

  it('refuses a body that is not multipart with 415 (unsupported media type), as the README says', async () => {
    const response = await fetch(`${pipeline.runtime.url}/webhooks/sendgrid/inbound`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from('leadline:leadline-dev-password').toString('base64')}`,
      },
      body: JSON.stringify({ from: 'x@example.com' }),
    });
    expect(response.status).toBe(415);
    expect(await response.text()).toMatch(/multipart/i);
  });

  it('records an out-of-office reply but never answers it', async () => {
    await pipeline.email({
      from: 'busy@example.com',
      subject: 'Automatic reply: Water heater',
      text: 'I am out of the office until Monday and will reply when I am back.',
    });
    await pipeline.settle();
    const lead = (await pipeline.runtime.inspector.leads()).find((l) => l.contact === 'busy@example.com');
    expect(lead?.messages.filter((m) => m.direction === 'in')).toHaveLength(1);
    expect(lead?.qualification?.intent).toBe('auto_reply');
    const outbox = await pipeline.runtime.inspector.outbox();
    expect(outbox.some((e) => e.to === 'busy@example.com')).toBe(false);
  });

  it('does not answer a spam email', async () => {
    await pipeline.email({
      from: 'promo@seo-rockets.example',
      subject: 'Rank #1 on Google',
      text: 'We offer SEO services to get your website to the first page. Click here: http://seo-rockets.example/offer',
    });
    await pipeline.settle();
    const lead = (await pipeline.runtime.inspector.leads()).find(
      (l) => l.contact === 'promo@seo-rockets.example',
    );
    expect(lead?.status).toBe('spam');
    const outbox = await pipeline.runtime.inspector.outbox();
    expect(outbox.some((e) => e.to === 'promo@seo-rockets.example')).toBe(false);
  });
});
