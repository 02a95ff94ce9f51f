import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_DEFAULTS } from '../../scripts/local/runtime.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';
import { buildMultipart } from '../support/multipart.ts';

/** Issue 8's kinds, end to end on the local runtime: one answer per burst, nothing lost, clear refusals. */
describe('one answer per lead message, on the local runtime', () => {
  let pipeline: TestPipeline;

  beforeAll(async () => {
    pipeline = await startTestPipeline();
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  const textsTo = async (contact: string) =>
    (await pipeline.runtime.inspector.outbox()).filter((e) => e.kind === 'sms' && e.to === contact);

  it('answers three messages sent in the same second once, knowing everything they said', async () => {
    const contact = '+15125550301';
    const responses = await Promise.all(
      ['Hello', 'I have a leaky faucet in the bathroom', 'We are in Austin'].map((body) =>
        pipeline.sms(contact, body),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    await pipeline.settle();

    const texts = await textsTo(contact);
    expect(texts).toHaveLength(1);
    // It does not ask for the town the burst already gave.
    expect(texts[0]?.body).not.toMatch(/town|ZIP/i);
    const lead = (await pipeline.runtime.inspector.leads()).find((l) => l.contact === contact);
    expect(lead?.known.location).toMatch(/Austin/);
    const answers = lead?.messages.filter((m) => m.direction === 'out') ?? [];
    expect(answers.filter((m) => m.status === 'sent')).toHaveLength(1);
    expect(answers.filter((m) => m.status === 'superseded')).toHaveLength(2);
    expect(lead?.messages.filter((m) => m.direction === 'in')).toHaveLength(3);
  });

  it('answers a repeat of a message once, and stores the message once', async () => {
    const contact = '+15125550302';
    const first = await pipeline.sms(contact, 'Do you fix water heaters?', {
      messageSid: `SM${'7'.repeat(32)}`,
    });
    const repeat = await pipeline.sms(contact, 'Do you fix water heaters?', {
      messageSid: `SM${'7'.repeat(32)}`,
    });
    expect([first.status, repeat.status]).toEqual([200, 200]);
    await pipeline.settle();
    expect(await textsTo(contact)).toHaveLength(1);
    const lead = (await pipeline.runtime.inspector.leads()).find((l) => l.contact === contact);
    expect(lead?.messages.filter((m) => m.direction === 'in')).toHaveLength(1);
  });

  it('refuses a text longer than an event can carry with 413 and a reason, storing nothing', async () => {
    const contact = '+15125550303';
    const response = await pipeline.sms(contact, 'a'.repeat(20_001));
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/body/);
    await pipeline.settle();
    expect((await pipeline.runtime.inspector.leads()).find((l) => l.contact === contact)).toBeUndefined();
  });

  it('accepts and answers an email with no To header (Bcc), its recipient taken from the envelope', async () => {
    const { body, contentType } = buildMultipart({
      headers: [
        'Message-ID: <bcc-only-1@mail.example.com>',
        'From: Pat Kim <pat@example.com>',
        'Subject: Quote for a water softener',
        `Date: ${new Date().toUTCString()}`,
        'MIME-Version: 1.0',
      ].join('\n'),
      from: 'Pat Kim <pat@example.com>',
      to: '',
      subject: 'Quote for a water softener',
      text: 'Hi, could I get a quote for a water softener? We are in Austin.',
      envelope: JSON.stringify({ to: ['hello@leadline.example'], from: 'pat@example.com' }),
      charsets: JSON.stringify({ to: 'UTF-8', from: 'UTF-8', subject: 'UTF-8', text: 'UTF-8' }),
    });
    const response = await fetch(`${pipeline.runtime.url}/webhooks/sendgrid/inbound`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        authorization: `Basic ${Buffer.from(DEV_DEFAULTS.INBOUND_EMAIL_BASIC_AUTH).toString('base64')}`,
      },
      body,
    });
    expect(response.status).toBe(200);
    await pipeline.settle();
    const mails = (await pipeline.runtime.inspector.outbox()).filter(
      (e) => e.kind === 'email' && e.to === 'pat@example.com',
    );
    expect(mails).toHaveLength(1);
  });
});
