import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_DEFAULTS } from '../../scripts/local/runtime.ts';
import {
  CLIENTS,
  type Client,
  LANGUAGES,
  type Language,
  replyLayout,
} from '../fixtures/mail/reply-layouts.ts';
import { BUSINESS_NUMBER, startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';
import { buildMultipart } from '../support/multipart.ts';

/*
 * A slot offer answered "2" from every client layout in every language (test/fixtures/mail),
 * through the whole local pipeline: inbound-email → qualify → score → calendar → auto-respond.
 * The quoted offer's own "1." must never be read as the choice (issue 10: Swedish Apple Mail
 * booked slot 1; German Outlook and Dutch Apple Mail booked nothing).
 */

const post = (fields: Record<string, string>) => {
  const { body, contentType } = buildMultipart(fields);
  return fetch(`${pipeline.runtime.url}/webhooks/sendgrid/inbound`, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      authorization: `Basic ${Buffer.from(DEV_DEFAULTS.INBOUND_EMAIL_BASIC_AUTH).toString('base64')}`,
    },
    body,
  });
};

// One runtime per file: webhook handlers read the public URL they verify signatures against once.
let pipeline: TestPipeline;
beforeAll(async () => {
  pipeline = await startTestPipeline();
});
afterAll(async () => {
  await pipeline.stop();
});

describe('a slot choice by reply from Gmail, Outlook, Apple Mail and Thunderbird, on the local runtime', () => {
  const cases: Array<[Client, Language]> = CLIENTS.flatMap((client) =>
    LANGUAGES.map((language): [Client, Language] => [client, language]),
  );

  it.each(cases)('%s in %s: "2" books the second slot offered', async (client, language) => {
    const address = `${client}-${language}@example.org`;
    const lead = `Sam Lee <${address}>`;
    const first = await pipeline.email({
      from: lead,
      subject: 'Estimate',
      text: 'Hi, I need a quote to replace our water heater in Austin. Can we schedule a call?',
      messageId: `<first-${client}-${language}@example.org>`,
    });
    expect(first.status).toBe(200);
    await pipeline.settle();
    const offered = (await pipeline.runtime.inspector.leads()).find((l) => l.contact === address);
    expect(offered?.offeredSlots?.length).toBeGreaterThanOrEqual(2);
    const offer = (await pipeline.runtime.inspector.outbox()).find(
      (e) => e.kind === 'email' && e.to === address,
    );
    expect(offer?.body).toBeDefined();

    const subject = `Re: ${String(offer?.details.subject ?? 'Estimate')}`;
    const layout = replyLayout(client, language, '2', offer?.body ?? '', {
      lead,
      subject,
      messageId: `<reply-${client}-${language}@example.org>`,
    });
    const reply = await post({
      from: lead,
      to: 'hello@leadline.example',
      subject,
      ...(layout.raw
        ? { email: layout.raw }
        : {
            headers: `Message-ID: <reply-${client}-${language}@example.org>\nFrom: ${lead}\nSubject: ${subject}\n`,
            text: layout.text ?? '',
            ...(layout.html && { html: layout.html }),
          }),
      envelope: JSON.stringify({ to: ['hello@leadline.example'], from: address }),
      charsets: JSON.stringify({
        to: 'UTF-8',
        from: 'UTF-8',
        subject: 'UTF-8',
        text: 'UTF-8',
        html: 'UTF-8',
      }),
    });
    expect(reply.status).toBe(200);
    await pipeline.settle();

    const booked = (await pipeline.runtime.inspector.leads()).find((l) => l.contact === address);
    const inbound = booked?.messages.filter((m) => m.direction === 'in') ?? [];
    expect(inbound.at(-1)?.body).toBe('2');
    expect(booked?.meetings).toHaveLength(1);
    expect(booked?.meetings[0]?.start).toBe(offered?.offeredSlots?.[1]?.start);
  });
});

describe('WhatsApp through Twilio, on the local runtime', () => {
  it('answers a WhatsApp message on WhatsApp, and a legacy Mexican id reaches the same number', async () => {
    const response = await pipeline.sms(
      'whatsapp:+5215512345678',
      'Hola, tengo una fuga de agua en la cocina. I am in Austin, can someone come tomorrow?',
    );
    expect(response.status).toBe(200);
    await pipeline.settle();
    const lead = (await pipeline.runtime.inspector.leads()).find((l) => l.contact === '+525512345678');
    expect(lead?.channel).toBe('whatsapp');
    expect(lead?.messages[0]?.channel).toBe('whatsapp');
    const answers = (await pipeline.runtime.inspector.outbox()).filter((e) => e.kind === 'sms');
    expect(answers.map((e) => [e.to, e.details.from])).toEqual([
      ['whatsapp:+525512345678', `whatsapp:${BUSINESS_NUMBER}`],
    ]);
  });

  it('refuses a short code with a 4xx that says why', async () => {
    const response = await pipeline.sms('72345', 'Your code is 1234');
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/short code/);
  });
});
