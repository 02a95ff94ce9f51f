import type { ReplyDrafter } from '#shared/ports/reply-drafter.ts';
import type { ReplyDrafterConfig } from './openai-reply-drafter.ts';

/**
 * The drafter, or none (templates only) without an OpenAI key or with drafting switched off, as
 * `createReplyDrafter` decides; the OpenAI SDK is loaded with the first draft, not with the
 * function, so a function that only sends templates never loads it.
 */
export const lazyReplyDrafter = (config: ReplyDrafterConfig): ReplyDrafter | undefined => {
  if (!config.enabled || !config.openAiApiKey) return undefined;
  let drafter: Promise<ReplyDrafter | undefined> | undefined;
  return {
    draft: async (request) => {
      drafter ??= import('./openai-reply-drafter.ts')
        .then(({ createReplyDrafter }) => createReplyDrafter(config))
        .catch((error: unknown) => {
          drafter = undefined;
          throw error;
        });
      const built = await drafter;
      if (!built) throw new Error('No reply drafter for this configuration');
      return built.draft(request);
    },
  };
};
