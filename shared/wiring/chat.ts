import { SandboxChatPoster } from '#shared/adapters/sandbox/sandbox-senders.ts';
import { slackChatPosterFromEnv } from '#shared/adapters/slack/slack-webhook-chat-poster.ts';
import { chooseProvider } from '#shared/config/providers.ts';
import type { ChatPoster } from '#shared/ports/outbound.ts';
import { once } from './core.ts';
import { adapterNotBuilt, sandboxOutbox } from './pipeline.ts';

export const chatPoster = once((): ChatPoster => {
  const provider = chooseProvider('CHAT_PROVIDER');
  switch (provider) {
    case 'sandbox':
      return new SandboxChatPoster(sandboxOutbox());
    case 'slack':
      return slackChatPosterFromEnv();
    default:
      return adapterNotBuilt('CHAT_PROVIDER', provider);
  }
});

/** Built on its first post: a function that never posts needs no chat credentials. */
export const chatOnFirstPost: ChatPoster = { post: (message) => chatPoster().post(message) };
