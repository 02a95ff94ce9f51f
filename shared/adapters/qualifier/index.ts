import { createOpenAiClient } from '#shared/adapters/openai/client.ts';
import type { Qualifier } from '#shared/ports/qualifier.ts';
import { FallbackQualifier, RulesQualifier, type WarnLogger } from './fallback-qualifier.ts';
import { OpenAiQualifier } from './openai-qualifier.ts';

export { FallbackQualifier, RulesQualifier, type WarnLogger } from './fallback-qualifier.ts';
export { OpenAiQualifier } from './openai-qualifier.ts';

export interface QualifierConfig {
  openAiApiKey?: string | undefined;
  /** For a proxy or a loopback fake; the SDK's default when absent. */
  openAiBaseUrl?: string | undefined;
  model: string;
  timeoutMs: number;
  maxRetries: number;
}

/**
 * Chooses the qualifier once, at start-up: the rules alone without an OpenAI key, otherwise
 * the model with the rules behind it. Call it at module scope so the OpenAI client (and its
 * connections) survive between invocations of a warm Lambda.
 */
export function createQualifier(config: QualifierConfig, logger: WarnLogger): Qualifier {
  if (!config.openAiApiKey) {
    return new RulesQualifier();
  }
  const client = createOpenAiClient({
    apiKey: config.openAiApiKey,
    baseUrl: config.openAiBaseUrl,
    timeoutMs: config.timeoutMs,
    maxRetries: config.maxRetries,
  });
  const primary = new OpenAiQualifier({
    client,
    model: config.model,
    timeoutMs: config.timeoutMs,
    maxRetries: config.maxRetries,
  });
  return new FallbackQualifier({ primary, logger });
}
