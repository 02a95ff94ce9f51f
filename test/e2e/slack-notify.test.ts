import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpFake } from '../fakes/http-fake.ts';
import { startTestPipeline, type TestPipeline } from '../support/local-pipeline.ts';

const HOOK_PATH = '/services/T00000000/B00000000/e2e-webhook-secret';

describe('rep notification through a Slack incoming webhook, on the local runtime', () => {
  let pipeline: TestPipeline;
  let slack: HttpFake;

  beforeAll(async () => {
    slack = await HttpFake.start();
    slack.route('POST', HOOK_PATH, { status: 200, body: 'ok' });
    // The webhook URL alone turns Slack on (CHAT_PROVIDER is left to choose).
    pipeline = await startTestPipeline({ env: { SLACK_WEBHOOK_URL: `${slack.url}${HOOK_PATH}` } });
  });
  beforeEach(() => slack.reset());
  afterAll(async () => {
    await pipeline.stop();
    await slack.close();
  });

  it('posts a hot lead to the webhook as Block Kit, and records nothing in the sandbox outbox', async () => {
    await pipeline.sms(
      '+15125550611',
      'Burst pipe, water everywhere in my basement in Austin, please come now!',
    );
    await pipeline.settle();

    const posts = slack.requestsTo('POST', HOOK_PATH);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body).toMatchObject({
      text: expect.stringContaining('+15125550611'),
      blocks: expect.arrayContaining([
        expect.objectContaining({ type: 'header' }),
        expect.objectContaining({ type: 'context', elements: [{ type: 'mrkdwn', text: 'for #leads' }] }),
      ]),
    });
    const outbox = await pipeline.runtime.inspector.outbox();
    expect(outbox.some((e) => e.kind === 'slack')).toBe(false);
  });

  it('drops the notification, without retrying or dead-lettering it, when the channel is archived', async () => {
    slack.enqueue('POST', HOOK_PATH, { status: 410, body: 'channel_is_archived' });

    await pipeline.sms(
      '+15125550612',
      'Burst pipe flooding my kitchen in Round Rock, need someone right now!',
    );
    await pipeline.settle();

    expect(slack.requestsTo('POST', HOOK_PATH)).toHaveLength(1);
    const notify = pipeline.runtime.inspector.queues().find((q) => q.subscriber === 'notify');
    expect(notify?.deadLettered).toBe(0);
    const lead = (await pipeline.runtime.inspector.leads()).find((l) => l.contact === '+15125550612');
    expect(lead?.score?.grade).toBe('hot');
  });
});
