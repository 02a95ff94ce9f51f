import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhooks } from '#shared/pipeline.ts';
import { DEV_DEFAULTS } from '../../scripts/local/runtime.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

const basicAuth = `Basic ${Buffer.from(DEV_DEFAULTS.INBOUND_EMAIL_BASIC_AUTH).toString('base64')}`;

/** What each webhook takes, and a body of another media type a confused sender might post. */
const wrongBodies: Record<string, { type: string; body: string; expected: string }> = {
  'inbound-sms': {
    type: 'application/json',
    body: '{"From":"+15125550123"}',
    expected: 'application/x-www-form-urlencoded',
  },
  'sms-status': {
    type: 'application/json',
    body: '{"MessageStatus":"sent"}',
    expected: 'application/x-www-form-urlencoded',
  },
  'inbound-email': {
    type: 'application/json',
    body: '{"from":"a@b.example"}',
    expected: 'multipart/form-data',
  },
  'email-events': {
    type: 'application/x-www-form-urlencoded',
    body: 'event=bounce',
    expected: 'application/json',
  },
  voice: {
    type: 'application/json',
    body: '{"CallSid":"CA1"}',
    expected: 'application/x-www-form-urlencoded',
  },
  'dial-status': {
    type: 'application/json',
    body: '{"DialCallStatus":"busy"}',
    expected: 'application/x-www-form-urlencoded',
  },
  calendly: {
    type: 'application/x-www-form-urlencoded',
    body: 'event=invitee.created',
    expected: 'application/json',
  },
  'cal-com': {
    type: 'application/x-www-form-urlencoded',
    body: 'triggerEvent=BOOKING_CREATED',
    expected: 'application/json',
  },
};

describe('the webhooks, posted a body of the wrong media type', () => {
  let pipeline: TestPipeline;
  const trace: string[] = [];

  beforeAll(async () => {
    pipeline = await startTestPipeline({
      trace: (line) => trace.push(line),
      env: { SENDGRID_EVENT_WEBHOOK_ALLOW_UNSIGNED: 'true' },
    });
  });
  afterAll(async () => {
    await pipeline.stop();
  });

  it('answers 415 naming the type each one takes, and traces one short line with the reason', async () => {
    expect(Object.keys(wrongBodies).sort()).toEqual(webhooks.map((w) => w.name).sort());
    for (const webhook of webhooks) {
      const wrong = wrongBodies[webhook.name]!;
      const response = await fetch(`${pipeline.runtime.url}${webhook.path}`, {
        method: 'POST',
        headers: { 'content-type': wrong.type, authorization: basicAuth },
        body: wrong.body,
      });
      expect(response.status, webhook.name).toBe(415);
      expect((await response.text()).trim(), webhook.name).toBe(
        `Expected ${wrong.expected}, got ${wrong.type}`,
      );
      expect(trace, webhook.name).toContain(
        `http   POST ${webhook.path} → 415 Expected ${wrong.expected}, got ${wrong.type}`,
      );
    }
  });
});
