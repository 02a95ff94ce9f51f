import type { Qualifier } from '#shared/ports/qualifier.ts';
import { FallbackQualifier, RulesQualifier, type WarnLogger } from './fallback-qualifier.ts';

export { FallbackQualifier, RulesQualifier, type WarnLogger } from './fallback-qualifier.ts';

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
  const apiKey = config.openAiApiKey;
  // The OpenAI SDK is loaded with the first message, then kept (and its client's connections).
  let model: Promise<Qualifier> | undefined;
  const build = async (): Promise<Qualifier> => {
    const [{ createOpenAiClient }, { OpenAiQualifier }] = await Promise.all([
      import('#shared/adapters/openai/client.ts'),
      import('./openai-qualifier.ts'),
    ]);
    const client = createOpenAiClient({
      apiKey,
      baseUrl: config.openAiBaseUrl,
      timeoutMs: config.timeoutMs,
      maxRetries: config.maxRetries,
    });
    return new OpenAiQualifier({
      client,
      model: config.model,
      timeoutMs: config.timeoutMs,
      maxRetries: config.maxRetries,
    });
  };
  const primary: Qualifier = {
    qualify: async (input) => {
      model ??= build().catch((error: unknown) => {
        model = undefined;
        throw error;
      });
      return (await model).qualify(input);
    },
  };
  return new FallbackQualifier({ primary, logger });
}
