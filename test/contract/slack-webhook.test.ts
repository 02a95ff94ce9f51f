import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  SlackWebhookChatPoster,
  slackChatPosterFromEnv,
} from '#shared/adapters/slack/slack-webhook-chat-poster.ts';
import { ConfigurationError } from '#shared/config/env.ts';
import { PermanentError, TransientError } from '#shared/ports/errors.ts';
import type { ChatMessage } from '#shared/ports/outbound.ts';
import { HttpFake } from '../fakes/http-fake.ts';

// The path of a real incoming webhook: /services/T…/B…/secret.
const HOOK_PATH = '/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';
const NO_WAIT = { retries: 2, minDelayMs: 1, maxDelayMs: 1_500 };

const Payload = z.object({
  text: z.string(),
  blocks: z.array(z.object({ type: z.string() }).passthrough()).optional(),
});

const hotLead: ChatMessage = {
  channel: '#hot-leads',
  text: 'Hot lead (90/100): Maria (+15125550123) via sms.\nBurst pipe | Round Rock\nWhy: needs it urgently (+25)\nCall them now.',
  card: {
    title: 'Hot lead: Maria (score 90)',
    fields: [
      { label: 'Score', value: '90/100 (hot)' },
      { label: 'Contact', value: '+15125550123' },
      { label: 'Need', value: 'Burst pipe' },
    ],
    lines: ['Why: needs it urgently (+25)', 'Call them now.'],
  },
  mentionUserId: 'U0123ABCD',
};

describe('SlackWebhookChatPoster through @slack/webhook', () => {
  let fake: HttpFake;
  const poster = (retry = NO_WAIT) =>
    new SlackWebhookChatPoster({ webhookUrl: `${fake.url}${HOOK_PATH}`, timeoutMs: 1_000, retry });
  const slackError = (status: number, code: string, headers: Record<string, string> = {}) => ({
    status,
    headers: { 'content-type': 'text/html', ...headers },
    body: code,
  });

  beforeAll(async () => {
    fake = await HttpFake.start();
    fake.route('POST', HOOK_PATH, { status: 200, headers: { 'content-type': 'text/html' }, body: 'ok' });
  });
  beforeEach(() => fake.reset());
  afterAll(async () => {
    await fake.close();
  });

  it('POSTs JSON with the plain-text fallback and Block Kit to the webhook path', async () => {
    await poster().post(hotLead);

    const [request] = fake.requestsTo('POST', HOOK_PATH);
    expect(fake.requests).toHaveLength(1);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['user-agent']).toMatch(/@slack:webhook/);
    const body = Payload.parse(request?.body);
    expect(body.text).toBe(`<@U0123ABCD> ${hotLead.text}`);
    expect(body.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Hot lead: Maria (score 90)', emoji: false } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Score*\n90/100 (hot)' },
          { type: 'mrkdwn', text: '*Contact*\n+15125550123' },
          { type: 'mrkdwn', text: '*Need*\nBurst pipe' },
        ],
      },
      { type: 'section', text: { type: 'mrkdwn', text: 'Why: needs it urgently (+25)\nCall them now.' } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '<@U0123ABCD> for #hot-leads' }] },
    ]);
    // The SDK's transport options never leak into what Slack receives.
    expect(Object.keys(request?.body as object).sort()).toEqual(['blocks', 'text']);
  });

  it('sends the text alone when there is no card and no one to mention', async () => {
    await poster().post({ channel: '#leads', text: 'Meeting booked with Maria.' });

    expect(fake.requests[0]?.body).toEqual({ text: 'Meeting booked with Maria.' });
  });

  it("escapes Slack markup in the lead's words, so a name cannot ping the channel", async () => {
    await poster().post({
      channel: '#leads',
      text: 'Hot lead: <!channel> & <https://evil.example|click>',
      card: { title: 'Hot lead: <!channel>', fields: [{ label: 'Need', value: '<!here> now' }] },
    });

    const body = Payload.parse(fake.requests[0]?.body);
    expect(body.text).toBe('Hot lead: &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;');
    expect(JSON.stringify(body.blocks)).not.toContain('<!here>');
  });

  it.each([
    [400, 'invalid_payload'],
    [403, 'action_prohibited'],
    [404, 'no_service'],
    [404, 'channel_not_found'],
    [410, 'channel_is_archived'],
  ])('fails for good, without retrying, on %i %s', async (status, code) => {
    fake.enqueue('POST', HOOK_PATH, slackError(status, code));

    const error = await poster()
      .post(hotLead)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toBe(`Slack ${status}: ${code}`);
    expect((error as Error).message).not.toContain(HOOK_PATH);
    expect(fake.requests).toHaveLength(1);
  });

  it('waits out a 429 Retry-After and posts once it passes', async () => {
    fake.enqueue('POST', HOOK_PATH, slackError(429, 'rate_limited', { 'retry-after': '1' }));
    const started = Date.now();

    await poster().post(hotLead);

    expect(fake.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('hands a Retry-After longer than its budget to SQS as a transient error', async () => {
    fake.enqueue('POST', HOOK_PATH, slackError(429, 'rate_limited', { 'retry-after': '30' }));

    const error = await poster()
      .post(hotLead)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).retryAfterMs).toBe(30_000);
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a 5xx within its budget, then throws a transient error for SQS', async () => {
    fake.enqueue(
      'POST',
      HOOK_PATH,
      slackError(500, 'rollup_error'),
      slackError(503, 'service_unavailable'),
      slackError(500, 'rollup_error'),
    );

    const error = await poster()
      .post(hotLead)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TransientError);
    expect(fake.requests).toHaveLength(3);
  });

  it('recovers when a 5xx is followed by success', async () => {
    fake.enqueue('POST', HOOK_PATH, slackError(502, 'bad gateway'));

    await poster().post(hotLead);

    expect(fake.requests).toHaveLength(2);
  });

  it('treats no answer within the timeout as transient', async () => {
    const slow = new SlackWebhookChatPoster({
      webhookUrl: `${fake.url}${HOOK_PATH}`,
      timeoutMs: 200,
      retry: { retries: 0, minDelayMs: 1, maxDelayMs: 1 },
    });
    fake.enqueue('POST', HOOK_PATH, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return { status: 200, body: 'ok' };
    });

    await expect(slow.post(hotLead)).rejects.toThrow(TransientError);
  });

  it('is built from SLACK_WEBHOOK_URL, and refuses a value that is not a URL without echoing it', async () => {
    await slackChatPosterFromEnv({ SLACK_WEBHOOK_URL: `${fake.url}${HOOK_PATH}` }).post({
      channel: '#leads',
      text: 'hello',
    });
    expect(fake.requests).toHaveLength(1);

    const build = () => slackChatPosterFromEnv({ SLACK_WEBHOOK_URL: 'hooks-secret-value' });
    expect(build).toThrow(ConfigurationError);
    expect(build).toThrow(/SLACK_WEBHOOK_URL/);
    expect(build).not.toThrow(/hooks-secret-value/);
  });
});
