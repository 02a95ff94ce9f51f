import { z } from 'zod';
import { readEnv } from './env.ts';

/**
 * Which adapter serves each port, decided once at start-up. Only the sandbox adapters exist so
 * far; naming a provider whose adapter is not built fails start-up instead of silently
 * recording what the operator expected to be sent.
 */
const sandboxOnly = z
  .literal('sandbox', { message: "only 'sandbox' is available in this version" })
  .default('sandbox');

export const readProviderSettings = () =>
  readEnv({
    SMS_PROVIDER: sandboxOnly,
    EMAIL_PROVIDER: sandboxOnly,
    CRM_PROVIDER: sandboxOnly,
    CALENDAR_PROVIDER: sandboxOnly,
    CHAT_PROVIDER: sandboxOnly,
    OPENAI_API_KEY: z.string().min(1).optional(),
    OPENAI_BASE_URL: z.url().optional(),
    OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
    /** Speed-to-lead is measured in seconds: the model gets a few of them, then rules answer. */
    OPENAI_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(4000),
    OPENAI_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(1),
  });
