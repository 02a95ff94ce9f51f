import OpenAI from 'openai';

export interface OpenAiClientConfig {
  apiKey: string;
  /** For a proxy or a loopback fake; the SDK's default when absent. */
  baseUrl?: string | undefined;
  /** Per attempt. The SDK default is 10 minutes, far too long on the path to a lead's reply. */
  timeoutMs: number;
  /** Retries of timeouts, connection errors, 408, 409, 429 and 5xx (SDK default 2). */
  maxRetries: number;
}

/**
 * The OpenAI client, with our timeout and retry budget instead of the SDK's defaults. Build it
 * once per process (through `once(...)`) so a warm Lambda reuses its connections.
 */
export const createOpenAiClient = (config: OpenAiClientConfig): OpenAI =>
  new OpenAI({
    apiKey: config.apiKey,
    ...(config.baseUrl ? { baseURL: config.baseUrl } : {}),
    timeout: config.timeoutMs,
    maxRetries: config.maxRetries,
  });
