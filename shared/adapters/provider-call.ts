import pRetry, { AbortError } from 'p-retry';
import { PermanentError, TransientError } from '#shared/ports/errors.ts';

/** What a provider's answer said, as far as retrying is concerned. */
export interface ProviderFailure {
  provider: string;
  /** HTTP status; absent for a network failure or timeout. */
  status?: number | undefined;
  /** The provider's Retry-After header (seconds or an HTTP date), when it sent one. */
  retryAfter?: string | null | undefined;
  message: string;
  cause?: unknown;
}

/** Retry-After in milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export const retryAfterMs = (header: string | null | undefined, now = Date.now()): number | undefined => {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
};

/**
 * The one mapping of a provider's answer to our two failure kinds: a throttle (429), a timeout
 * (408), a 5xx or no answer at all may pass, so it is a `TransientError` (SQS redelivers it);
 * any other 4xx (bad request, invalid credentials, not found) cannot, so it is a `PermanentError`
 * (recorded, never retried forever).
 */
export const providerError = (failure: ProviderFailure): PermanentError | TransientError => {
  const { provider, status, message } = failure;
  const text = `${provider}${status === undefined ? '' : ` ${status}`}: ${message}`;
  const options = failure.cause === undefined ? undefined : { cause: failure.cause };
  if (status === undefined || status === 408 || status === 429 || status >= 500) {
    return new TransientError(text, retryAfterMs(failure.retryAfter), {
      ...options,
      notProcessed: status === 408 || status === 429 || status === 503 || connectionRefused(failure.cause),
    });
  }
  return new PermanentError(text, options);
};

/** The request never reached the provider: nothing can have happened there. */
const connectionRefused = (cause: unknown): boolean => {
  for (let error = cause, depth = 0; error instanceof Error && depth < 5; depth++) {
    if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED') return true;
    error = error.cause;
  }
  return false;
};

export interface RetryBudget {
  /** Retries after the first attempt; small, because SQS redelivers what is still failing. */
  retries: number;
  /** Longest wait between attempts; a longer Retry-After ends the attempts and SQS waits instead. */
  maxDelayMs: number;
  minDelayMs: number;
}

export const defaultRetryBudget: RetryBudget = { retries: 2, maxDelayMs: 5_000, minDelayMs: 250 };

/**
 * Calls a provider with a short retry budget: a `TransientError` is retried with exponential
 * backoff, waiting at least its Retry-After; a `PermanentError` is not retried. When the budget is
 * spent (or the provider asks for a longer wait than the budget allows) the last error is thrown,
 * so the record returns to its queue and SQS retries it later.
 */
export const callProvider = async <T>(
  call: () => Promise<T>,
  budget: RetryBudget = defaultRetryBudget,
): Promise<T> => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  return pRetry(
    async () => {
      try {
        return await call();
      } catch (error) {
        if (error instanceof TransientError) {
          if ((error.retryAfterMs ?? 0) > budget.maxDelayMs) throw new AbortError(error);
          throw error;
        }
        throw new AbortError(error instanceof Error ? error : new Error(String(error)));
      }
    },
    {
      retries: budget.retries,
      minTimeout: budget.minDelayMs,
      maxTimeout: budget.maxDelayMs,
      randomize: true,
      onFailedAttempt: async ({ error, retriesLeft }) => {
        const wait = error instanceof TransientError ? (error.retryAfterMs ?? 0) : 0;
        if (retriesLeft > 0 && wait > 0) await sleep(wait);
      },
    },
  );
};
