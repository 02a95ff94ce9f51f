import * as z from 'zod';
import { booleanFlag, readEnv } from './env.ts';

/**
 * Reply drafting by OpenAI (the key and base URL are the qualifier's, in `providers.ts`). On
 * whenever `OPENAI_API_KEY` is set, unless `OPENAI_DRAFT_REPLIES=false`. Its budget is its own
 * and short: the template is always ready, so a slow model only delays the reply by this much.
 */
export const readReplyDraftingSettings = (env: NodeJS.ProcessEnv = process.env) =>
  readEnv(
    {
      OPENAI_DRAFT_REPLIES: booleanFlag(true),
      /** Defaults to `OPENAI_MODEL`. */
      OPENAI_DRAFT_MODEL: z.string().min(1).optional(),
      /** The whole budget of one draft, retries included. */
      OPENAI_DRAFT_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3000),
      OPENAI_DRAFT_MAX_RETRIES: z.coerce.number().int().min(0).max(3).default(1),
    },
    env,
  );
