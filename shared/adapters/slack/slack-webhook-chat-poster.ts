import { IncomingWebhook, IncomingWebhookHTTPError, type IncomingWebhookSendArguments } from '@slack/webhook';
import * as z from 'zod';
import {
  callProvider,
  defaultRetryBudget,
  providerError,
  type RetryBudget,
} from '#shared/adapters/provider-call.ts';
import { readEnv } from '#shared/config/env.ts';
import type { ChatMessage, ChatPoster } from '#shared/ports/outbound.ts';

type SlackBlock = NonNullable<IncomingWebhookSendArguments['blocks']>[number];

export interface SlackWebhookOptions {
  /** The incoming webhook's URL: it is the credential (whoever holds it can post). */
  webhookUrl: string;
  /** Per attempt. */
  timeoutMs: number;
  retry?: RetryBudget;
}

// Block Kit limits: https://docs.slack.dev/reference/block-kit/blocks
const HEADER_MAX = 150;
const FIELD_MAX = 2_000;
const FIELDS_MAX = 10;
const SECTION_MAX = 3_000;
const TEXT_MAX = 3_000;

/**
 * Posts rep notifications to Slack through an incoming webhook, with `@slack/webhook`.
 * https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks
 *
 * A webhook posts to the one channel it was created for: the rep's `slackChannel` is named in
 * the message and the rep is @-mentioned when the profile has their `slackUserId`, which is what
 * notifies them wherever the channel is.
 *
 * Retries are ours (`callProvider`), not the SDK's: the SDK fails a 429 at once and cannot see
 * its Retry-After, so it runs with `retries: 0` and each attempt reads the header itself.
 */
export class SlackWebhookChatPoster implements ChatPoster {
  readonly #url: string;
  readonly #timeoutMs: number;
  readonly #retry: RetryBudget;

  constructor(options: SlackWebhookOptions) {
    this.#url = options.webhookUrl;
    this.#timeoutMs = options.timeoutMs;
    this.#retry = options.retry ?? defaultRetryBudget;
  }

  async post(message: ChatMessage): Promise<void> {
    const payload = slackPayload(message);
    await callProvider(() => this.#send(payload), this.#retry);
  }

  async #send(payload: IncomingWebhookSendArguments): Promise<void> {
    let retryAfter: string | null = null;
    // One client per attempt (it holds no connection), so the Retry-After read belongs to it.
    const webhook = new IncomingWebhook(this.#url, {
      timeout: this.#timeoutMs,
      retryConfig: { retries: 0 },
      fetch: async (url, init) => {
        const response = await fetch(url, init);
        retryAfter = response.headers.get('retry-after');
        return response;
      },
    });
    try {
      await webhook.send(payload);
    } catch (error) {
      throw toSlackError(error, retryAfter);
    }
  }
}

/**
 * Slack answers a webhook with a status and a short code in the body: 400 `invalid_payload`,
 * `no_text`; 403 `action_prohibited`, `invalid_token`; 404 `no_service`, `channel_not_found`,
 * `no_team`; 410 `channel_is_archived`: permanent (the webhook or channel must be fixed). 429
 * (with Retry-After) and 5xx (`rollup_error`): transient. No answer (timeout, network): transient.
 */
const toSlackError = (error: unknown, retryAfter: string | null) => {
  if (error instanceof IncomingWebhookHTTPError) {
    // The body is Slack's error code; the URL (the credential) is never in the message.
    const code = error.body.trim().slice(0, 100) || error.statusMessage;
    return providerError({
      provider: 'Slack',
      status: error.statusCode,
      retryAfter,
      message: code,
      cause: error,
    });
  }
  const name = error instanceof Error ? error.name : typeof error;
  return providerError({ provider: 'Slack', message: `no answer (${name})`, cause: error });
};

/** Slack's mrkdwn reads `&`, `<` and `>` as markup: a lead named `<!channel>` must not ping anyone. */
const escapeMrkdwn = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** The message as Slack's webhook takes it: a plain-text `text` (the notification) and Block Kit. */
export const slackPayload = (message: ChatMessage): IncomingWebhookSendArguments => {
  const mention = message.mentionUserId ? `<@${message.mentionUserId}> ` : '';
  const text = clip(`${mention}${escapeMrkdwn(message.text)}`, TEXT_MAX);
  const { card } = message;
  if (!card) return { text };
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(card.title, HEADER_MAX), emoji: false } },
  ];
  if (card.fields.length > 0) {
    blocks.push({
      type: 'section',
      fields: card.fields.slice(0, FIELDS_MAX).map((field) => ({
        type: 'mrkdwn',
        text: clip(`*${escapeMrkdwn(field.label)}*\n${escapeMrkdwn(field.value)}`, FIELD_MAX),
      })),
    });
  }
  if (card.lines && card.lines.length > 0) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: clip(card.lines.map(escapeMrkdwn).join('\n'), SECTION_MAX) },
    });
  }
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `${mention}for ${escapeMrkdwn(message.channel)}` }],
  });
  return { text, blocks };
};

/** The webhook URL (secret group `slack`) and its timeout. Throws `ConfigurationError`. */
export const readSlackSettings = (env: NodeJS.ProcessEnv = process.env) =>
  readEnv(
    {
      SLACK_WEBHOOK_URL: z.url({ protocol: /^https?$/ }),
      SLACK_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3_000),
    },
    env,
  );

/** The chat poster from the settings, when it is first built. */
export const slackChatPosterFromEnv = (env: NodeJS.ProcessEnv = process.env): SlackWebhookChatPoster => {
  const settings = readSlackSettings(env);
  return new SlackWebhookChatPoster({
    webhookUrl: settings.SLACK_WEBHOOK_URL,
    timeoutMs: settings.SLACK_TIMEOUT_MS,
  });
};
