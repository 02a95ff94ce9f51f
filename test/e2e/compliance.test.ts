import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentReportText, parseConsentArguments } from '../../scripts/consent.ts';
import { newMessageSid, signedSmsRequest } from '../../scripts/lib/webhook-requests.ts';
import { DEV_DEFAULTS } from '../../scripts/local/runtime.ts';
import { BUSINESS_NUMBER, startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

describe('compliance on the local runtime', () => {
  let pipeline: TestPipeline;

  beforeAll(async () => {
    pipeline = await startTestPipeline();
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  const leadFor = async (contact: string) =>
    (await pipeline.runtime.inspector.leads()).find((l) => l.contact === contact);
  const textsTo = async (phone: string) =>
    (await pipeline.runtime.inspector.outbox()).filter((e) => e.kind === 'sms' && e.to === phone);
  const emailsTo = async (address: string) =>
    (await pipeline.runtime.inspector.outbox()).filter((e) => e.kind === 'email' && e.to === address);

  it('confirms an opt-out once, a second STOP gets nothing, and the consent report shows why', async () => {
    const phone = '+15125550301';
    await pipeline.sms(phone, 'How much to snake a kitchen drain?');
    await pipeline.settle();
    await pipeline.sms(phone, 'Not interested. Stop');
    await pipeline.settle();
    await pipeline.sms(phone, 'STOP STOP STOP');
    await pipeline.settle();

    const texts = await textsTo(phone);
    expect(texts).toHaveLength(2);
    expect(texts[1]?.body).toMatch(/unsubscribed|no more/i);
    expect((await leadFor(phone))?.optOut?.optedOut).toBe(true);

    const report = JSON.parse(
      await consentReportText(parseConsentArguments([phone, '--url', pipeline.runtime.url])),
    );
    const rows = report.timeline as Array<{ event: string; effect: string; signal?: string; detail: string }>;
    expect(rows.filter((r) => r.event === 'opt_out').map((r) => r.effect)).toEqual([
      'opted_out',
      'unchanged',
    ]);
    expect(rows.find((r) => r.event === 'first_contact')).toBeDefined();
    const suppressed = rows.filter((r) => r.event === 'send_suppressed');
    expect(suppressed.map((r) => r.detail)).toEqual([expect.stringContaining('already confirmed')]);
    const sent = rows.filter((r) => r.event === 'message_out' && r.effect === 'sent');
    expect(sent[0]?.detail).toMatch(/answers sms-.* received .*; consent: the lead wrote first/);

    const csv = await consentReportText(
      parseConsentArguments([phone, '--csv', '--url', pipeline.runtime.url]),
    );
    expect(csv.split('\r\n')[0]).toBe(
      'at,contact,channel,event,signal,effect,detail,messageId,purpose,leadId,text',
    );
    expect(csv).toContain('opt_out,keyword,opted_out');
  });

  it('records a Twilio Advanced Opt-Out and sends nothing: Twilio answered the lead already', async () => {
    const phone = '+15125550302';
    const request = signedSmsRequest({
      publicUrl: `${pipeline.runtime.url}/webhooks/twilio/sms`,
      authToken: DEV_DEFAULTS.TWILIO_AUTH_TOKEN,
      from: phone,
      to: BUSINESS_NUMBER,
      body: 'Stop',
      messageSid: newMessageSid(),
      extra: { OptOutType: 'STOP' },
    });
    expect((await fetch(request.url, request.init)).status).toBe(200);
    await pipeline.settle();

    expect(await textsTo(phone)).toHaveLength(0);
    const lead = await leadFor(phone);
    expect(lead?.optOut).toMatchObject({ optedOut: true, answeredByProvider: true });
    expect(lead?.consent.map((e) => [e.event, e.signal])).toEqual(
      expect.arrayContaining([['opt_out', 'twilio-opt-out-type']]),
    );
  });

  it('opts out a Spanish BAJA and texts again only after START, confirming the START once', async () => {
    const phone = '+15125550303';
    await pipeline.sms(phone, 'Hola, tengo una fuga debajo del fregadero');
    await pipeline.settle();
    await pipeline.sms(phone, 'BAJA');
    await pipeline.settle();
    expect((await leadFor(phone))?.optOut?.optedOut).toBe(true);
    await pipeline.sms(phone, 'START');
    await pipeline.settle();
    await pipeline.sms(phone, 'START');
    await pipeline.settle();
    expect((await leadFor(phone))?.optOut?.optedOut).toBe(false);
    // First reply, the opt-out confirmation, one opt-in confirmation.
    expect(await textsTo(phone)).toHaveLength(3);
  });

  it("reads the lead's zone from the area code", async () => {
    const phone = '+18085550304';
    await pipeline.sms(phone, 'Do you fix garbage disposals?');
    await pipeline.settle();
    const lead = await leadFor(phone);
    expect(lead?.timeZone).toBe('Pacific/Honolulu');
    expect(lead?.localTime).toEqual({ zones: ['Pacific/Honolulu'], regions: ['US-HI'], source: 'area-code' });
  });

  it('answers a customer who only refuses marketing, and never confirms an unsubscribe to a mailing', async () => {
    await pipeline.email({
      from: 'dan@example.com',
      subject: 'Kitchen drain',
      text: "Please don't add me to any mailing list, I want to unsubscribe from marketing, just fix my drain",
    });
    await pipeline.email({
      from: 'deals@shop.example',
      subject: 'Spring savings',
      text: 'SPRING SALE: 20% off water softeners this week only!\n\nYou are receiving this email because you signed up.\nUnsubscribe here',
    });
    await pipeline.settle();

    expect((await leadFor('dan@example.com'))?.optOut).toBeNull();
    expect((await emailsTo('dan@example.com')).map((e) => e.body)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/unsubscribed/i)]),
    );
    expect(await emailsTo('dan@example.com')).toHaveLength(1);
    expect((await leadFor('deals@shop.example'))?.optOut).toBeNull();
    expect(
      (await emailsTo('deals@shop.example')).filter((e) => /unsubscribed|no more/i.test(e.body)),
    ).toHaveLength(0);
  });
});
