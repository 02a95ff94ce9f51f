import { PermanentError, TransientError } from '#shared/ports/errors.ts';

/**
 * A failure as a log line may carry it. Only our own error classes carry messages known to be free
 * of the lead's words; of anything else only the class name is logged. (Apart from `errors.ts` so
 * a function logging a model's failure does not load the OpenAI SDK to do it.)
 */
export function describeFailure(error: unknown): { name: string; message?: string; retryAfterMs?: number } {
  if (error instanceof TransientError) {
    return {
      name: error.name,
      message: error.message,
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    };
  }
  if (error instanceof PermanentError) {
    return { name: error.name, message: error.message };
  }
  return { name: error instanceof Error ? error.name : typeof error };
}
