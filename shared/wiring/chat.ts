import { SandboxChatPoster } from '#shared/adapters/sandbox/sandbox-senders.ts';
import { slackChatPosterFromEnv } from '#shared/adapters/slack/slack-webhook-chat-poster.ts';
import type { ChatPoster } from '#shared/ports/outbound.ts';
import { once } from './core.ts';
import { adapterNotBuilt, providerSettings, sandboxOutbox } from './pipeline.ts';

export const chatPoster = once((): ChatPoster => {
  switch (providerSettings().CHAT_PROVIDER) {
    case 'sandbox':
      return new SandboxChatPoster(sandboxOutbox());
    case 'slack':
      return slackChatPosterFromEnv();
    default:
      return adapterNotBuilt('CHAT_PROVIDER', providerSettings().CHAT_PROVIDER);
  }
});
